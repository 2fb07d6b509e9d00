using System.Diagnostics;
using System.Security.Cryptography;
using IscsiNative.Initiator;
using IscsiNative.Sysfs;
using IscsiNative.VmTests.Adoption;
using IscsiNative.VmTests.Infrastructure;
using IscsiNative.VmTests.Login;

namespace IscsiNative.VmTests.Reliability;

/// <summary>
/// Faults on the wire (tc netem on lo, issue 17): a lossy, slow loopback must not break logins or data, and an
/// outage longer than replacement_timeout must fail I/O with EIO and leave a FAILED session that logs out cleanly.
/// Every wait is bounded.
/// </summary>
public sealed class FaultInjectionVmTests
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(90);

    [VmFact]
    public async Task Logins_and_a_data_round_trip_succeed_with_5_percent_loss_and_200_ms_delay_on_loopback()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget a = LoginVm.Target("netem-a");
        using LioTarget b = LoginVm.Target("netem-b", new Infrastructure.ChapCredentials("netemuser", "netemsecret12"));
        var before = LoginVm.KernelObjects();
        await using var initiator = new IscsiInitiator();
        var sessions = new List<IscsiSession>();
        long dropped;
        using (Netem netem = Netem.Apply("delay", "200ms", "loss", "5%"))
        {
            try
            {
                sessions.Add(await initiator.LoginAsync(a.Iqn, LoginVm.Portal, LoginVm.Options(), ct));
                using var chap = IscsiNative.Protocol.ChapCredentials.OneWay("netemuser", "netemsecret12");
                sessions.Add(await initiator.LoginAsync(b.Iqn, LoginVm.Portal, LoginVm.Options(chap), ct));
                foreach (IscsiSession s in sessions)
                {
                    string disk = LoginVm.AssertDisk(s);
                    byte[] data = RandomNumberGenerator.GetBytes(512 * 1024);
                    await DiskIo.WriteAsync(disk, data, ct);
                    await File.WriteAllTextAsync("/proc/sys/vm/drop_caches", "3", ct);
                    Assert.Equal(data, await DiskIo.ReadAsync(disk, data.Length, ct));
                    Assert.Equal("LOGGED_IN", Assert.Single(SysfsProbe.SessionsTo(s.TargetName)).State);
                }

                dropped = Netem.Dropped();
            }
            finally
            {
                foreach (IscsiSession s in sessions)
                {
                    await initiator.LogoutAsync(s, ct);
                }
            }
        }

        Assert.Equal(2, sessions.Count);
        foreach (IscsiSession s in sessions)
        {
            LoginVm.AssertGone(s.Sid, s.HostNumber);
        }

        Assert.Equal(before, LoginVm.KernelObjects());
        LoginVm.Report($"netem 5% loss + 200 ms delay: 2 logins (one CHAP), 2 x 512 KiB written and read back; netem dropped {dropped} packets");
    }

    [VmFact]
    public async Task An_outage_longer_than_replacement_timeout_fails_io_with_EIO_leaves_the_session_FAILED_and_logout_cleans_up()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LoginVm.Target("outage");
        var before = LoginVm.KernelObjects();
        await using var initiator = new IscsiInitiator();
        LoginOptions options = LoginVm.Options() with { RecoveryTimeout = 5, NoopOutInterval = 2, NoopOutTimeout = 2 };
        IscsiSession session = await initiator.LoginAsync(target.Iqn, LoginVm.Portal, options, ct);
        bool loggedOut;
        string ddErr;
        int ddExit;
        TimeSpan failedAfter;
        using (Netem netem = Netem.Apply("loss", "100%"))
        {
            try
            {
                string disk = LoginVm.AssertDisk(session);
                Assert.Equal("5", SysfsProbe.ReadAttribute($"/sys/class/iscsi_session/session{session.Sid}", "recovery_tmo"));

                // A direct read queued during the outage: it must end (no hang) with EIO once replacement_timeout passed.
                var clock = Stopwatch.StartNew();
                using HelperProcess dd = HelperProcess.Start("dd", "if=" + disk, "of=/dev/null", "bs=4k", "count=16", "iflag=direct", "status=none");
                Assert.True(SysfsProbe.WaitForState(target.Iqn, "FAILED", Bounded), "the session did not fail during the outage");
                failedAfter = clock.Elapsed;
                ddExit = dd.WaitForExit(Bounded);
                ddErr = dd.StdErr;

                // The kernel's recovery timeout marks the session FREE before it fails the queued I/O
                // (scsi_transport_iscsi session_recovery_timedout); the connection stays failed.
                Assert.Equal("FREE", Assert.Single(SysfsProbe.SessionsTo(target.Iqn)).State);

                // A second read after the timeout fails at once: the kernel took the disk offline (open gives ENXIO).
                using HelperProcess again = HelperProcess.Start("dd", "if=" + disk, "of=/dev/null", "bs=4k", "count=1", "iflag=direct", "status=none");
                Assert.NotEqual(0, again.WaitForExit(Bounded));
                Assert.Contains("No such device or address", again.StdErr, StringComparison.Ordinal);
            }
            finally
            {
                // Still inside the outage: no Logout PDU can be answered, the teardown must still finish (bounded).
                loggedOut = await initiator.LogoutAsync(session, ct).WaitAsync(Bounded, ct);
            }
        }

        Assert.NotEqual(0, ddExit);
        Assert.Contains("Input/output error", ddErr, StringComparison.Ordinal);
        Assert.False(loggedOut);
        LoginVm.AssertGone(session.Sid, session.HostNumber);
        Assert.Equal(before, LoginVm.KernelObjects());
        LoginVm.Report($"outage (netem loss 100%) with replacement_timeout 5 s: FAILED after {failedAfter.TotalSeconds:0.0} s, dd got EIO, logout (unanswered) cleaned up");
    }
}

/// <summary>Whole-buffer writes and reads of a block device (write-through, then a fresh read after drop_caches).</summary>
internal static class DiskIo
{
    public static async Task WriteAsync(string disk, byte[] data, CancellationToken ct)
    {
        using var stream = new FileStream(disk, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 20, FileOptions.WriteThrough);
        await stream.WriteAsync(data, ct);
        stream.Flush(flushToDisk: true);
    }

    public static async Task<byte[]> ReadAsync(string disk, int length, CancellationToken ct)
    {
        using var stream = new FileStream(disk, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20);
        byte[] buffer = new byte[length];
        await stream.ReadExactlyAsync(buffer, ct);
        return buffer;
    }
}
