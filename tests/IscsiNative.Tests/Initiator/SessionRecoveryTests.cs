using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using IscsiNative.Initiator;
using IscsiNative.Netlink;
using IscsiNative.Protocol;
using IscsiNative.Tests.Netlink;
using IscsiNative.Sysfs;

namespace IscsiNative.Tests.Initiator;

/// <summary>
/// Recovery of a session this initiator logged in, over <see cref="FakeRecoveringKernel"/> (and a loopback listener
/// playing the portal): what a CONN_ERROR makes the library send, and when it stops.
/// </summary>
public sealed class SessionRecoveryTests : IDisposable
{
    private const uint Sid = FakeRecoveringKernel.Sid;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly TcpListener _portal = new(IPAddress.Loopback, 0);
    private readonly string _sysfs = Directory.CreateTempSubdirectory("iscsinative-recovery").FullName;
    private readonly FakeRecoveringKernel _kernel = new();

    public SessionRecoveryTests()
    {
        _portal.Start(64);
        Directory.CreateDirectory(Path.Combine(_sysfs, "class", "iscsi_session", "session" + Sid));
        Directory.CreateDirectory(Path.Combine(_sysfs, "class", "iscsi_connection", $"connection{Sid}:0"));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IscsiPortal Portal => new("127.0.0.1", ((IPEndPoint)_portal.LocalEndpoint).Port);

    public void Dispose()
    {
        _portal.Stop();
        Directory.Delete(_sysfs, recursive: true);
    }

    [Fact]
    public async Task Connection_error_of_own_session_stops_with_recover_then_rebinds_relogs_in_and_starts_the_same_connection()
    {
        using IscsiInitiator initiator = Initiator();
        await using EventRecorder events = EventRecorder.Start(initiator);
        IscsiSession session = await initiator.LoginAsync("iqn.t:1", Portal, Options(), Ct);
        int mark = _kernel.Sent.Count;
        int loginsBefore = _kernel.LoginPdus.Count;

        // No such session in this test's sysfs: the login's own values stand in for the read-back.
        Assert.Equal(((int)Sid, "iqn.t:1", Portal, IscsiSessionState.LoggedIn), (session.Sid, session.TargetName, session.Portal, session.State));
        Assert.Equal(FakeRecoveringKernel.Tsih, session.Parameters?.Tsih);

        _kernel.ConnectionError(Sid);
        IscsiSessionEvent recovered = await events.WaitForAsync(IscsiSessionEventKind.Recovered);

        Assert.Equal(((int)Sid, (int?)1), (recovered.Sid, recovered.Attempts));
        Assert.Equal(FakeRecoveringKernel.Tsih, recovered.Parameters!.Tsih);
        List<byte[]> after = [.. _kernel.Sent.Skip(mark)];
        List<IscsiUeventType> types = [.. after.Select(KernelMessages.RequestType).Where(t => t != IscsiUeventType.SetParam)];
        Assert.Equal([IscsiUeventType.StopConn, IscsiUeventType.BindConn, IscsiUeventType.SendPdu, IscsiUeventType.StartConn], types);
        Assert.Equal((uint)IscsiStopConnFlag.Recover, KernelMessages.U32(after[0], 32));
        Assert.All(after, m => Assert.Equal(Sid, KernelMessages.U32(m, 16)));
        Assert.All(after, m => Assert.Equal(0u, KernelMessages.U32(m, 20)));
        Assert.Equal(1u, KernelMessages.U32(after.Single(m => KernelMessages.RequestType(m) == IscsiUeventType.BindConn), 32));

        // SET_PARAM list 1 between BIND and the login, list 2 (ending with EXP_STATSN = StatSN + 1, TPGT) before START.
        List<uint> paramsSent = [.. after.Where(m => KernelMessages.RequestType(m) == IscsiUeventType.SetParam).Select(m => KernelMessages.U32(m, 24))];
        Assert.Equal([15u, 17, 18, 19, 26, 27, 28, 35, 30, 31, 32, 34, 43, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 16], paramsSent);

        // The re-login: same ISID as the first login (00 02 3D + sid), TSIH 0 as iscsid sends on reopen.
        byte[] relogin = _kernel.LoginPdus.Skip(loginsBefore).Single();
        Assert.Equal(new byte[] { 0x00, 0x02, 0x3D, 0x00, 0x00, (byte)Sid }, relogin.AsSpan(8, 6).ToArray());
        Assert.Equal(0, relogin[14] | relogin[15]);
        Assert.Equal(0x43, relogin[0]);

        Assert.Equal(
            [IscsiSessionEventKind.ConnectionError, IscsiSessionEventKind.RecoveryStarted, IscsiSessionEventKind.Recovered],
            events.Seen.Where(e => e.Kind != IscsiSessionEventKind.Created).Select(e => e.Kind));

        // A recovered session logs out normally (Logout PDU answered).
        Assert.True(await initiator.LogoutAsync(session, Ct));
    }

    [Fact]
    public async Task Connection_error_between_start_conn_and_the_end_of_the_login_is_kept_and_recovers_the_session()
    {
        using IscsiInitiator initiator = Initiator();
        await using EventRecorder events = EventRecorder.Start(initiator);

        // The kernel fails the connection as START_CONN runs (the target lost before the LUN scan): the CONN_ERROR is
        // handled by the event pump before the login has even got START_CONN's reply, so before it registers the
        // session. A second error of a foreign session marks that the pump is past the first one.
        _kernel.OnStartConn = () =>
        {
            _kernel.OnStartConn = null;
            _kernel.ConnectionError(Sid);
            _kernel.ConnectionError(99);
            Assert.True(SpinWait.SpinUntil(() => events.Seen.Any(e => e is { Kind: IscsiSessionEventKind.ConnectionError, Sid: 99 }), Bound), "the pump never got the events");
        };
        IscsiSession session = await initiator.LoginAsync("iqn.t:1", Portal, Options(), Ct);
        IscsiSessionEvent recovered = await events.WaitForAsync(IscsiSessionEventKind.Recovered);

        Assert.Equal((int)Sid, recovered.Sid);
        IscsiSessionEvent started = Assert.Single(events.Seen, e => e.Kind == IscsiSessionEventKind.RecoveryStarted);
        Assert.Equal(((int)Sid, (IscsiConnectionError?)IscsiConnectionError.TcpConnClose), (started.Sid, started.Error));
        Assert.DoesNotContain(events.Seen, e => e is { Kind: IscsiSessionEventKind.RecoveryStarted, Sid: 99 });
        Assert.True(await initiator.LogoutAsync(session, Ct));
    }

    [Fact]
    public async Task Connection_error_of_a_login_that_failed_after_start_conn_is_dropped_with_it()
    {
        using IscsiInitiator initiator = Initiator();
        await using EventRecorder events = EventRecorder.Start(initiator);

        // The connection fails as START_CONN runs and the login is cancelled right then: it unwinds.
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        _kernel.OnStartConn = () =>
        {
            _kernel.OnStartConn = null;
            _kernel.ConnectionError(Sid);
            cancel.Cancel();
        };
        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => initiator.LoginAsync("iqn.t:1", Portal, Options() with { ScanLuns = true, DeviceTimeout = TimeSpan.FromSeconds(5) }, cancel.Token));
        Assert.True(error is OperationCanceledException or IscsiException, error.ToString());
        Assert.Equal([IscsiUeventType.StopConn, IscsiUeventType.DestroyConn], _kernel.Sent.Select(KernelMessages.RequestType).TakeLast(3).Take(2));

        // The failed login's error starts no recovery; a later login of the same sid (the fake always answers 7) is not
        // recovered for it either.
        IscsiSession session = await initiator.LoginAsync("iqn.t:1", Portal, Options(), Ct);
        _kernel.Socket.Deliver(KernelMessages.Event(IscsiUeventType.KernelCreateSession, 8, 4), 1);
        await events.WaitForAsync(IscsiSessionEventKind.Created, e => e.Sid == 8);

        Assert.DoesNotContain(events.Seen, e => e.Kind == IscsiSessionEventKind.RecoveryStarted);
        Assert.True(await initiator.LogoutAsync(session, Ct));
    }

    [Fact]
    public async Task Lost_events_resync_from_sysfs_and_recover_an_own_session_whose_connection_failed()
    {
        using IscsiInitiator initiator = Initiator();
        await using EventRecorder events = EventRecorder.Start(initiator);
        IscsiSession session = await initiator.LoginAsync("iqn.t:1", Portal, Options(), Ct);

        // The CONN_ERROR was among the messages the kernel dropped: only ENOBUFS arrives, and sysfs shows the failure.
        File.WriteAllText(Path.Combine(_sysfs, "class", "iscsi_session", "session" + Sid, "state"), "FAILED\n");
        File.WriteAllText(Path.Combine(_sysfs, "class", "iscsi_connection", $"connection{Sid}:0", "state"), "failed\n");
        _kernel.Socket.DeliverError(105); // ENOBUFS
        IscsiSessionEvent recovered = await events.WaitForAsync(IscsiSessionEventKind.Recovered);

        Assert.Equal(((int)Sid, (int?)1), (recovered.Sid, recovered.Attempts));
        Assert.Equal(
            [IscsiSessionEventKind.RecoveryStarted, IscsiSessionEventKind.Recovered],
            events.Seen.Where(e => e.Kind != IscsiSessionEventKind.Created).Select(e => e.Kind));
        Assert.True(await initiator.LogoutAsync(session, Ct));
    }

    [Fact]
    public async Task Lost_events_leave_an_own_session_alone_while_sysfs_shows_it_logged_in()
    {
        using IscsiInitiator initiator = Initiator();
        await using EventRecorder events = EventRecorder.Start(initiator);
        IscsiSession session = await initiator.LoginAsync("iqn.t:1", Portal, Options(), Ct);
        File.WriteAllText(Path.Combine(_sysfs, "class", "iscsi_session", "session" + Sid, "state"), "LOGGED_IN\n");
        File.WriteAllText(Path.Combine(_sysfs, "class", "iscsi_connection", $"connection{Sid}:0", "state"), "up\n");

        // ENOBUFS, then a real CONN_ERROR: the only recovery is the one the CONN_ERROR started.
        _kernel.Socket.DeliverError(105);
        _kernel.ConnectionError(Sid);
        await events.WaitForAsync(IscsiSessionEventKind.Recovered);

        Assert.Equal(
            [IscsiSessionEventKind.ConnectionError, IscsiSessionEventKind.RecoveryStarted, IscsiSessionEventKind.Recovered],
            events.Seen.Where(e => e.Kind != IscsiSessionEventKind.Created).Select(e => e.Kind));
        Assert.True(await initiator.LogoutAsync(session, Ct));
    }

    [Fact]
    public async Task Connection_error_of_a_foreign_session_is_reported_but_not_recovered()
    {
        using IscsiInitiator initiator = Initiator();
        await using EventRecorder events = EventRecorder.Start(initiator);
        IscsiSession session = await initiator.LoginAsync("iqn.t:1", Portal, Options(), Ct);
        int mark = _kernel.Sent.Count;

        _kernel.ConnectionError(99);
        _kernel.ConnectionError(Sid);
        await events.WaitForAsync(IscsiSessionEventKind.Recovered);

        Assert.Contains(events.Seen, e => e is { Kind: IscsiSessionEventKind.ConnectionError, Sid: 99 });
        Assert.DoesNotContain(events.Seen, e => e is { Kind: IscsiSessionEventKind.RecoveryStarted, Sid: 99 });
        Assert.Single(events.Seen, e => e.Kind == IscsiSessionEventKind.RecoveryStarted);
        Assert.All(_kernel.Sent.Skip(mark), m => Assert.Equal(Sid, KernelMessages.U32(m, 16)));
        await initiator.LogoutAsync(session, Ct);
    }

    [Fact]
    public async Task Logout_during_recovery_stops_the_loop_and_tears_down_without_a_logout_pdu()
    {
        using IscsiInitiator initiator = Initiator();
        await using EventRecorder events = EventRecorder.Start(initiator);
        IscsiSession session = await initiator.LoginAsync("iqn.t:1", Portal, Options(new SessionRecoveryOptions { FirstDelay = TimeSpan.Zero, RetryDelay = TimeSpan.FromMilliseconds(20), MaxRetryDelay = TimeSpan.FromMilliseconds(20) }), Ct);
        _kernel.RefuseLogins = true;
        int logins = _kernel.LoginPdus.Count;

        _kernel.ConnectionError(Sid);
        await events.WaitForAsync(IscsiSessionEventKind.RecoveryStarted);
        Assert.True(SpinWait.SpinUntil(() => _kernel.LoginPdus.Count >= logins + 2, Bound), "no failed re-login attempts");

        bool answered = await initiator.LogoutAsync(session, Ct);

        Assert.False(answered);
        List<IscsiUeventType> types = [.. _kernel.Sent.Select(KernelMessages.RequestType)];
        Assert.Equal([IscsiUeventType.StopConn, IscsiUeventType.DestroyConn, IscsiUeventType.DestroySession], types.TakeLast(3));
        byte[] stop = _kernel.Sent[^3];
        Assert.Equal((uint)IscsiStopConnFlag.Terminate, KernelMessages.U32(stop, 32));
        Assert.DoesNotContain(IscsiUeventType.UnbindSession, types);
        Assert.DoesNotContain(_kernel.Sent, m => KernelMessages.RequestType(m) == IscsiUeventType.SendPdu && (m[72] & 0x3F) == 0x06);
        Assert.DoesNotContain(events.Seen, e => e.Kind is IscsiSessionEventKind.Recovered or IscsiSessionEventKind.RecoveryFailed);
    }

    [Fact]
    public async Task Repeated_failures_give_up_at_the_attempt_limit_with_a_recovery_failed_event_and_logout_still_cleans_up()
    {
        using IscsiInitiator initiator = Initiator();
        await using EventRecorder events = EventRecorder.Start(initiator);
        var recovery = new SessionRecoveryOptions { MaxAttempts = 3, FirstDelay = TimeSpan.Zero, RetryDelay = TimeSpan.FromMilliseconds(5), MaxRetryDelay = TimeSpan.FromMilliseconds(20) };
        IscsiSession session = await initiator.LoginAsync("iqn.t:1", Portal, Options(recovery), Ct);
        _kernel.RefuseLogins = true;
        int mark = _kernel.Sent.Count;
        int logins = _kernel.LoginPdus.Count;

        _kernel.ConnectionError(Sid);
        IscsiSessionEvent failed = await events.WaitForAsync(IscsiSessionEventKind.RecoveryFailed);

        Assert.Equal(((int)Sid, (int?)3), (failed.Sid, failed.Attempts));
        IscsiLoginException login = Assert.IsType<IscsiLoginException>(failed.LastError);
        Assert.Equal(0x0301, login.Status);
        Assert.Equal(3, _kernel.LoginPdus.Count - logins);
        List<byte[]> after = [.. _kernel.Sent.Skip(mark)];
        Assert.Equal(4, after.Count(m => KernelMessages.RequestType(m) == IscsiUeventType.StopConn && KernelMessages.U32(m, 32) == (uint)IscsiStopConnFlag.Recover));
        Assert.Equal(3, after.Count(m => KernelMessages.RequestType(m) == IscsiUeventType.BindConn));
        Assert.DoesNotContain(after, m => KernelMessages.RequestType(m) == IscsiUeventType.StartConn);

        // A late CONN_ERROR does not restart a recovery that gave up.
        _kernel.ConnectionError(Sid);
        Assert.False(await initiator.LogoutAsync(session, Ct));
        Assert.Single(events.Seen, e => e.Kind == IscsiSessionEventKind.RecoveryStarted);
        Assert.Equal([IscsiUeventType.StopConn, IscsiUeventType.DestroyConn, IscsiUeventType.DestroySession], _kernel.Sent.Select(KernelMessages.RequestType).TakeLast(3));
    }

    [Fact]
    public async Task Recovery_relogs_in_with_its_own_copy_of_chap_credentials_after_the_caller_disposed_them()
    {
        using IscsiInitiator initiator = Initiator();
        await using EventRecorder events = EventRecorder.Start(initiator);
        var chap = ChapCredentials.OneWay("user", "recovery-secret");
        IscsiSession session = await initiator.LoginAsync("iqn.t:1", Portal, Options() with { Credentials = chap }, Ct);
        chap.Dispose();
        int mark = _kernel.Sent.Count;
        int logins = _kernel.LoginPdus.Count;

        _kernel.ConnectionError(Sid);
        await events.WaitForAsync(IscsiSessionEventKind.Recovered);

        byte[] password = _kernel.Sent.Skip(mark).Single(m => KernelMessages.RequestType(m) == IscsiUeventType.SetParam && KernelMessages.U32(m, 24) == (uint)IscsiParam.Password);
        Assert.Equal("recovery-secret\0", Encoding.ASCII.GetString(password, 72, (int)KernelMessages.U32(password, 28)));
        Assert.Contains("AuthMethod=CHAP,None", Encoding.ASCII.GetString(_kernel.LoginPdus.Skip(logins).First().AsSpan(48)), StringComparison.Ordinal);
        await initiator.LogoutAsync(session, Ct);
    }

    [Fact]
    public async Task Disabled_recovery_only_reports_the_connection_error()
    {
        using IscsiInitiator initiator = Initiator();
        await using EventRecorder events = EventRecorder.Start(initiator);
        IscsiSession session = await initiator.LoginAsync("iqn.t:1", Portal, Options(new SessionRecoveryOptions { Enabled = false }), Ct);
        int mark = _kernel.Sent.Count;

        _kernel.ConnectionError(Sid);
        _kernel.Socket.Deliver(KernelMessages.Event(IscsiUeventType.KernelCreateSession, 8, 4), 1);
        await events.WaitForAsync(IscsiSessionEventKind.Created, e => e.Sid == 8);

        Assert.Contains(events.Seen, e => e is { Kind: IscsiSessionEventKind.ConnectionError, Sid: (int)Sid });
        Assert.DoesNotContain(events.Seen, e => e.Kind == IscsiSessionEventKind.RecoveryStarted);
        Assert.Equal(mark, _kernel.Sent.Count);
        await initiator.LogoutAsync(session, Ct);
    }

    [Fact]
    public void Delays_start_with_default_time2wait_then_double_from_retry_delay_up_to_the_maximum()
    {
        var options = new SessionRecoveryOptions { RetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(5) };

        TimeSpan[] delays = [.. Enumerable.Range(0, 6).Select(n => SessionRecovery.DelayBefore(n, options, time2WaitSeconds: 2))];

        Assert.Equal([2, 1, 2, 4, 5, 5], delays.Select(d => d.TotalSeconds));
        var iscsid = new SessionRecoveryOptions();
        Assert.Equal([2, 3, 3, 3], Enumerable.Range(0, 4).Select(n => SessionRecovery.DelayBefore(n, iscsid, 2).TotalSeconds));
        Assert.Equal(TimeSpan.Zero, SessionRecovery.DelayBefore(0, options with { FirstDelay = TimeSpan.Zero }, 2));
    }

    [Fact]
    public async Task Invalid_recovery_options_are_refused_before_anything_is_sent()
    {
        using IscsiInitiator initiator = Initiator();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => initiator.LoginAsync("iqn.t:1", Portal, Options(new SessionRecoveryOptions { MaxAttempts = -1 }), Ct));

        Assert.Empty(_kernel.Sent);
    }

    private static LoginOptions Options(SessionRecoveryOptions? recovery = null) => new()
    {
        InitiatorName = "iqn.2004-10.org.iscsinative:unit",
        LoginTimeout = TimeSpan.FromSeconds(10),
        ScanLuns = false,
        Recovery = recovery ?? new SessionRecoveryOptions { FirstDelay = TimeSpan.Zero, RetryDelay = TimeSpan.FromMilliseconds(10) },
    };

    private IscsiInitiator Initiator()
    {
        var initiator = new IscsiInitiator(new IscsiInitiatorOptions { SysfsRoot = _sysfs });
        initiator.UseKernel(new IscsiKernelTransport(_kernel.Socket, KernelMessages.Handle, new IscsiKernelTransportOptions { RequestTimeout = TimeSpan.FromSeconds(10) }));
        return initiator;
    }

    /// <summary>Reads <see cref="IscsiInitiator.WatchEventsAsync"/> in the background (subscribed before Start returns).</summary>
    private sealed class EventRecorder : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentQueue<IscsiSessionEvent> _seen = new();
        private readonly SemaphoreSlim _arrived = new(0);
        private Task _reader = Task.CompletedTask;

        internal IReadOnlyList<IscsiSessionEvent> Seen => [.. _seen];

        internal static EventRecorder Start(IscsiInitiator initiator)
        {
            var recorder = new EventRecorder();
            IAsyncEnumerator<IscsiSessionEvent> events = initiator.WatchEventsAsync(recorder._stop.Token).GetAsyncEnumerator(recorder._stop.Token);
            ValueTask<bool> first = events.MoveNextAsync(); // subscribes synchronously
            recorder._reader = recorder.ReadAsync(events, first);
            return recorder;
        }

        internal async Task<IscsiSessionEvent> WaitForAsync(IscsiSessionEventKind kind, Func<IscsiSessionEvent, bool>? match = null)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            deadline.CancelAfter(Bound);
            while (true)
            {
                if (_seen.FirstOrDefault(e => e.Kind == kind && (match is null || match(e))) is { } found)
                {
                    return found;
                }

                await _arrived.WaitAsync(deadline.Token);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _reader;
        }

        private async Task ReadAsync(IAsyncEnumerator<IscsiSessionEvent> events, ValueTask<bool> first)
        {
            await using (events)
            {
                try
                {
                    bool more = await first;
                    while (more)
                    {
                        _seen.Enqueue(events.Current);
                        _arrived.Release();
                        more = await events.MoveNextAsync();
                    }
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
    }
}
