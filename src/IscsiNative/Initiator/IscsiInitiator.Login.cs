using System.Collections.Concurrent;
using System.Net.Sockets;
using IscsiNative.Netlink;
using IscsiNative.Protocol;
using IscsiNative.Sysfs;
using Microsoft.Extensions.Logging;

namespace IscsiNative.Initiator;

/// <summary>Kernel login, logout and rescan over NETLINK_ISCSI (no iscsid, no iscsiadm).</summary>
public sealed partial class IscsiInitiator
{
    private readonly Lock _kernelGate = new();
    private readonly Lock _moduleGate = new();
    private bool _transportChecked;
    private readonly ConcurrentDictionary<uint, Socket> _ownSockets = new();
    private IscsiKernelTransport? _kernel;
    private KernelRecovery? _recovery;
    private ScsiHostUevents? _uevents;
    private bool _ueventsOpened;

    /// <summary>
    /// Logs in to <paramref name="targetName"/> at <paramref name="portal"/> through the kernel, as iscsid does:
    /// CREATE_SESSION, TCP connect, CREATE_CONN, BIND_CONN, SET_PARAMs, login PDUs over SEND_PDU/RECV_PDU (CHAP and
    /// mutual CHAP included), negotiated SET_PARAMs, START_CONN, LUN scan, then waits until every LUN's block device
    /// exists. A failure at any step removes everything created so far (nothing is left in sysfs).
    /// Safe to call concurrently; the session appears in <c>iscsiadm -m session</c>.
    /// </summary>
    /// <param name="targetName">The target IQN.</param>
    /// <param name="portal">The target portal.</param>
    /// <param name="options">Login settings; <see langword="null"/> for defaults (initiator name from /etc/iscsi/initiatorname.iscsi).</param>
    /// <param name="cancellationToken">Cancels the login (what was created is removed).</param>
    /// <returns>The session with its sid, SCSI host, negotiated parameters and block devices.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="portal"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="targetName"/> is empty, or options are invalid.</exception>
    /// <exception cref="InvalidOperationException">No initiator name given and none in the initiator name file.</exception>
    /// <exception cref="IscsiAuthenticationException">CHAP failed (target status 0x0201, or mutual verification of the target).</exception>
    /// <exception cref="IscsiLoginException">The target refused the login; <see cref="IscsiLoginException.StatusClass"/> and detail tell why.</exception>
    /// <exception cref="IscsiProtocolException">The target broke the login protocol.</exception>
    /// <exception cref="IscsiKernelException">A NETLINK_ISCSI request failed; the exception names the operation.</exception>
    /// <exception cref="UnauthorizedAccessException">Not root (CAP_SYS_ADMIN is needed).</exception>
    /// <exception cref="IscsiTimeoutException">The connect, the login exchange or the device wait exceeded its timeout.</exception>
    /// <exception cref="IscsiException">The TCP connection failed, or the LUN scan was refused.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    /// <exception cref="ObjectDisposedException">The initiator was disposed.</exception>
    public async Task<IscsiSession> LoginAsync(string targetName, IscsiPortal portal, LoginOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetName);
        ArgumentNullException.ThrowIfNull(portal);
        ThrowIfDisposed();
        options ??= new LoginOptions();
        options.ValidateTimeouts();
        options.Recovery.Validate();
        string initiatorName = InitiatorNameFile.Resolve(options.InitiatorName, options.InitiatorNameFile);

        // Off the caller's thread before any kernel work: the netlink requests are synchronous syscalls and their replies
        // are often already queued, so without this the whole login up to the first Login Response could run on the
        // caller's thread before the task is even returned, and a caller starting many logins would run them one after
        // another (and a caller that waits on something the login does would wait on itself).
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        EnsureTransportModule("tcp");
        cancellationToken.ThrowIfCancellationRequested();
        IscsiKernelTransport kernel = Kernel;
        ILogger logger = Options.LoggerFactory.CreateLogger<IscsiInitiator>();
        if (!options.Recovery.Enabled)
        {
            var plain = new KernelLogin(kernel, SessionReader, targetName, portal, options, initiatorName, logger, Uevents);
            (IscsiSession plainSession, Socket plainSocket) = await plain.RunAsync(cancellationToken).ConfigureAwait(false);
            _ownSockets[(uint)plainSession.Sid] = plainSocket;
            return plainSession;
        }

        // The recovery re-logs in with CHAP long after this call returned, when the caller may have disposed its
        // credentials: it owns a copy, cleared on logout or dispose. The event pump runs before START_CONN.
        KernelRecovery recovery = Recovery;
        options = options with { Credentials = CopyCredentials(options.Credentials) };
        var login = new KernelLogin(kernel, SessionReader, targetName, portal, options, initiatorName, logger, Uevents);
        try
        {
            // The kernel may report the new connection failed as soon as START_CONN ran (the target lost during the LUN
            // scan): the recovery keeps such an error from then on and acts on it when the session is added.
            (IscsiSession session, Socket socket) = await login.RunAsync(cancellationToken, recovery.Expect).ConfigureAwait(false);
            recovery.AddLoggedIn(new SessionRecovery(kernel, login, session, socket, options, SessionReader, logger, recovery.Publish));
            return session;
        }
        catch
        {
            if (login.Sid is uint sid)
            {
                recovery.Forget(sid);
            }

            options.Credentials?.Dispose();
            throw;
        }
    }

    /// <summary>Logs out of a session this initiator created (see <see cref="LogoutAsync(int, TimeSpan?, CancellationToken)"/>).</summary>
    /// <param name="session">The session from <see cref="LoginAsync"/>.</param>
    /// <param name="cancellationToken">Stops waiting for the target's Logout Response; the kernel teardown still runs.</param>
    /// <returns>True when the target answered the Logout Request; false when teardown went ahead without an answer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="session"/> is null.</exception>
    /// <exception cref="IscsiKernelException">STOP_CONN, DESTROY_CONN or DESTROY_SESSION failed (e.g. EINVAL: no such session).</exception>
    /// <exception cref="UnauthorizedAccessException">Not root.</exception>
    /// <exception cref="ObjectDisposedException">The initiator was disposed.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "The two overloads take different first parameters (a session or its id); neither can be confused with the other.")]
    public Task<bool> LogoutAsync(IscsiSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return LogoutAsync(session.Sid, session.LogoutTimeout, cancellationToken);
    }

    /// <summary>
    /// Logs out of session <paramref name="sid"/>, as iscsid does: UNBIND_SESSION, Logout PDU (close session) and its
    /// response (bounded by <paramref name="logoutTimeout"/>; teardown continues without it), STOP_CONN, close the
    /// socket, DESTROY_CONN, DESTROY_SESSION. Works for sessions of other processes too (e.g. iscsid's): only the
    /// caller decides, by sid, to remove them. A session of this initiator that is being recovered has its reconnect
    /// loop stopped first; if its connection is not up, no Logout PDU is sent (as iscsid's session_conn_shutdown):
    /// STOP_CONN, DESTROY_CONN and DESTROY_SESSION only, and the result is false.
    /// </summary>
    /// <param name="sid">The session id.</param>
    /// <param name="logoutTimeout">How long to wait for the Logout Response; default 15 s.</param>
    /// <param name="cancellationToken">Stops waiting for the target's Logout Response; the kernel teardown still runs.</param>
    /// <returns>True when the target answered the Logout Request.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sid"/> is negative.</exception>
    /// <exception cref="IscsiKernelException">No such session (EINVAL), or a teardown request failed.</exception>
    /// <exception cref="UnauthorizedAccessException">Not root.</exception>
    /// <exception cref="ObjectDisposedException">The initiator was disposed.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "The two overloads take different first parameters (a session or its id); neither can be confused with the other.")]
    public async Task<bool> LogoutAsync(int sid, TimeSpan? logoutTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sid);
        ThrowIfDisposed();

        // Off the caller's thread before the synchronous teardown requests (see LoginAsync).
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        uint id = (uint)sid;
        IscsiKernelTransport kernel = Kernel;
        ILogger logger = Options.LoggerFactory.CreateLogger<IscsiInitiator>();
        _ownSockets.TryRemove(id, out Socket? socket);
        bool connectionUp = true;
        if (_recovery?.Remove(id) is { } recovering)
        {
            // Stop the reconnect loop first; a connection that is not up gets no Logout PDU (iscsid:
            // session_conn_shutdown for a conn not LOGGED_IN), only STOP/DESTROY.
            (socket, connectionUp) = await recovering.StopAsync().ConfigureAwait(false);
        }

        bool connection = socket is not null || SessionReader.ConnectionExists(id, 0);
        bool logout = connectionUp && SessionReader.SessionExists(id);
        int? host = SessionReader.TryReadSessionHostNumber(id);
        bool answered = await KernelTeardown.RunAsync(
            kernel, id, connection, socket, logout, logoutTimeout ?? TimeSpan.FromSeconds(15), throwOnError: true, logger, cancellationToken,
            host is int h ? new KernelTeardown.HostRemoval(h, SessionReader, Uevents) : null).ConfigureAwait(false);
        LoginLog.LoggedOut(logger, id);
        return answered;
    }

    /// <summary>
    /// Rescans session <paramref name="sid"/> like <c>iscsiadm -m session -r SID --rescan</c>: writes 1 to each LUN's
    /// <c>rescan</c>, then <c>- - -</c> to the host's <c>scan</c>, and waits until every disk has its block device.
    /// </summary>
    /// <param name="sid">The session id.</param>
    /// <param name="timeout">Bound on the scan and the wait; default 30 s.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The session's devices after the scan.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sid"/> is negative.</exception>
    /// <exception cref="IscsiException">No such session, or the kernel refused the scan.</exception>
    /// <exception cref="UnauthorizedAccessException">Not root (the scan attribute is writable by root only).</exception>
    /// <exception cref="IscsiTimeoutException">The scan or the device wait exceeded <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    /// <exception cref="ObjectDisposedException">The initiator was disposed.</exception>
    public Task<IReadOnlyList<IscsiDevice>> RescanAsync(int sid, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sid);
        ThrowIfDisposed();
        uint id = (uint)sid;
        int host = SessionReader.TryReadHostNumber(id)
            ?? throw new IscsiException($"Session {sid} not found (no SCSI host in sysfs).");
        return SessionReader.ScanAndWaitAsync(
            id, host, SessionReader.RescanFiles(id), timeout ?? TimeSpan.FromSeconds(30), cancellationToken, Uevents);
    }

    /// <summary>Loads the iscsi_tcp module (and its dependencies) once per initiator when the transport is missing.</summary>
    internal void EnsureTransportModule(string transport)
    {
        lock (_moduleGate)
        {
            if (_transportChecked || Options.SysfsRoot != "/sys")
            {
                return;
            }

            TransportModule.EnsureLoaded(transport, Options.SysfsRoot, null, Options.LoggerFactory.CreateLogger<IscsiInitiator>());
            _transportChecked = true;
        }
    }

    /// <summary>The netlink transport, opened on first use.</summary>
    /// <exception cref="UnauthorizedAccessException">Not root.</exception>
    /// <exception cref="IscsiKernelException">iscsi_tcp is not loaded, or the socket could not be opened.</exception>
    internal IscsiKernelTransport Kernel
    {
        get
        {
            ThrowIfDisposed();
            lock (_kernelGate)
            {
                return _kernel ??= IscsiKernelTransport.Open(new IscsiKernelTransportOptions
                {
                    SysfsRoot = Options.SysfsRoot,
                    LoggerFactory = Options.LoggerFactory,
                });
            }
        }
    }

    /// <summary>The kernel uevent router for device and host waits, opened on first use; null when unavailable (waits poll).</summary>
    internal ScsiHostUevents? Uevents
    {
        get
        {
            lock (_kernelGate)
            {
                ThrowIfDisposed();
                if (!_ueventsOpened)
                {
                    _ueventsOpened = true;
                    _uevents = ScsiHostUevents.TryOpen(Options.LoggerFactory.CreateLogger<IscsiInitiator>());
                }

                return _uevents;
            }
        }
    }

    /// <summary>The event pump and recovery owner, started on first use.</summary>
    internal KernelRecovery Recovery
    {
        get
        {
            IscsiKernelTransport kernel = Kernel;
            lock (_kernelGate)
            {
                ThrowIfDisposed();
                return _recovery ??= new KernelRecovery(kernel, Options.LoggerFactory.CreateLogger<IscsiInitiator>(), Options.MaxConcurrentReconnectsPerPortal);
            }
        }
    }

    private static ChapCredentials? CopyCredentials(ChapCredentials? chap) => chap switch
    {
        null => null,
        { IsMutual: true } => ChapCredentials.Mutual(chap.Username, chap.Secret, chap.TargetUsername!, chap.TargetSecret),
        _ => ChapCredentials.OneWay(chap.Username, chap.Secret),
    };

    /// <summary>Uses <paramref name="kernel"/> instead of opening a netlink socket (tests with a fake socket).</summary>
    internal void UseKernel(IscsiKernelTransport kernel)
    {
        lock (_kernelGate)
        {
            _kernel = kernel;
        }
    }

    partial void DisposeKernel()
    {
        // Recovery loops stop first (they use the kernel socket); their sessions stay in the kernel, as on iscsid's exit.
        TakeKernelParts(out KernelRecovery? recovery, out IscsiKernelTransport? kernel);
        recovery?.Dispose();
        CloseOwnSockets();
        kernel?.Dispose();
        TakeUevents()?.Dispose();
    }

    private ScsiHostUevents? TakeUevents()
    {
        lock (_kernelGate)
        {
            ScsiHostUevents? uevents = _uevents;
            _uevents = null;
            return uevents;
        }
    }

    private async ValueTask DisposeKernelAsync()
    {
        TakeKernelParts(out KernelRecovery? recovery, out IscsiKernelTransport? kernel);
        if (recovery is not null)
        {
            await recovery.DisposeAsync().ConfigureAwait(false);
        }

        CloseOwnSockets();
        if (kernel is not null)
        {
            await kernel.DisposeAsync().ConfigureAwait(false);
        }

        TakeUevents()?.Dispose();
    }

    private void TakeKernelParts(out KernelRecovery? recovery, out IscsiKernelTransport? kernel)
    {
        lock (_kernelGate)
        {
            recovery = _recovery;
            _recovery = null;
            kernel = _kernel;
            _kernel = null;
        }
    }

    // Sessions stay logged in: the kernel holds its own reference on each bound socket, so closing ours is harmless.
    private void CloseOwnSockets()
    {
        foreach (Socket socket in _ownSockets.Values)
        {
            socket.Dispose();
        }

        _ownSockets.Clear();
    }
}
