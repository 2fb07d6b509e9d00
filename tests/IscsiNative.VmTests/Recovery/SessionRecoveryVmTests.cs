using System.Diagnostics;
using System.Security.Cryptography;
using IscsiNative.Initiator;
using IscsiNative.VmTests.Infrastructure;
using IscsiNative.VmTests.Login;
using IscsiNative.Sysfs;

namespace IscsiNative.VmTests.Recovery;

/// <summary>
/// The library reconnects its own sessions after a target outage (LIO TPG disabled, then enabled), with no iscsid:
/// same sid, same /dev/sdX, data intact; and it gives up at its configured limit without leaking anything.
/// </summary>
public sealed class SessionRecoveryVmTests
{
    private static readonly TimeSpan StateWait = TimeSpan.FromSeconds(60);

    [VmFact]
    public async Task Target_outage_fails_the_session_and_the_library_recovers_it_with_the_same_sid_disk_and_data()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LoginVm.Target(nameof(Target_outage_fails_the_session_and_the_library_recovers_it_with_the_same_sid_disk_and_data));
        using var initiator = new IscsiInitiator();
        await using RecoveryEvents events = RecoveryEvents.Start(initiator);
        IscsiSession session = await initiator.LoginAsync(target.Iqn, LoginVm.Portal, LoginVm.Options(), ct);
        try
        {
            string disk = LoginVm.AssertDisk(session);
            byte[] data = RandomNumberGenerator.GetBytes(1024 * 1024);
            await WriteAsync(disk, data, ct);

            TimeSpan elapsed = await OutageAndRecoveryAsync(target, session, events);

            Assert.Equal(disk, LoginVm.AssertDisk(session));
            Assert.Equal(Path.GetFileName(disk), Assert.Single(SysfsProbe.BlockDevices(session.Sid)));
            await File.WriteAllTextAsync("/proc/sys/vm/drop_caches", "3", ct);
            Assert.Equal(data, await ReadAsync(disk, data.Length, ct));
            LoginVm.Report($"recovery: TPG re-enabled -> LOGGED_IN (Recovered event) in {elapsed.TotalMilliseconds:0} ms");
        }
        finally
        {
            await initiator.LogoutAsync(session, ct);
        }

        LoginVm.AssertGone(session.Sid, session.HostNumber);
    }

    [VmFact]
    public async Task Recovery_of_a_mutual_chap_session_reauthenticates_after_the_caller_disposed_its_credentials()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LoginVm.Target(
            nameof(Recovery_of_a_mutual_chap_session_reauthenticates_after_the_caller_disposed_its_credentials),
            new Infrastructure.ChapCredentials("inuser", "initiatorsecret1", "tgtuser", "targetsecret22"));
        using var initiator = new IscsiInitiator();
        await using RecoveryEvents events = RecoveryEvents.Start(initiator);
        IscsiSession session;
        using (var chap = IscsiNative.Protocol.ChapCredentials.Mutual("inuser", "initiatorsecret1", "tgtuser", "targetsecret22"))
        {
            session = await initiator.LoginAsync(target.Iqn, LoginVm.Portal, LoginVm.Options(chap), ct);
        }

        try
        {
            TimeSpan elapsed = await OutageAndRecoveryAsync(target, session, events);

            IscsiSessionEvent recovered = events.Of(session.Sid).Last(e => e.Kind == IscsiSessionEventKind.Recovered);
            Assert.NotNull(recovered.Parameters?.ChapAlgorithm);
            LoginVm.Report($"recovery (mutual CHAP): TPG re-enabled -> LOGGED_IN in {elapsed.TotalMilliseconds:0} ms");
        }
        finally
        {
            await initiator.LogoutAsync(session, ct);
        }

        LoginVm.AssertGone(session.Sid, session.HostNumber);
    }

    [VmFact]
    public async Task A_session_whose_target_stays_disabled_gives_up_at_the_attempt_limit_and_logout_still_removes_it()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LoginVm.Target(nameof(A_session_whose_target_stays_disabled_gives_up_at_the_attempt_limit_and_logout_still_removes_it));
        using var initiator = new IscsiInitiator();
        await using RecoveryEvents events = RecoveryEvents.Start(initiator);
        LoginOptions options = LoginVm.Options() with
        {
            Recovery = new SessionRecoveryOptions { MaxAttempts = 2, RetryDelay = TimeSpan.FromSeconds(1) },
        };
        IscsiSession session = await initiator.LoginAsync(target.Iqn, LoginVm.Portal, options, ct);
        int fdsAfterLogin = LoginVm.OpenFds();
        try
        {
            target.SetEnabled(false);
            IscsiSessionEvent failed = await events.WaitForAsync(IscsiSessionEventKind.RecoveryFailed, session.Sid, StateWait);

            Assert.Equal(2, failed.Attempts);
            Assert.IsType<IscsiLoginException>(failed.LastError, exactMatch: false);
            Assert.Equal("FAILED", Assert.Single(SysfsProbe.SessionsTo(target.Iqn)).State);
            AssertOrder(events.Of(session.Sid), IscsiSessionEventKind.RecoveryFailed);
        }
        finally
        {
            Assert.False(await initiator.LogoutAsync(session, ct));
            target.SetEnabled(true);
        }

        LoginVm.AssertGone(session.Sid, session.HostNumber);
        Assert.Empty(SysfsProbe.SessionsTo(target.Iqn));
        Assert.True(LoginVm.OpenFds() <= fdsAfterLogin, "the recovery leaked file descriptors");
    }

    /// <summary>Disables the TPG until the session is FAILED and recovering, re-enables it, and waits for the recovery.</summary>
    /// <returns>Time from re-enabling to the Recovered event.</returns>
    private static async Task<TimeSpan> OutageAndRecoveryAsync(LioTarget target, IscsiSession session, RecoveryEvents events)
    {
        target.SetEnabled(false);
        Assert.True(SysfsProbe.WaitForState(target.Iqn, "FAILED", StateWait), $"not FAILED: {string.Join(", ", SysfsProbe.SessionsTo(target.Iqn))}");
        await events.WaitForAsync(IscsiSessionEventKind.RecoveryStarted, session.Sid, StateWait);

        var clock = Stopwatch.StartNew();
        target.SetEnabled(true);
        IscsiSessionEvent recovered = await events.WaitForAsync(IscsiSessionEventKind.Recovered, session.Sid, StateWait);
        TimeSpan elapsed = clock.Elapsed;

        ProbedSession probed = Assert.Single(SysfsProbe.SessionsTo(target.Iqn));
        Assert.Equal((session.Sid, "LOGGED_IN"), (probed.Sid, probed.State));
        Assert.Equal("up", SysfsProbe.ReadAttribute($"/sys/class/iscsi_connection/connection{session.Sid}:0", "state"));
        Assert.True(recovered.Attempts >= 1);

        AssertOrder(events.Of(session.Sid), IscsiSessionEventKind.Recovered);
        return elapsed;
    }

    /// <summary>ConnectionError → RecoveryStarted (once: failed attempts raise further CONN_ERRORs, not new recoveries) → <paramref name="outcome"/>.</summary>
    private static void AssertOrder(IReadOnlyList<IscsiSessionEvent> events, IscsiSessionEventKind outcome)
    {
        List<IscsiSessionEventKind> kinds = [.. events.Select(e => e.Kind)];
        int error = kinds.IndexOf(IscsiSessionEventKind.ConnectionError);
        int started = kinds.IndexOf(IscsiSessionEventKind.RecoveryStarted);
        int done = kinds.IndexOf(outcome);
        Assert.True(error >= 0 && error < started && started < done, "events: " + string.Join(", ", kinds));
        Assert.Single(kinds, k => k == IscsiSessionEventKind.RecoveryStarted);
    }

    private static async Task WriteAsync(string disk, byte[] data, CancellationToken ct)
    {
        using var stream = new FileStream(disk, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 20, FileOptions.WriteThrough);
        await stream.WriteAsync(data, ct);
        stream.Flush(flushToDisk: true);
    }

    private static async Task<byte[]> ReadAsync(string disk, int length, CancellationToken ct)
    {
        using var stream = new FileStream(disk, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20);
        byte[] buffer = new byte[length];
        await stream.ReadExactlyAsync(buffer, ct);
        return buffer;
    }
}
