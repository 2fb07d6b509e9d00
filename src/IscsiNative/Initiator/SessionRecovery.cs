using System.Diagnostics;
using System.Net.Sockets;
using IscsiNative.Netlink;
using IscsiNative.Protocol;
using IscsiNative.Sysfs;
using Microsoft.Extensions.Logging;

namespace IscsiNative.Initiator;

/// <summary>
/// The recovery state of one session this initiator logged in: its bound socket, its own copy of the CHAP
/// credentials (the caller may dispose theirs after <see cref="IscsiInitiator.LoginAsync"/>; this copy is cleared by
/// <see cref="StopAsync"/>), and the reconnect loop started by a CONN_ERROR (iscsid's ERL 0 reopen,
/// usr/initiator.c __session_conn_reopen). The loop runs on the thread pool, never on the netlink reader thread.
/// </summary>
internal sealed class SessionRecovery
{
    private const uint Cid = 0;

    private readonly IscsiKernelTransport _kernel;
    private readonly KernelLogin _login;
    private readonly SessionRecoveryOptions _options;
    private readonly ChapCredentials? _credentials;
    private readonly SysfsSessionReader _sysfs;
    private readonly ILogger _logger;
    private readonly Action<IscsiSessionEvent> _publish;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Socket? _socket;
    private Task _loop = Task.CompletedTask;
    private RecoveryState _state = RecoveryState.LoggedIn;
    private ReconnectSlots? _slots;
    private int _time2Wait;

    internal SessionRecovery(
        IscsiKernelTransport kernel, KernelLogin login, IscsiSession session, Socket socket, LoginOptions options,
        SysfsSessionReader sysfs, ILogger logger, Action<IscsiSessionEvent> publish)
    {
        _kernel = kernel;
        _login = login;
        _options = options.Recovery;
        _credentials = options.Credentials;
        _sysfs = sysfs;
        _logger = logger;
        _publish = publish;
        _socket = socket;
        Sid = (uint)session.Sid;
        Host = (uint)session.HostNumber!.Value;
        _time2Wait = session.Parameters!.DefaultTime2Wait;
    }

    /// <summary>Recovery of a session adopted from sysfs: no socket of ours (the kernel holds the bound one).</summary>
    internal SessionRecovery(
        IscsiKernelTransport kernel, KernelLogin login, uint sid, uint host, int time2Wait, LoginOptions options,
        SysfsSessionReader sysfs, ILogger logger, Action<IscsiSessionEvent> publish)
    {
        _kernel = kernel;
        _login = login;
        _options = options.Recovery;
        _credentials = options.Credentials;
        _sysfs = sysfs;
        _logger = logger;
        _publish = publish;
        Sid = sid;
        Host = host;
        _time2Wait = time2Wait;
    }

    private enum RecoveryState
    {
        LoggedIn,
        Recovering,
        GaveUp,
        Stopped,
    }

    internal uint Sid { get; }

    /// <summary>
    /// The initiator's bound on concurrent reconnects per portal (set by <see cref="KernelRecovery"/> before the session
    /// is registered; null: unbounded).
    /// </summary>
    internal ReconnectSlots? Slots
    {
        get => Volatile.Read(ref _slots);
        set => Volatile.Write(ref _slots, value);
    }

    internal uint Host { get; }

    /// <summary>The running (or last) reconnect loop; completed when none runs.</summary>
    internal Task Loop
    {
        get
        {
            lock (_gate)
            {
                return _loop;
            }
        }
    }

    /// <summary>
    /// A CONN_ERROR of this session: starts the reconnect loop unless one runs already (a failing attempt raises
    /// its own CONN_ERROR), recovery gave up, or the session is being logged out. Never blocks.
    /// </summary>
    /// <returns>True when a recovery started.</returns>
    internal bool OnConnectionError(uint cid, IscsiConnectionError error)
    {
        lock (_gate)
        {
            if (_state != RecoveryState.LoggedIn)
            {
                return false;
            }

            _state = RecoveryState.Recovering;
            RecoveryLog.Started(_logger, Sid, cid, error.ToString());
            _publish(IscsiSessionEvent.RecoveryStarted((int)Sid, error));
            long started = Stopwatch.GetTimestamp();
            _loop = Task.Run(() => RunAsync(started, _stop.Token), CancellationToken.None);
            return true;
        }
    }

    /// <summary>
    /// After the kernel dropped events: starts the reconnect loop when sysfs shows the session FAILED or FREE or its
    /// connection failed or down while this recovery still believes it logged in (its CONN_ERROR was lost).
    /// </summary>
    /// <returns>True when a recovery started.</returns>
    internal bool RecoverIfFailedInSysfs()
    {
        lock (_gate)
        {
            if (_state != RecoveryState.LoggedIn)
            {
                return false;
            }
        }

        // The two state files only (not a whole session read): a burst of lost events can mean hundreds of sessions.
        string sid = Sid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string? sessionState = SysfsSessionReader.TryReadText(Path.Combine(_sysfs.Root, "class", "iscsi_session", "session" + sid, "state"));
        string? connectionState = SysfsSessionReader.TryReadText(Path.Combine(_sysfs.Root, "class", "iscsi_connection", $"connection{sid}:{Cid}", "state"));
        bool failed = sessionState is "FAILED" or "FREE" || connectionState is "failed" or "down";
        return failed && OnConnectionError(Cid, IscsiConnectionError.ConnFailed);
    }

    /// <summary>
    /// Stops the loop (waits for it), clears the credentials copy and hands over the socket for teardown.
    /// </summary>
    /// <returns>The bound socket (null while reconnecting) and whether the connection is up (a Logout PDU can be sent).</returns>
    internal async Task<(Socket? Socket, bool ConnectionUp)> StopAsync()
    {
        Task loop;
        lock (_gate)
        {
            loop = _loop;
            _stop.Cancel();
        }

        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            RecoveryLog.StepFailed(_logger, Sid, "recovery loop", e);
        }

        lock (_gate)
        {
            bool up = _state == RecoveryState.LoggedIn;
            _state = RecoveryState.Stopped;
            Socket? socket = _socket;
            _socket = null;
            _credentials?.Dispose();
            return (socket, up);
        }
    }

    /// <summary>Stops the loop without waiting (initiator dispose, or the session was destroyed by someone else).</summary>
    internal Task Abandon(string reason)
    {
        lock (_gate)
        {
            if (_state == RecoveryState.Recovering)
            {
                RecoveryLog.Stopped(_logger, Sid, reason);
            }

            _stop.Cancel();
            return _loop;
        }
    }

    /// <summary>Releases the socket and the credentials copy (after <see cref="Abandon"/> on dispose); the session stays in the kernel.</summary>
    internal void Release()
    {
        lock (_gate)
        {
            _state = RecoveryState.Stopped;
            _socket?.Dispose();
            _socket = null;
            _credentials?.Dispose();
        }
    }

    /// <summary>The wait before attempt <paramref name="failures"/> + 1: DefaultTime2Wait first, then RetryDelay doubling up to MaxRetryDelay.</summary>
    internal static TimeSpan DelayBefore(int failures, SessionRecoveryOptions options, int time2WaitSeconds)
    {
        if (failures == 0)
        {
            return options.FirstDelay ?? TimeSpan.FromSeconds(Math.Max(0, time2WaitSeconds));
        }

        TimeSpan delay = options.RetryDelay;
        for (int i = 1; i < failures && delay < options.MaxRetryDelay; i++)
        {
            delay += delay;
        }

        return delay > options.MaxRetryDelay && options.MaxRetryDelay >= options.RetryDelay ? options.MaxRetryDelay : delay;
    }

    private async Task RunAsync(long started, CancellationToken cancellationToken)
    {
        int attempts = 0;
        Exception? last = null;
        try
        {
            // The kernel already dropped the socket and blocked the session; RECOVER clears its cleanup bit so BIND,
            // SEND_PDU and START work again (flag 1 would leave a connection that can only be destroyed).
            if (!await StopForRecoveryAsync(cancellationToken).ConfigureAwait(false))
            {
                GiveUp(attempts, last);
                return;
            }

            lock (_gate)
            {
                _socket?.Dispose();
                _socket = null;
            }

            while (true)
            {
                TimeSpan delay = DelayBefore(attempts, _options, _time2Wait);
                if ((_options.MaxAttempts > 0 && attempts >= _options.MaxAttempts)
                    || (_options.GiveUpAfter is { } limit && Stopwatch.GetElapsedTime(started) + delay > limit))
                {
                    GiveUp(attempts, last);
                    return;
                }

                RecoveryLog.Waiting(_logger, Sid, attempts + 1, delay.TotalMilliseconds);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                attempts++;
                try
                {
                    NegotiatedParameters parameters;
                    Socket socket;
                    using (Slots is { } slots ? await slots.EnterAsync(_login.Portal, cancellationToken).ConfigureAwait(false) : null)
                    {
                        (parameters, socket) = await _login.ReconnectAsync(Sid, Host, cancellationToken).ConfigureAwait(false);
                    }

                    TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
                    lock (_gate)
                    {
                        _socket = socket;
                        _state = RecoveryState.LoggedIn;
                        _time2Wait = parameters.DefaultTime2Wait;
                    }

                    RecoveryLog.Recovered(_logger, Sid, attempts, elapsed.TotalMilliseconds);
                    _publish(IscsiSessionEvent.Recovered((int)Sid, attempts, elapsed, parameters));
                    if (_options.RescanDevices)
                    {
                        RescanDevices();
                    }

                    return;
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OutOfMemoryException)
                {
                    last = e;
                    RecoveryLog.AttemptFailed(_logger, Sid, attempts, e);

                    // A failed login leaves a bound (or kernel-failed) connection: stop it for the next BIND, as iscsid.
                    if (!await StopForRecoveryAsync(cancellationToken).ConfigureAwait(false))
                    {
                        GiveUp(attempts, last);
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            RecoveryLog.Stopped(_logger, Sid, "logout or dispose");
        }
        catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
        {
            RecoveryLog.Stopped(_logger, Sid, "initiator disposed");
        }
    }

    /// <returns>False when the connection no longer exists (EINVAL: someone destroyed the session).</returns>
    private async Task<bool> StopForRecoveryAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _kernel.StopConnectionAsync(Sid, Cid, IscsiStopConnFlag.Recover, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (IscsiKernelException e) when (e.Errno == Errno.EINVAL)
        {
            RecoveryLog.StepFailed(_logger, Sid, "STOP_CONN(RECOVER)", e);
            return false;
        }
        catch (Exception e) when (e is IscsiKernelException or IscsiTimeoutException)
        {
            // e.g. a timeout: the next BIND will tell; keep trying as iscsid does (ISCSI_INTERNAL_ERR_REOPEN_DELAY).
            RecoveryLog.StepFailed(_logger, Sid, "STOP_CONN(RECOVER)", e);
            return true;
        }
    }

    private void GiveUp(int attempts, Exception? last)
    {
        lock (_gate)
        {
            _state = RecoveryState.GaveUp;
        }

        RecoveryLog.GaveUp(_logger, Sid, attempts);
        _publish(IscsiSessionEvent.RecoveryFailed((int)Sid, attempts, last));
    }

    /// <summary>iscsid's recovery rescan (session_scan_host(rescan=true)): each LUN back to <c>running</c> if it is not, then <c>1</c> to <c>rescan</c>.</summary>
    private void RescanDevices()
    {
        foreach (string rescan in _sysfs.RescanFiles(Sid))
        {
            string lun = Path.GetDirectoryName(rescan)!;
            try
            {
                string state = Path.Combine(lun, "state");
                if (SysfsSessionReader.TryReadText(state) is { } current && current != "running")
                {
                    SysfsSessionReader.WriteAttribute(state, "running\n");
                }

                SysfsSessionReader.WriteAttribute(rescan, "1");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                RecoveryLog.StepFailed(_logger, Sid, "device rescan", e);
            }
        }
    }
}
