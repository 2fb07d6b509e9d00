using IscsiNative.Cli;
using IscsiNative.Cli.Iscsiadm;
using IscsiNative.Nodes;
using IscsiNative.Sysfs;

namespace IscsiNative.Tests.Cli;

/// <summary>The order iscsinat takes records and sessions in for a batch (-L/-l, -U/-u), as iscsiadm 2.1.8.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class IscsiadmBatchOrderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iscsinat-order-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Records_follow_idbm_for_each_rec_readdir_order_not_sorted_order()
    {
        var options = new IscsiNodeDatabaseOptions
        {
            Root = Path.Combine(_dir, "db"),
            ConfigDirectory = Path.Combine(_dir, "etc"),
            LockDirectory = Path.Combine(_dir, "lock"),
        };
        var db = new IscsiNodeDatabase(options);
        foreach (int i in (int[])[3, 1, 4, 5, 9, 2, 6])
        {
            db.Create($"iqn.2003-01.org.example:t{i}", new IscsiPortal("127.0.0.1", 3260), tpgt: 1, cancellationToken: TestContext.Current.CancellationToken);
            db.Create($"iqn.2003-01.org.example:t{i}", new IscsiPortal("127.0.0.2", 3260), tpgt: 1, cancellationToken: TestContext.Current.CancellationToken);
        }

        // The walk iscsiadm does: readdir of nodes/, of each target directory, of each portal directory.
        List<string> walk = [.. Directory.EnumerateDirectories(Path.Combine(options.Root, "nodes"))
            .SelectMany(Directory.EnumerateDirectories).SelectMany(Directory.EnumerateFiles)];
        var env = new CliEnvironment(Stream.Null, TextWriter.Null) { NodeDatabase = options };

        List<IscsiNodeRecord> sorted = [.. db.Query(cancellationToken: TestContext.Current.CancellationToken).Nodes];
        Assert.Equal(14, sorted.Count);
        Assert.Equal(walk, NodeOps.InIdbmOrder(env, sorted).Select(r => r.FilePath));
        Assert.Equal(walk, NodeOps.InIdbmOrder(env, Enumerable.Reverse(sorted)).Select(r => r.FilePath));
    }

    [Fact]
    public void Sessions_of_one_portal_are_grouped_as_session_info_create_list_does()
    {
        static IscsiSession S(int sid, string target, string address) =>
            new() { Sid = sid, TargetName = target, Address = address, Port = 3260, PersistentAddress = address, PersistentPort = 3260 };

        // session_info_create_list: after the first one with the same target, address and port, else after the last
        // one with the same target, else at the end. sysfs name order comes in (session10 before session2).
        List<IscsiSession> sysfsOrder =
        [
            S(10, "a", "10.0.0.1"), S(11, "b", "10.0.0.1"), S(2, "a", "10.0.0.1"), S(3, "a", "10.0.0.2"),
            S(4, "a", "10.0.0.1"), S(5, "c", "10.0.0.1"), S(6, "b", "10.0.0.2"),
        ];

        Assert.Equal([10, 4, 2, 3, 11, 6, 5], NodeOps.InLogoutOrder(sysfsOrder).Select(s => s.Sid));
    }
}
