using IscsiNative.Formatting;
using IscsiNative.Initiator;
using IscsiNative.Protocol;

namespace IscsiNative.Tests.Protocol;

/// <summary>SendTargets discovery against a real tgtd on loopback.</summary>
public sealed class TgtdDiscoveryTests : IClassFixture<TgtdFixture>
{
    private readonly TgtdFixture _tgtd;

    public TgtdDiscoveryTests(TgtdFixture tgtd) => _tgtd = tgtd;

    [Fact]
    public async Task Discovery_without_auth_lists_every_target_with_its_portal_and_tag()
    {
        _tgtd.RequireAvailable();
        using var initiator = new IscsiInitiator();

        IReadOnlyList<DiscoveredTarget> targets = await initiator.DiscoverAsync(
            new IscsiPortal("127.0.0.1", _tgtd.Port), Quick(), TestContext.Current.CancellationToken);

        Assert.Equal(3 + TgtdFixture.ManyTargetCount, targets.Count);
        DiscoveredTarget open = Assert.Single(targets, t => t.Name == TgtdFixture.OpenTarget);
        // tgtd 1.0.85 lists only the portal the discovery connection came in on (multi-portal lists: fake target tests).
        Assert.Equal($"127.0.0.1:{_tgtd.Port}", Assert.Single(open.Portals).Portal.ToString());
        Assert.All(open.Portals, p => Assert.Equal(1, p.PortalGroupTag));
        Assert.Contains(targets, t => t.Name == TgtdFixture.ManyTargetName(TgtdFixture.ManyTargetCount - 1));
        string text = DiscoveryFormatter.Format(targets);
        Assert.Contains($"127.0.0.1:{_tgtd.Port},1 {TgtdFixture.OpenTarget}\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_with_a_small_receive_length_follows_text_continuation()
    {
        _tgtd.RequireAvailable();
        using var initiator = new IscsiInitiator();

        IReadOnlyList<DiscoveredTarget> targets = await initiator.DiscoverAsync(
            new IscsiPortal("127.0.0.1", _tgtd.Port), Quick() with { MaxRecvDataSegmentLength = 1024 }, TestContext.Current.CancellationToken);

        Assert.Equal(3 + TgtdFixture.ManyTargetCount, targets.Count);
        Assert.All(targets, t => Assert.Equal($"127.0.0.1:{_tgtd.Port}", Assert.Single(t.Portals).Portal.ToString()));

        // More than 8192 bytes of text: no single PDU may carry it, so this proves F=0/TTT continuation.
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(IscsiNative.Formatting.DiscoveryFormatter.Format(targets)) > 8192);
    }

    [Fact]
    public async Task Discovery_on_the_second_portal_reports_that_portal()
    {
        _tgtd.RequireAvailable();
        using var initiator = new IscsiInitiator();

        IReadOnlyList<DiscoveredTarget> targets = await initiator.DiscoverAsync(
            new IscsiPortal(_tgtd.SecondAddress, _tgtd.SecondPort), Quick(), TestContext.Current.CancellationToken);

        DiscoveredTarget open = Assert.Single(targets, t => t.Name == TgtdFixture.OpenTarget);
        Assert.Equal($"{_tgtd.SecondAddress}:{_tgtd.SecondPort}", Assert.Single(open.Portals).Portal.ToString());
    }

    [Fact]
    public async Task Discovery_with_chap_credentials_accepts_a_portal_that_chooses_no_authentication()
    {
        // tgtd 1.0.85 has no discovery CHAP (tgtadm cannot bind an account to tid 0): it answers AuthMethod=None to
        // "CHAP,None". Discovery CHAP itself is exercised against the fake target (HostileTargetTests).
        _tgtd.RequireAvailable();
        using var initiator = new IscsiInitiator();
        using var chap = ChapCredentials.OneWay("discovery-user", "discovery-secret");

        IReadOnlyList<DiscoveredTarget> targets = await initiator.DiscoverAsync(
            new IscsiPortal("127.0.0.1", _tgtd.Port), Quick() with { Credentials = chap }, TestContext.Current.CancellationToken);

        Assert.Contains(targets, t => t.Name == TgtdFixture.ChapTarget);
    }

    [Fact]
    public async Task Discovery_with_mutual_chap_refuses_a_portal_that_will_not_authenticate()
    {
        _tgtd.RequireAvailable();
        using var initiator = new IscsiInitiator();
        using var chap = ChapCredentials.Mutual("discovery-user", "discovery-secret", "target", "target-secret");

        await Assert.ThrowsAnyAsync<IscsiLoginException>(() => initiator.DiscoverAsync(
            new IscsiPortal("127.0.0.1", _tgtd.Port), Quick() with { Credentials = chap }, TestContext.Current.CancellationToken));
    }

    internal static DiscoveryOptions Quick() => new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(5),
        LoginTimeout = TimeSpan.FromSeconds(10),
        ResponseTimeout = TimeSpan.FromSeconds(10),
    };
}
