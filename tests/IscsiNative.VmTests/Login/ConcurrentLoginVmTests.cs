using System.Diagnostics;
using System.Globalization;
using IscsiNative.Initiator;
using IscsiNative.VmTests.Infrastructure;
using IscsiNative.Sysfs;

namespace IscsiNative.VmTests.Login;

/// <summary>64 targets logged in concurrently by the library, then by iscsiadm in the same VM run, with timings.</summary>
public sealed class ConcurrentLoginVmTests
{
    private const int Count = 64;

    [VmFact]
    public async Task Sixty_four_concurrent_logins_give_all_block_devices_then_all_log_out_and_iscsiadm_does_the_same()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var targets = new List<LioTarget>(Count);
        try
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < Count; i++)
            {
                targets.Add(LoginVm.Target("many"));
            }

            LoginVm.Report($"created {Count} LIO targets (8 MiB LUN each): {clock.Elapsed.TotalMilliseconds:0} ms");
            var before = LoginVm.KernelObjects();

            using var initiator = new IscsiInitiator();

            // One login alone first (also warms up the runtime).
            clock.Restart();
            IscsiSession one = await initiator.LoginAsync(targets[0].Iqn, LoginVm.Portal, LoginVm.Options(), ct);
            double oneLogin = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            await initiator.LogoutAsync(one, ct);
            double oneLogout = clock.Elapsed.TotalMilliseconds;

            clock.Restart();
            IscsiSession[] sessions = await Task.WhenAll(targets.Select(t => initiator.LoginAsync(t.Iqn, LoginVm.Portal, LoginVm.Options() with { DeviceTimeout = TimeSpan.FromMinutes(3) }, ct)));
            double manyLogin = clock.Elapsed.TotalMilliseconds;

            Assert.Equal(Count, sessions.Select(s => s.Sid).Distinct().Count());
            foreach (IscsiSession s in sessions)
            {
                LoginVm.AssertDisk(s);
            }

            Assert.Equal(Count, sessions.Select(s => s.Devices[0].BlockDevice).Distinct().Count());

            clock.Restart();
            await Task.WhenAll(sessions.Select(s => initiator.LogoutAsync(s, ct)));
            double manyLogout = clock.Elapsed.TotalMilliseconds;
            foreach (IscsiSession s in sessions)
            {
                LoginVm.AssertGone(s.Sid, s.HostNumber);
            }

            Assert.Equal(before, LoginVm.KernelObjects());
            LoginVm.Report($"library: 1 login {oneLogin:0} ms, 1 logout {oneLogout:0} ms; {Count} concurrent logins (all disks ready) {manyLogin:0} ms, {Count} concurrent logouts {manyLogout:0} ms");

            await MeasureIscsiadmAsync(targets, before, ct);
        }
        finally
        {
            foreach (LioTarget t in targets)
            {
                t.Dispose();
            }
        }
    }

    private static async Task MeasureIscsiadmAsync(List<LioTarget> targets, (string[], string[], string[]) before, CancellationToken ct)
    {
        var iscsiadm = new Iscsiadm();
        using IscsidProcess iscsid = IscsidProcess.EnsureRunning();
        iscsiadm.Run("-m", "node", "-o", "delete");
        var ours = targets.Select(t => t.Iqn).ToHashSet(StringComparer.Ordinal);
        foreach (Infrastructure.DiscoveredTarget other in iscsiadm.Discover(LoginVm.Portal.ToString()).Where(d => !ours.Contains(d.TargetName)))
        {
            // Only our 64 targets take part in -L all (the stage keeps a standing target of its own).
            iscsiadm.Run("-m", "node", "-T", other.TargetName, "-o", "delete");
        }
        try
        {
            var clock = Stopwatch.StartNew();
            ProcessResult one = ProcessRunner.Run(Iscsiadm.LoginTimeout, "iscsiadm", "-m", "node", "-T", targets[0].Iqn, "-p", targets[0].Portal, "--login");
            Assert.Equal(0, one.ExitCode);
            await WaitForDisksAsync(1, ct);
            double oneLogin = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            Assert.Equal(0, ProcessRunner.Run(Iscsiadm.LoginTimeout, "iscsiadm", "-m", "node", "-T", targets[0].Iqn, "-p", targets[0].Portal, "--logout").ExitCode);
            double oneLogout = clock.Elapsed.TotalMilliseconds;

            clock.Restart();
            ProcessResult all = ProcessRunner.Run(TimeSpan.FromMinutes(5), "iscsiadm", "-m", "node", "-L", "all");
            Assert.True(all.ExitCode == 0, all.ToString());
            double loginReturned = clock.Elapsed.TotalMilliseconds;
            await WaitForDisksAsync(targets.Count, ct);
            double manyLogin = clock.Elapsed.TotalMilliseconds;

            clock.Restart();
            ProcessResult none = ProcessRunner.Run(TimeSpan.FromMinutes(5), "iscsiadm", "-m", "node", "-U", "all");
            Assert.True(none.ExitCode == 0, none.ToString());
            double manyLogout = clock.Elapsed.TotalMilliseconds;
            Assert.Equal(before, LoginVm.KernelObjects());
            LoginVm.Report($"iscsiadm+iscsid: 1 login (disk ready) {oneLogin:0} ms, 1 logout {oneLogout:0} ms; -L all ({targets.Count}) returned after {loginReturned:0} ms, all disks ready {manyLogin:0} ms; -U all {manyLogout:0} ms");
        }
        finally
        {
            iscsiadm.Run("-m", "node", "-U", "all");
            iscsiadm.Run("-m", "node", "-o", "delete");
        }
    }

    private static async Task WaitForDisksAsync(int count, CancellationToken ct)
    {
        DateTime deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            int disks = SysfsProbe.Sessions().Count(s => SysfsProbe.BlockDevices(s.Sid).Any(d => File.Exists("/dev/" + d)));
            if (disks >= count)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"only {disks.ToString(CultureInfo.InvariantCulture)} of {count} iscsiadm sessions have a disk");
            await Task.Delay(20, ct);
        }
    }
}
