using System.Diagnostics;
using System.Globalization;
using IscsiNative.Initiator;
using IscsiNative.Sysfs;
using IscsiNative.VmTests.Adoption;
using IscsiNative.VmTests.Infrastructure;
using IscsiNative.VmTests.Login;
using IscsiNative.VmTests.Recovery;

namespace IscsiNative.VmTests.Reliability;

/// <summary>
/// One portal's traffic dropped by an nftables rule (issue 17), not the whole loopback as with netem: a target of its
/// own on port <see cref="DroppedPort"/> while a second target on 3260 keeps working. A session to the dropped portal
/// must fail (the kernel's NOP-Out ping), fail its I/O with EIO once replacement_timeout passed (no hang) and come
/// back through the library's recovery when the rule is gone; a login to the dropped portal must end in a typed
/// timeout and leave no kernel session or connection. Every wait is bounded.
/// </summary>
public sealed class PortDropVmTests
{
    /// <summary>A portal no other VM test uses (the node tests use 3268).</summary>
    private const int DroppedPort = 3271;

    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(120);

    [VmFact]
    public async Task A_dropped_portal_fails_its_session_and_its_io_with_EIO_and_the_recovery_brings_it_back_when_the_rule_is_gone()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget dropped = DroppedTarget("drop");
        using LioTarget other = LoginVm.Target("drop-other");
        var before = LoginVm.KernelObjects();
        await using var initiator = new IscsiInitiator();
        await using RecoveryEvents events = RecoveryEvents.Start(initiator);

        // recovery_tmo 5 s and a 2 s NOP-Out ping: the kernel notices the silent portal and fails queued I/O soon.
        LoginOptions options = LoginVm.Options() with
        {
            RecoveryTimeout = 5,
            NoopOutInterval = 2,
            NoopOutTimeout = 2,
            Recovery = new SessionRecoveryOptions { FirstDelay = TimeSpan.FromSeconds(1), RetryDelay = TimeSpan.FromSeconds(2), MaxRetryDelay = TimeSpan.FromSeconds(4) },
        };
        IscsiSession session = await initiator.LoginAsync(dropped.Iqn, Portal, options, ct);
        IscsiSession bystander = await initiator.LoginAsync(other.Iqn, LoginVm.Portal, options, ct);
        string result;
        try
        {
            string disk = LoginVm.AssertDisk(session);
            string otherDisk = LoginVm.AssertDisk(bystander);
            string device = $"/sys/block/{Path.GetFileName(disk)}/device/state";
            TimeSpan failedAfter;
            TimeSpan ddAfter;
            int ddExit;
            string ddErr;
            long droppedPackets;
            using (Nftables rule = Nftables.DropTcpPort(DroppedPort))
            {
                var clock = Stopwatch.StartNew();

                // A direct read queued during the outage: it must end (no hang) with EIO once replacement_timeout passed.
                using HelperProcess dd = HelperProcess.Start("dd", "if=" + disk, "of=/dev/null", "bs=4k", "count=16", "iflag=direct", "status=none");
                Assert.True(Wait.Until(() => SysfsProbe.SessionsTo(dropped.Iqn) is [{ State: "FAILED" or "FREE" }], Bounded), "the session to the dropped portal did not fail");
                failedAfter = clock.Elapsed;
                await events.WaitForAsync(IscsiSessionEventKind.RecoveryStarted, session.Sid, Bounded);
                ddExit = dd.WaitForExit(Bounded);
                ddAfter = clock.Elapsed;
                ddErr = dd.StdErr;

                // Only that portal: the session on 3260 stays logged in and its disk reads.
                Assert.Equal("LOGGED_IN", Assert.Single(SysfsProbe.SessionsTo(other.Iqn)).State);
                using (HelperProcess read = HelperProcess.Start("dd", "if=" + otherDisk, "of=/dev/null", "bs=4k", "count=16", "iflag=direct", "status=none"))
                {
                    Assert.Equal(0, read.WaitForExit(Bounded));
                }

                droppedPackets = rule.Dropped();
            }

            Assert.NotEqual(0, ddExit);
            Assert.Contains("Input/output error", ddErr, StringComparison.Ordinal);
            Assert.True(droppedPackets > 0, "the rule dropped nothing");

            // The rule gone: the library's recovery logs the session in again and resets its disk to running.
            IscsiSessionEvent recovered = await events.WaitForAsync(IscsiSessionEventKind.Recovered, session.Sid, Bounded);
            Assert.Equal("LOGGED_IN", Assert.Single(SysfsProbe.SessionsTo(dropped.Iqn)).State);
            Assert.Equal("up", SysfsProbe.ReadAttribute($"/sys/class/iscsi_connection/connection{session.Sid.ToString(CultureInfo.InvariantCulture)}:0", "state"));
            Assert.True(Wait.Until(() => File.ReadAllText(device).Trim() == "running", Bounded), "the disk did not return to running: " + File.ReadAllText(device).Trim());
            using (HelperProcess again = HelperProcess.Start("dd", "if=" + disk, "of=/dev/null", "bs=4k", "count=16", "iflag=direct", "status=none"))
            {
                Assert.True(again.WaitForExit(Bounded) == 0, "read after the recovery failed: " + again.StdErr);
            }

            result = string.Create(CultureInfo.InvariantCulture,
                $"nft drop of :{DroppedPort}: FAILED after {failedAfter.TotalSeconds:0.0} s, dd EIO after {ddAfter.TotalSeconds:0.0} s, {droppedPackets} packets dropped, the :3260 session stayed LOGGED_IN; recovered after {recovered.Attempts} attempt(s), disk readable");
        }
        finally
        {
            await initiator.LogoutAsync(session, ct);
            await initiator.LogoutAsync(bystander, ct);
        }

        LoginVm.AssertGone(session.Sid, session.HostNumber);
        LoginVm.AssertGone(bystander.Sid, bystander.HostNumber);
        Assert.Equal(before, LoginVm.KernelObjects());
        LoginVm.Report(result);
    }

    [VmFact]
    public async Task A_login_to_a_dropped_portal_times_out_typed_and_leaves_no_kernel_object()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = DroppedTarget("drop-login");
        var before = LoginVm.KernelObjects();
        await using var initiator = new IscsiInitiator();
        LoginOptions options = LoginVm.Options() with { ConnectTimeout = TimeSpan.FromSeconds(5), LoginTimeout = TimeSpan.FromSeconds(10) };

        // 1. Dropped before the login: the SYN is never answered, the connect times out.
        IscsiTimeoutException connect;
        using (Nftables.DropTcpPort(DroppedPort))
        {
            connect = await Assert.ThrowsAsync<IscsiTimeoutException>(() => initiator.LoginAsync(target.Iqn, Portal, options, ct).WaitAsync(Bounded, ct));
        }

        Assert.Equal("connect", connect.Operation);
        Assert.True(Wait.Until(() => before.Equals(LoginVm.KernelObjects()), TimeSpan.FromSeconds(30)), $"left behind by the connect timeout: {LoginVm.KernelObjects()}");

        // 2. Dropped right after the TCP connect (the login held there): the Login PDUs are lost. The login ends typed
        // either way the kernel's TCP takes it: its own timeout (nothing comes back), or a CONN_ERROR when the local
        // drop makes the connection's transmit fail (XmitFailed, seen once in a full VM run: an nftables drop in the
        // output hook is an error for the sending socket, not a silent loss).
        IscsiException login;
        using (var hold = new HoldAt("login: TCP connect"))
        {
            Task<IscsiSession> attempt;
            Nftables? rule = null;
            PhaseTrace.SetSink(hold);
            try
            {
                attempt = initiator.LoginAsync(target.Iqn, Portal, options, ct);
                Assert.True(hold.Reached.Wait(Bounded, ct), "the login never reached its TCP connect");
                rule = Nftables.DropTcpPort(DroppedPort);
            }
            finally
            {
                PhaseTrace.SetSink(null);
                hold.Release();
            }

            using (rule)
            {
                login = await Assert.ThrowsAnyAsync<IscsiException>(() => attempt.WaitAsync(Bounded, ct));
            }
        }

        switch (login)
        {
            case IscsiTimeoutException timeout:
                Assert.Equal("login", timeout.Operation);
                break;
            case IscsiKernelException kernel:
                Assert.Contains("ISCSI_KEVENT_CONN_ERROR", kernel.Message, StringComparison.Ordinal);
                break;
            default:
                Assert.Fail($"expected a login timeout or a CONN_ERROR, got {login.GetType().Name}: {login.Message}");
                break;
        }

        Assert.True(Wait.Until(() => before.Equals(LoginVm.KernelObjects()), TimeSpan.FromSeconds(30)), $"left behind by the login timeout: {LoginVm.KernelObjects()}");

        // The rule gone: a normal login and logout.
        IscsiSession session = await initiator.LoginAsync(target.Iqn, Portal, options, ct);
        LoginVm.AssertDisk(session);
        Assert.True(await initiator.LogoutAsync(session, ct));
        Assert.Equal(before, LoginVm.KernelObjects());
        LoginVm.Report($"nft drop of :{DroppedPort} at login: before the connect: {connect.Message}; after the connect: {login.GetType().Name}: {login.Message}; nothing left");
    }

    private static IscsiPortal Portal => new("127.0.0.1", DroppedPort);

    private static LioTarget DroppedTarget(string name) =>
        LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(name)) { Port = DroppedPort });
}
