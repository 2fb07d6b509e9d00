using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Harness;

/// <summary>The oracle itself against a real LIO target: iscsiadm discovery, login, I/O, logout.</summary>
[Trait(HarnessSelfCheck.Trait, HarnessSelfCheck.Value)]
[Collection(VmCollection.Name)]
public sealed class IscsiadmLoginTests(VmFixture vm)
{
    private static readonly TimeSpan ScanTimeout = TimeSpan.FromSeconds(60);

    [VmFact]
    public void Iscsiadm_discovers_logs_in_reads_both_luns_and_logs_out_of_a_LIO_target()
    {
        using var target = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(nameof(Iscsiadm_discovers_logs_in_reads_both_luns_and_logs_out_of_a_LIO_target))) { LunCount = 2 });
        byte[] pattern = new byte[1024 * 1024];
        new Random(4242).NextBytes(pattern);
        target.WriteLun(1, 0, pattern);

        IReadOnlyList<DiscoveredTarget> discovered = vm.Iscsiadm.Discover(target.Portal);
        Assert.Contains(new DiscoveredTarget(target.Portal, 1, target.Iqn), discovered);

        using IscsiadmNode node = vm.Iscsiadm.Node(target.Iqn, target.Portal);
        ProcessResult login = node.Login();
        Assert.True(login.ExitCode == 0, login.ToString());

        var found = SysfsProbe.WaitForDisks(target.Iqn, 2, ScanTimeout);
        Assert.True(found is not null, $"no session with 2 disks for {target.Iqn}: {string.Join(", ", SysfsProbe.Sessions())}");
        (ProbedSession session, IReadOnlyList<string> disks) = found.Value;
        Assert.Equal("LOGGED_IN", session.State);
        Assert.Equal($"tcp: [{session.Sid}] {target.Portal},1 {target.Iqn} (non-flash)", SessionLine(vm.Iscsiadm.Session(0), session.Sid));

        // LUN 0 is a fresh sparse file (zeros); LUN 1 starts with the pattern written into its backing file.
        Assert.Equal(new byte[pattern.Length], ReadDisk(disks[0], pattern.Length));
        Assert.Equal(pattern, ReadDisk(disks[1], pattern.Length));

        ProcessResult logout = node.Logout();
        Assert.True(logout.ExitCode == 0, logout.ToString());
        Assert.Empty(SysfsProbe.SessionsTo(target.Iqn));
    }

    [VmFact]
    public void Iscsiadm_session_stats_count_the_data_read()
    {
        using var target = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(nameof(Iscsiadm_session_stats_count_the_data_read))));
        vm.Iscsiadm.Discover(target.Portal);
        using IscsiadmNode node = vm.Iscsiadm.Node(target.Iqn, target.Portal);
        Assert.Equal(0, node.Login().ExitCode);
        var found = SysfsProbe.WaitForDisks(target.Iqn, 1, ScanTimeout);
        Assert.NotNull(found);

        ReadDisk(found.Value.Disks[0], 4 * 1024 * 1024);
        ProcessResult stats = vm.Iscsiadm.SessionStats(found.Value.Session.Sid).EnsureSuccess();

        Assert.StartsWith($"Stats for session [sid: {found.Value.Session.Sid}, target: {target.Iqn}, portal: 127.0.0.1,3260]\n", stats.StdOut, StringComparison.Ordinal);
        long rx = long.Parse(stats.StdOut.Split('\n').Single(l => l.StartsWith("\trxdata_octets: ", StringComparison.Ordinal))["\trxdata_octets: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(rx, 4L * 1024 * 1024, long.MaxValue);
    }

    private static string? SessionLine(ProcessResult p0, int sid) =>
        p0.StdOut.Split('\n').FirstOrDefault(l => l.StartsWith($"tcp: [{sid}] ", StringComparison.Ordinal));

    private static byte[] ReadDisk(string disk, int count)
    {
        byte[] buffer = new byte[count];
        using var stream = new FileStream("/dev/" + disk, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        stream.ReadExactly(buffer);
        return buffer;
    }
}
