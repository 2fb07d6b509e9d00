using IscsiNative.Initiator;
using IscsiNative.Protocol;
using IscsiNative.VmTests.Infrastructure;
using DiscoveredTarget = IscsiNative.Initiator.DiscoveredTarget;
using ChapCredentials = IscsiNative.Protocol.ChapCredentials;
using LioChap = IscsiNative.VmTests.Infrastructure.ChapCredentials;

namespace IscsiNative.VmTests.Protocol;

/// <summary><see cref="IscsiInitiator.DiscoverAsync"/> (managed SendTargets) against LIO in the VM.</summary>
[Collection(VmCollection.Name)]
public sealed class LioDiscoveryTests
{
    private static readonly LioChap DiscoveryChap = new("discovery-user", "discovery-secret1");
    private static readonly LioChap MutualDiscoveryChap = new("discovery-user", "discovery-secret1", "discovery-target", "disc-target-secret");

    [VmFact]
    public async Task Discovery_lists_every_LIO_target_with_its_portal_and_tag()
    {
        using LioTarget a = Target(nameof(Discovery_lists_every_LIO_target_with_its_portal_and_tag));
        using LioTarget b = Target(nameof(Discovery_lists_every_LIO_target_with_its_portal_and_tag));
        using LioTarget c = Target(nameof(Discovery_lists_every_LIO_target_with_its_portal_and_tag));

        IReadOnlyList<DiscoveredTarget> targets = await DiscoverAsync("127.0.0.1", Options());

        foreach (LioTarget t in new[] { a, b, c })
        {
            DiscoveredTarget found = Assert.Single(targets, d => d.Name == t.Iqn);
            DiscoveredPortal portal = Assert.Single(found.Portals);
            Assert.Equal(("127.0.0.1:3260", 1), (portal.Portal.ToString(), portal.PortalGroupTag));
        }
    }

    [VmFact]
    public async Task Discovery_lists_both_network_portals_of_a_target_from_either_portal()
    {
        using LioTarget target = Target(nameof(Discovery_lists_both_network_portals_of_a_target_from_either_portal));
        using var second = new LioNetworkPortal(target, "127.0.0.2", 3261);

        foreach (string via in new[] { "127.0.0.1:3260", "127.0.0.2:3261" })
        {
            string[] parts = via.Split(':');
            IReadOnlyList<DiscoveredTarget> targets = await DiscoverAsync(parts[0], Options(), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));

            DiscoveredTarget found = Assert.Single(targets, d => d.Name == target.Iqn);
            Assert.Equal(
                ["127.0.0.1:3260,1", "127.0.0.2:3261,1"],
                found.Portals.Select(p => $"{p.Portal},{p.PortalGroupTag}").Order(StringComparer.Ordinal));
        }
    }

    [VmFact]
    public async Task Discovery_chap_enforced_by_LIO_accepts_the_right_secret_and_refuses_others()
    {
        using LioTarget target = Target(nameof(Discovery_chap_enforced_by_LIO_accepts_the_right_secret_and_refuses_others));
        using var auth = new LioDiscoveryAuth(DiscoveryChap);

        using (var chap = ChapCredentials.OneWay(DiscoveryChap.UserId, DiscoveryChap.Password))
        {
            IReadOnlyList<DiscoveredTarget> targets = await DiscoverAsync("127.0.0.1", Options() with { Credentials = chap });
            Assert.Contains(targets, d => d.Name == target.Iqn);
        }

        using (var wrong = ChapCredentials.OneWay(DiscoveryChap.UserId, "wrong-discovery-01"))
        {
            var e = await Assert.ThrowsAsync<IscsiAuthenticationException>(() => DiscoverAsync("127.0.0.1", Options() with { Credentials = wrong }));
            Assert.Equal(0x0201, e.Status);
        }

        var none = await Assert.ThrowsAsync<IscsiAuthenticationException>(() => DiscoverAsync("127.0.0.1", Options()));
        Assert.Equal(0x0201, none.Status);
    }

    [VmFact]
    public async Task Discovery_with_mutual_chap_verifies_LIO_and_refuses_a_wrong_target_secret()
    {
        using LioTarget target = Target(nameof(Discovery_with_mutual_chap_verifies_LIO_and_refuses_a_wrong_target_secret));
        using var auth = new LioDiscoveryAuth(MutualDiscoveryChap);
        LioChap m = MutualDiscoveryChap;

        using (var chap = ChapCredentials.Mutual(m.UserId, m.Password, m.MutualUserId!, m.MutualPassword!))
        {
            IReadOnlyList<DiscoveredTarget> targets = await DiscoverAsync("127.0.0.1", Options() with { Credentials = chap });
            Assert.Contains(targets, d => d.Name == target.Iqn);
        }

        using (var wrong = ChapCredentials.Mutual(m.UserId, m.Password, m.MutualUserId!, "not-lio-s-secret-1"))
        {
            var e = await Assert.ThrowsAsync<IscsiAuthenticationException>(() => DiscoverAsync("127.0.0.1", Options() with { Credentials = wrong }));
            Assert.True(e.IsTargetVerificationFailure);
        }
    }

    private static LioTarget Target(string test) => LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(test)));

    private static DiscoveryOptions Options() => new()
    {
        InitiatorName = LioLoginTests.Initiator,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        LoginTimeout = TimeSpan.FromSeconds(20),
        ResponseTimeout = TimeSpan.FromSeconds(20),
    };

    private static async Task<IReadOnlyList<DiscoveredTarget>> DiscoverAsync(string address, DiscoveryOptions options, int port = 3260)
    {
        using var initiator = new IscsiInitiator();
        return await initiator.DiscoverAsync(new IscsiPortal(address, port), options, TestContext.Current.CancellationToken);
    }
}
