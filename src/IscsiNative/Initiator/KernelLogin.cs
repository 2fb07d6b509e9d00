using System.Diagnostics;
using System.Net.Sockets;
using System.Net;
using IscsiNative.Netlink;
using IscsiNative.Protocol;
using IscsiNative.Sysfs;
using Microsoft.Extensions.Logging;

namespace IscsiNative.Initiator;

/// <summary>
/// One kernel login attempt, iscsid's sequence (KERNEL-ABI.md §4, OPEN-ISCSI.md §8): CREATE_SESSION → TCP connect →
/// CREATE_CONN → BIND_CONN → SET_PARAM list 1 (+ SET_HOST_PARAM) → Login PDUs over SEND_PDU/RECV_PDU → SET_PARAM
/// list 2 → START_CONN → LUN scan → block devices. It remembers what it created, and a failure at any step unwinds
/// all of it (STOP_CONN(TERM), close the socket, DESTROY_CONN, DESTROY_SESSION) before the original exception propagates.
/// </summary>
internal sealed class KernelLogin
{
    /// <summary>
    /// The phase traced when the target accepted the transit out of the security stage (CHAP done), before the first
    /// operational request; it lies within "login: Login PDUs (SEND_PDU/RECV_PDU)".
    /// </summary>
    internal const string SecurityStagePhase = "login: security stage (CHAP)";

    private const uint Cid = 0;

    private readonly IscsiKernelTransport _kernel;
    private readonly SysfsSessionReader _sysfs;
    private readonly string _targetName;
    private readonly IscsiPortal _portal;
    private readonly LoginOptions _options;
    private readonly string _initiatorName;
    private readonly ILogger _logger;
    private readonly ScsiHostUevents? _uevents;
    private uint? _sid;
    private uint _host;
    private Socket? _socket;
    private bool _connectionCreated;
    private bool _started;
    private string _step = "CREATE_SESSION";

    internal KernelLogin(IscsiKernelTransport kernel, SysfsSessionReader sysfs, string targetName, IscsiPortal portal, LoginOptions options, string initiatorName, ILogger logger, ScsiHostUevents? uevents = null)
    {
        _uevents = uevents;
        _kernel = kernel;
        _sysfs = sysfs;
        _targetName = targetName;
        _portal = portal;
        _options = options;
        _initiatorName = initiatorName;
        _logger = logger;
    }

    /// <summary>The portal this login (and its reconnects) connects to.</summary>
    internal IscsiPortal Portal => _portal;

    /// <summary>The session this login created (null before CREATE_SESSION answered).</summary>
    internal uint? Sid => _sid;

    /// <summary>Runs the login; on success the caller owns the returned socket (close it after STOP_CONN).</summary>
    /// <param name="cancellationToken">Cancels the login (what was created is removed).</param>
    /// <param name="beforeStart">
    /// Called with the sid just before START_CONN is sent: from then on the kernel can report a CONN_ERROR of the
    /// session (e.g. the target lost during the LUN scan), which the recovery must not miss before the login returns.
    /// </param>
    internal async Task<(IscsiSession Session, Socket Socket)> RunAsync(CancellationToken cancellationToken, Action<uint>? beforeStart = null)
    {
        long started = Stopwatch.GetTimestamp();
        long total = PhaseTrace.Begin();
        long t = total;
        try
        {
            (uint sid, uint host) = await _kernel.CreateSessionAsync(1, _options.CmdsMax, _options.QueueDepth, cancellationToken).ConfigureAwait(false);
            _sid = sid;
            _host = host;
            LoginLog.SessionCreated(_logger, _targetName, _portal.ToString(), sid, host);

            t = Lap("login: CREATE_SESSION", sid, t);

            _step = "connect";
            _socket = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            t = Lap("login: TCP connect", sid, t);

            // CREATE_CONN, BIND_CONN and the SET_PARAMs before login in one sendmsg (the kernel runs them in order).
            _step = "CREATE_CONN";
            await CreateBindAndSetAsync(sid, host, cancellationToken).ConfigureAwait(false);
            t = Lap("login: CREATE_CONN + BIND_CONN + SET_PARAM batch", sid, t);

            // iscsid reads the connection's exp_statsn before a login; for a connection CREATE_CONN just made it is 0
            // (libiscsi iscsi_conn_setup sets conn->exp_statsn = 0; only received PDUs move it), so a fresh login skips
            // the synchronous sysfs read. A reconnect (ReconnectAsync) reads it: the old connection's value counts there.
            const uint expStatSn = 0;

            _step = "login";
            NegotiatedParameters negotiated = await ExchangeLoginAsync(sid, expStatSn, cancellationToken).ConfigureAwait(false);
            t = Lap("login: Login PDUs (SEND_PDU/RECV_PDU)", sid, t);

            // The negotiated SET_PARAMs and START_CONN in one sendmsg.
            _step = "SET_PARAM";
            using (KernelBatch batch = _kernel.NewBatch())
            {
                foreach ((IscsiParam param, string value) in KernelLoginParameters.AfterLogin(negotiated, fallbackTpgt: -1))
                {
                    batch.SetParam(sid, Cid, param, IscsiKernelTransport.ToAscii(value));
                }

                batch.StartConnection(sid, Cid);
                beforeStart?.Invoke(sid);
                Exception?[] errors = await _kernel.SendBatchAsync(batch, cancellationToken).ConfigureAwait(false);

                // START_CONN runs even after a failed SET_PARAM of the same batch: the unwind must then log out.
                _started = errors[^1] is null;
                ThrowFirst(errors, batch, ref _step);
            }

            t = Lap("login: SET_PARAM batch + START_CONN", sid, t);

            IReadOnlyList<IscsiDevice> devices = [];
            if (_options.ScanLuns)
            {
                _step = "LUN scan";
                devices = await _sysfs.ScanAndWaitAsync(sid, (int)host, null, _options.DeviceTimeout, cancellationToken, _uevents).ConfigureAwait(false);
            }

            PhaseTrace.End("login: total (KernelLogin)", sid, total);

            _step = "read back";
            IscsiSession session = ReadBack(sid, host, negotiated, devices);
            LoginLog.LoggedIn(_logger, _targetName, _portal.ToString(), session.Sid, (int)host, session.Devices.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return (session, _socket);
        }
        catch (Exception e)
        {
            LoginLog.LoginFailed(_logger, _targetName, _portal.ToString(), _step, _sid, e);
            await UnwindAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The logged-in session as sysfs shows it (what <c>GetSessions</c> returns), with this login's portal, negotiated
    /// parameters, logout timeout and, when it scanned, the devices it waited for. Sysfs without the session (it vanished
    /// at once, a test's fake kernel, or an attribute that does not parse) gives the values this login set up.
    /// </summary>
    private IscsiSession ReadBack(uint sid, uint host, NegotiatedParameters negotiated, IReadOnlyList<IscsiDevice> devices)
    {
        IscsiSession? read = null;
        try
        {
            _sysfs.TryGetSession((int)sid, out read);
        }
        catch (Exception e) when (e is IscsiSysfsException or IOException or UnauthorizedAccessException)
        {
            // The login worked; an odd attribute must not undo it. The values the login set up stand in.
        }

        IscsiSession session = read is not null && read.TargetName == _targetName
            ? read
            : new IscsiSession
            {
                Sid = (int)sid,
                HostNumber = (int)host,
                TargetName = _targetName,
                Tpgt = negotiated.TargetPortalGroupTag,
                State = IscsiSessionState.LoggedIn,
                Address = _portal.Address,
                Port = _portal.Port,
                PersistentAddress = _portal.Address,
                PersistentPort = _portal.Port,
                IfaceName = _options.IfaceName,
                TransportName = "tcp",
                InitiatorName = _initiatorName,
                HeaderDigest = negotiated.HeaderDigest == IscsiDigest.Crc32C,
                DataDigest = negotiated.DataDigest == IscsiDigest.Crc32C,
                MaxRecvDataSegmentLength = negotiated.MaxRecvDataSegmentLength,
                MaxXmitDataSegmentLength = negotiated.MaxXmitDataSegmentLength,
                FirstBurstLength = negotiated.FirstBurstLength,
                MaxBurstLength = negotiated.MaxBurstLength,
                ImmediateData = negotiated.ImmediateData,
                InitialR2T = negotiated.InitialR2T,
                MaxOutstandingR2T = negotiated.MaxOutstandingR2T,
            };
        return session with
        {
            HostNumber = (int)host,
            Portal = _portal,
            Parameters = negotiated,
            LogoutTimeout = _options.LogoutTimeout,
            Devices = _options.ScanLuns ? devices : session.Devices,
        };
    }

    /// <summary>
    /// One reconnect of existing session <paramref name="sid"/> after STOP_CONN(RECOVER), as iscsid's reopen
    /// (usr/initiator.c session_conn_poll): TCP connect → BIND_CONN(leading) on the same cid → re-read exp_statsn →
    /// SET_PARAM list 1 and SET_HOST_PARAM → login with the session's ISID and TSIH 0 (iscsid always sends TSIH 0:
    /// session reinstatement at ERL 0) → SET_PARAM list 2 → START_CONN. No CREATE_*, no LUN scan. On failure the new
    /// socket is closed and the caller stops the connection (RECOVER) before the next attempt.
    /// </summary>
    /// <returns>The new login's parameters and the socket now bound to the kernel (close it after STOP_CONN).</returns>
    internal async Task<(NegotiatedParameters Parameters, Socket Socket)> ReconnectAsync(uint sid, uint host, CancellationToken cancellationToken)
    {
        Socket socket = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The queue still holds the CONN_ERROR of the old connection (and maybe stale PDUs).
            _kernel.ResetPduQueue(sid, Cid);
            await _kernel.BindConnectionAsync(sid, Cid, socket, isLeading: true, cancellationToken).ConfigureAwait(false);
            uint expStatSn = _sysfs.ReadExpStatSn(sid, Cid);
            await SetParamsBeforeLoginAsync(sid, cancellationToken).ConfigureAwait(false);
            await SetHostParamsAsync(host, cancellationToken).ConfigureAwait(false);
            NegotiatedParameters negotiated = await ExchangeLoginAsync(sid, expStatSn, cancellationToken).ConfigureAwait(false);
            foreach ((IscsiParam param, string value) in KernelLoginParameters.AfterLogin(negotiated, fallbackTpgt: -1))
            {
                await _kernel.SetParamAsync(sid, Cid, param, value, cancellationToken).ConfigureAwait(false);
            }

            await _kernel.StartConnectionAsync(sid, Cid, cancellationToken).ConfigureAwait(false);
            return (negotiated, socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static void ThrowFirst(Exception?[] errors, KernelBatch batch, ref string step)
    {
        for (int i = 0; i < errors.Length; i++)
        {
            if (errors[i] is { } error)
            {
                step = batch.Requests[i].Type.ToKernelName();
                throw error;
            }
        }
    }

    /// <summary>
    /// CREATE_CONN, BIND_CONN, SET_PARAM list 1 (with the CHAP secrets) and SET_HOST_PARAM as one batch. The PDU queue
    /// opens first (a PDU must not arrive before it); a failed CREATE_CONN closes it again.
    /// </summary>
    private async Task CreateBindAndSetAsync(uint sid, uint host, CancellationToken cancellationToken)
    {
        (List<(IscsiParam Param, string Value)> before, List<(IscsiParam Param, string Value)> after) =
            KernelLoginParameters.BeforeLogin(_targetName, _portal, _options, _initiatorName);
        List<(IscsiParam Param, byte[] Value)> passwords = KernelLoginParameters.Passwords(_options.Credentials);
        _kernel.OpenPduQueue(sid, Cid);
        try
        {
            using KernelBatch batch = _kernel.NewBatch();
            batch.CreateConnection(sid, Cid).BindConnection(sid, Cid, _socket!, isLeading: true);
            foreach ((IscsiParam param, string value) in before)
            {
                batch.SetParam(sid, Cid, param, IscsiKernelTransport.ToAscii(value));
            }

            foreach ((IscsiParam param, byte[] value) in passwords)
            {
                batch.SetParam(sid, Cid, param, value);
            }

            foreach ((IscsiParam param, string value) in after)
            {
                batch.SetParam(sid, Cid, param, IscsiKernelTransport.ToAscii(value));
            }

            int hostParams = batch.Count;
            foreach ((IscsiHostParam param, string? value) in new[] { (IscsiHostParam.NetdevName, _options.NetworkDevice), (IscsiHostParam.Hwaddress, _options.HardwareAddress) })
            {
                if (!string.IsNullOrEmpty(value))
                {
                    batch.SetHostParam(host, param, IscsiKernelTransport.ToAscii(value));
                }
            }

            Exception?[] errors;
            try
            {
                errors = await _kernel.SendBatchAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // The exchange failed as a whole: whether the kernel created the conn is unknown, so destroy it
                // (a DESTROY_CONN of a conn that does not exist only fails with EINVAL, which the unwind logs).
                _connectionCreated = true;
                throw;
            }

            _connectionCreated = errors[0] is null;
            for (int i = hostParams; i < errors.Length; i++)
            {
                if (errors[i] is IscsiKernelException { Errno: Errno.ENOSYS or Errno.EINVAL } ignored)
                {
                    RequestHostParamIgnored(batch.Requests[i], ignored);
                    errors[i] = null;
                }
            }

            ThrowFirst(errors, batch, ref _step);
        }
        finally
        {
            foreach ((_, byte[] value) in passwords)
            {
                Array.Clear(value);
            }

            if (!_connectionCreated)
            {
                _kernel.ClosePduQueue(sid, Cid);
            }
        }
    }

    private void RequestHostParamIgnored(KernelRequest request, IscsiKernelException e) =>
        LoginLog.HostParamIgnored(_logger, request.HostNumber ?? 0, "host param", e.ErrnoName);

    private static long Lap(string phase, uint sid, long begin)
    {
        if (begin == 0)
        {
            return 0;
        }

        long now = Stopwatch.GetTimestamp();
        PhaseTrace.Record(phase, sid, begin, now);
        return now;
    }

    private async Task UnwindAsync()
    {
        if (_sid is not uint sid)
        {
            _socket?.Dispose();
            return;
        }

        // After START_CONN the target has a full session: log out properly (briefly) before tearing down.
        TimeSpan logoutWait = _options.LogoutTimeout < TimeSpan.FromSeconds(5) ? _options.LogoutTimeout : TimeSpan.FromSeconds(5);
        await KernelTeardown.RunAsync(
            _kernel, sid, _connectionCreated, _socket, logout: _started, logoutWait, throwOnError: false, _logger, CancellationToken.None,
            new KernelTeardown.HostRemoval((int)_host, _sysfs, _uevents)).ConfigureAwait(false);
    }

    private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.ConnectTimeout);
        Socket? socket = null;
        try
        {
            IPAddress address = IPAddress.TryParse(_portal.Address, out IPAddress? parsed)
                ? parsed
                : (await Dns.GetHostAddressesAsync(_portal.Address, deadline.Token).ConfigureAwait(false))[0];
            socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            BindToInterface(socket);
            socket.NoDelay = true;
            if (_options.TcpWindowSize > 0)
            {
                // iscsid: a refused window size is only a warning.
                TrySetBuffer(socket, SocketOptionName.ReceiveBuffer, _options.TcpWindowSize);
                TrySetBuffer(socket, SocketOptionName.SendBuffer, _options.TcpWindowSize);
            }

            await socket.ConnectAsync(new IPEndPoint(address, _portal.Port), deadline.Token).ConfigureAwait(false);
            return socket;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            socket?.Dispose();
            throw new IscsiTimeoutException("connect", _options.ConnectTimeout, $"connecting to {_portal}", e);
        }
        catch (Exception e) when (e is SocketException or IndexOutOfRangeException)
        {
            socket?.Dispose();
            throw new IscsiException($"Could not connect to {_portal}: {e.Message}", e);
        }
        catch
        {
            socket?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// iscsid's bind_conn_to_iface for iscsi_tcp: SO_BINDTODEVICE to the iface's network device, before the connect, so
    /// the connection leaves through that device whatever the routing table says. <c>default</c> means unbound.
    /// </summary>
    private void BindToInterface(Socket socket)
    {
        string? device = _options.NetworkDevice;
        if (string.IsNullOrEmpty(device) || device == "default")
        {
            return;
        }

        const int SolSocket = 1;
        const int SoBindToDevice = 25;
        byte[] name = new byte[System.Text.Encoding.ASCII.GetByteCount(device) + 1];
        System.Text.Encoding.ASCII.GetBytes(device, name);
        try
        {
            socket.SetRawSocketOption(SolSocket, SoBindToDevice, name);
        }
        catch (SocketException e)
        {
            throw new IscsiException($"Could not bind the connection to network device {device}: {e.Message}", e);
        }
    }

    private void TrySetBuffer(Socket socket, SocketOptionName option, int size)
    {
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, option, size);
        }
        catch (SocketException e)
        {
            LoginLog.SocketOptionIgnored(_logger, option.ToString(), size, e.Message);
        }
    }

    private async Task SetParamsBeforeLoginAsync(uint sid, CancellationToken cancellationToken)
    {
        (List<(IscsiParam Param, string Value)> before, List<(IscsiParam Param, string Value)> after) =
            KernelLoginParameters.BeforeLogin(_targetName, _portal, _options, _initiatorName);
        foreach ((IscsiParam param, string value) in before)
        {
            await _kernel.SetParamAsync(sid, Cid, param, value, cancellationToken).ConfigureAwait(false);
        }

        List<(IscsiParam Param, byte[] Value)> passwords = KernelLoginParameters.Passwords(_options.Credentials);
        try
        {
            foreach ((IscsiParam param, byte[] value) in passwords)
            {
                await _kernel.SetParamClearingAsync(sid, Cid, param, value, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach ((_, byte[] value) in passwords)
            {
                Array.Clear(value);
            }
        }

        foreach ((IscsiParam param, string value) in after)
        {
            await _kernel.SetParamAsync(sid, Cid, param, value, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SetHostParamsAsync(uint host, CancellationToken cancellationToken)
    {
        foreach ((IscsiHostParam param, string? value) in new[] { (IscsiHostParam.NetdevName, _options.NetworkDevice), (IscsiHostParam.Hwaddress, _options.HardwareAddress) })
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            try
            {
                await _kernel.SetHostParamAsync(host, param, value, cancellationToken).ConfigureAwait(false);
            }
            catch (IscsiKernelException e) when (e.Errno is Errno.ENOSYS or Errno.EINVAL)
            {
                LoginLog.HostParamIgnored(_logger, host, param.ToString(), e.ErrnoName);
            }
        }
    }

    private async Task<NegotiatedParameters> ExchangeLoginAsync(uint sid, uint expStatSn, CancellationToken cancellationToken)
    {
        var settings = new LoginSettings
        {
            InitiatorName = _initiatorName,
            InitiatorAlias = _options.InitiatorAlias,
            TargetName = _targetName,
            SessionType = IscsiSessionType.Normal,
            Isid = _options.Isid ?? LoginSettings.IsidFor(sid),
            ExpStatSN = expStatSn,
            CmdSN = 1,
            HeaderDigest = _options.HeaderDigest,
            DataDigest = _options.DataDigest,
            InitialR2T = _options.InitialR2T,
            ImmediateData = _options.ImmediateData,
            DefaultTime2Wait = _options.DefaultTime2Wait,
            DefaultTime2Retain = _options.DefaultTime2Retain,
            MaxOutstandingR2T = _options.MaxOutstandingR2T,
            MaxBurstLength = _options.MaxBurstLength,
            FirstBurstLength = _options.FirstBurstLength,
            MaxRecvDataSegmentLength = _options.MaxRecvDataSegmentLength,
            MaxXmitDataSegmentLength = _options.MaxXmitDataSegmentLength,
            Credentials = _options.Credentials,
            ChapAlgorithms = _options.ChapAlgorithms,

            // The kernel rewrites ITT (and CmdSN) on SEND_PDU: responses carry its tags, not ours.
            VerifyTaskTag = false,
        };
        using var machine = new LoginStateMachine(settings);

        // One deadline: the exchange's own (LoginTimeout) bounds every receive. A per-receive timer as well (it was
        // LoginTimeout + 1 s) races it when the host is oversubscribed, and a silent target would then surface as a
        // RECV_PDU ETIMEDOUT instead of the login timeout (the same race fixed in IscsiLoginSession for discovery).
        var transport = new KernelPduTransport(_kernel, sid, Cid, Timeout.InfiniteTimeSpan);
        await using (transport.ConfigureAwait(false))
        {
            try
            {
                // The phase trace's hook between the security stage (CHAP) and the operational stage; only a login
                // with credentials has a security stage.
                long begin = PhaseTrace.Begin();
                Action? securityDone = begin == 0 ? null : () => PhaseTrace.End(SecurityStagePhase, sid, begin);
                return await LoginExchange.RunAsync(transport, machine, _options.LoginTimeout, cancellationToken, securityDone).ConfigureAwait(false);
            }
            catch (IscsiTimeoutException e)
            {
                throw new IscsiTimeoutException("login", e.Elapsed, $"login to {_targetName} at {_portal}", e);
            }
        }
    }
}
