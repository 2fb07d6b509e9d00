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
        _tgtd.SkipIfUnavailable();
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
        _tgtd.SkipIfUnavailable();
        using var initiator = new IscsiInitiator();

        IReadOnlyList<DiscoveredTarget> targets = await initiator.DiscoverAsync(
            new IscsiPortal("127.0.0.1", _tgtd.Port), Quick() with { MaxRecvDataSegmentLength = 1024 }, TestContext.Current.CancellationToken);

        Assert.Equal(3 + TgtdFixture.ManyTargetCount, targets.Count);
        Assert.All(targets, t => Assert.Equal($"127.0.0.1:{_tgtd.Port}", Assert.Single(t.Portals).Portal.ToString()));
    }

    [Fact]
    public async Task Discovery_on_the_second_portal_reports_that_portal()
    {
        _tgtd.SkipIfUnavailable();
        using var initiator = new IscsiInitiator();

        IReadOnlyList<DiscoveredTarget> targets = await initiator.DiscoverAsync(
            new IscsiPortal(_tgtd.SecondAddress, _tgtd.SecondPort), Quick(), TestContext.Current.CancellationToken);

        DiscoveredTarget open = Assert.Single(targets, t => t.Name == TgtdFixture.OpenTarget);
        Assert.Equal($"{_tgtd.SecondAddress}:{_tgtd.SecondPort}", Assert.Single(open.Portals).Portal.ToString());
    }

    internal static DiscoveryOptions Quick() => new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(5),
        LoginTimeout = TimeSpan.FromSeconds(10),
        ResponseTimeout = TimeSpan.FromSeconds(10),
    };
}
