using System.Buffers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace IscsiNative.Netlink;

/// <summary>
/// Typed NETLINK_ISCSI requests to the kernel's iSCSI transport (iscsi_tcp), as iscsid sends them: create and
/// destroy sessions and connections, bind a connected TCP socket, set parameters, pass login/logout PDUs, start
/// and stop connections, read statistics, and watch kernel events. One instance owns one netlink socket whose
/// port id becomes the <c>creator</c> of the sessions it creates. Thread-safe; requests are serialized.
/// </summary>
/// <remarks>Needs root (CAP_SYS_ADMIN in the initial user namespace, CAP_NET_ADMIN for the event group) and the init network namespace.</remarks>
internal sealed class IscsiKernelTransport : IDisposable, IAsyncDisposable
{
    private readonly IscsiNetlinkConnection _connection;
    private readonly TimeSpan _timeout;

    internal IscsiKernelTransport(INetlinkSocket socket, ulong transportHandle, IscsiKernelTransportOptions? options = null, Func<INetlinkRequestSocket>? openRequestSocket = null)
    {
        options ??= new IscsiKernelTransportOptions();
        TransportHandle = transportHandle;
        _timeout = options.RequestTimeout;
        _connection = new IscsiNetlinkConnection(socket, options.LoggerFactory.CreateLogger<IscsiKernelTransport>(), openRequestSocket: openRequestSocket);
    }

    /// <summary>The transport handle every request carries (<c>/sys/class/iscsi_transport/tcp/handle</c>).</summary>
    public ulong TransportHandle { get; }

    /// <summary>The netlink port id of this instance (the sysfs <c>creator</c> of its sessions).</summary>
    public uint PortId => _connection.PortId;

    /// <summary>Reads the transport handle and opens a netlink socket bound to the iSCSI event group.</summary>
    /// <param name="options">Settings, or <see langword="null"/> for the defaults.</param>
    /// <returns>An open transport.</returns>
    /// <exception cref="UnauthorizedAccessException">Not privileged enough (EACCES on the handle, EPERM on bind).</exception>
    /// <exception cref="IscsiKernelException">iscsi_tcp is not loaded, or the socket could not be opened.</exception>
    public static IscsiKernelTransport Open(IscsiKernelTransportOptions? options = null)
    {
        options ??= new IscsiKernelTransportOptions();
        ulong handle = IscsiTransportHandle.Read(options.SysfsRoot, options.TransportName);
        var socket = IscsiNetlinkSocket.Open(options.ReceiveBufferBytes);
        try
        {
            return new IscsiKernelTransport(socket, handle, options, IscsiNetlinkSocket.OpenForRequests);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>ISCSI_UEVENT_CREATE_SESSION: a new session and its SCSI host (state FREE).</summary>
    /// <param name="initialCmdSn">The CmdSN of the first command (login uses it too); iscsid uses 1.</param>
    /// <param name="cmdsMax">Command slots: 0 → 128, rounded down to a power of two, 16–4096.</param>
    /// <param name="queueDepth">Per-LUN queue depth: 0 → 32.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The kernel's session id and SCSI host number.</returns>
    /// <exception cref="IscsiKernelException">The kernel failed the request (ENOMEM for any failure) or did not answer in time.</exception>
    /// <exception cref="UnauthorizedAccessException">EPERM: not CAP_SYS_ADMIN.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public async Task<(uint Sid, uint HostNumber)> CreateSessionAsync(uint initialCmdSn = 1, ushort cmdsMax = 128, ushort queueDepth = 32, CancellationToken cancellationToken = default)
    {
        var request = new KernelRequest(IscsiUeventType.CreateSession);
        KernelResponse response = await SendAsync(request, IscsiUeventWriter.HeadSize,
            (span, stamp) => IscsiUeventWriter.CreateSession(span, stamp, initialCmdSn, cmdsMax, queueDepth), cancellationToken).ConfigureAwait(false);
        return (response.Reply.R0, response.Reply.R1);
    }

    /// <summary>ISCSI_UEVENT_CREATE_CONN: a connection of a session (state down). Starts keeping its PDUs for <see cref="ReceivePduAsync"/>.</summary>
    /// <param name="sid">The session.</param>
    /// <param name="cid">The connection id to use (0 for the leading connection).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The connection id the kernel reports.</returns>
    /// <exception cref="IscsiKernelException">EINVAL unknown sid, ENOMEM any other failure, or ETIMEDOUT.</exception>
    /// <exception cref="UnauthorizedAccessException">EPERM.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public async Task<uint> CreateConnectionAsync(uint sid, uint cid, CancellationToken cancellationToken = default)
    {
        _connection.OpenPduQueue(sid, cid);
        try
        {
            KernelResponse response = await ConnectionRequestAsync(IscsiUeventType.CreateConn, sid, cid, cancellationToken).ConfigureAwait(false);
            return response.Reply.R1;
        }
        catch
        {
            _connection.ClosePduQueue(sid, cid);
            throw;
        }
    }

    /// <summary>ISCSI_UEVENT_BIND_CONN: hands a connected TCP socket to the kernel (state bound). Do not use the socket afterwards.</summary>
    /// <param name="sid">The session.</param>
    /// <param name="cid">The connection.</param>
    /// <param name="socketFd">The socket's file descriptor in this process.</param>
    /// <param name="isLeading">True for the session's first connection.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="IscsiKernelException">EEXIST bad fd, EINVAL not TCP or unknown conn, ENOTCONN cleanup pending, ETIMEDOUT.</exception>
    /// <exception cref="UnauthorizedAccessException">EPERM.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public Task BindConnectionAsync(uint sid, uint cid, int socketFd, bool isLeading = true, CancellationToken cancellationToken = default)
    {
        var request = new KernelRequest(IscsiUeventType.BindConn, sid, cid);
        return SendAsync(request, IscsiUeventWriter.HeadSize,
            (span, stamp) => IscsiUeventWriter.BindConn(span, stamp, sid, cid, (ulong)(uint)socketFd, isLeading), cancellationToken);
    }

    /// <summary>ISCSI_UEVENT_BIND_CONN with a connected <see cref="Socket"/>.</summary>
    /// <param name="sid">The session.</param>
    /// <param name="cid">The connection.</param>
    /// <param name="socket">A connected TCP socket; the kernel takes it over (close it after STOP_CONN).</param>
    /// <param name="isLeading">True for the session's first connection.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="IscsiKernelException">See <see cref="BindConnectionAsync(uint, uint, int, bool, CancellationToken)"/>.</exception>
    /// <exception cref="UnauthorizedAccessException">EPERM.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="ObjectDisposedException">Disposed (this or the socket).</exception>
    public async Task BindConnectionAsync(uint sid, uint cid, Socket socket, bool isLeading = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(socket);
        bool added = false;
        try
        {
            // Keep the fd number alive (not closed and reused) until the kernel has looked it up.
            socket.SafeHandle.DangerousAddRef(ref added);
            await BindConnectionAsync(sid, cid, (int)socket.SafeHandle.DangerousGetHandle(), isLeading, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (added)
            {
                socket.SafeHandle.DangerousRelease();
            }
        }
    }

    /// <summary>ISCSI_UEVENT_SET_PARAM: one session/connection parameter as ASCII text (iscsid formats numbers with %d/%u).</summary>
    /// <param name="sid">The session.</param>
    /// <param name="cid">The connection.</param>
    /// <param name="param">The parameter.</param>
    /// <param name="value">ASCII text without NUL, at most 4095 characters. Never logged.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="ArgumentException">The value is not ASCII, contains NUL or is too long.</exception>
    /// <exception cref="IscsiKernelException">ENOTCONN before BIND, ENOSYS unsupported param, EINVAL bad value/lookup, ETIMEDOUT.</exception>
    /// <exception cref="UnauthorizedAccessException">EPERM.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public Task SetParamAsync(uint sid, uint cid, IscsiParam param, string value, CancellationToken cancellationToken = default)
    {
        byte[] ascii = ToAscii(value);
        var request = new KernelRequest(IscsiUeventType.SetParam, sid, cid);
        return SendClearingAsync(request, ascii, IscsiUeventWriter.ParamMessageLength(ascii.Length),
            (span, stamp) => IscsiUeventWriter.SetParam(span, stamp, sid, cid, param, ascii), cancellationToken);
    }

    /// <summary>SET_PARAM with a caller-owned ASCII value (a CHAP secret) that never becomes a string; the array is cleared after sending.</summary>
    internal Task SetParamClearingAsync(uint sid, uint cid, IscsiParam param, byte[] ascii, CancellationToken cancellationToken)
    {
        var request = new KernelRequest(IscsiUeventType.SetParam, sid, cid);
        return SendClearingAsync(request, ascii, IscsiUeventWriter.ParamMessageLength(ascii.Length),
            (span, stamp) => IscsiUeventWriter.SetParam(span, stamp, sid, cid, param, ascii), cancellationToken);
    }

    /// <summary>ISCSI_UEVENT_SET_HOST_PARAM: a SCSI host parameter (iscsi_tcp takes HWADDRESS, INITIATOR_NAME, NETDEV_NAME).</summary>
    /// <param name="hostNumber">The SCSI host.</param>
    /// <param name="param">The parameter.</param>
    /// <param name="value">ASCII text without NUL.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="ArgumentException">The value is not ASCII, contains NUL or is too long.</exception>
    /// <exception cref="IscsiKernelException">ENODEV unknown host, ENOSYS unsupported param, ETIMEDOUT.</exception>
    /// <exception cref="UnauthorizedAccessException">EPERM.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public Task SetHostParamAsync(uint hostNumber, IscsiHostParam param, string value, CancellationToken cancellationToken = default)
    {
        byte[] ascii = ToAscii(value);
        var request = new KernelRequest(IscsiUeventType.SetHostParam, HostNumber: hostNumber);
        return SendClearingAsync(request, ascii, IscsiUeventWriter.ParamMessageLength(ascii.Length),
            (span, stamp) => IscsiUeventWriter.SetHostParam(span, stamp, hostNumber, param, ascii), cancellationToken);
    }

    /// <summary>ISCSI_UEVENT_START_CONN: enters full feature phase (conn up, session LOGGED_IN). Does not scan LUNs.</summary>
    /// <param name="sid">The session.</param>
    /// <param name="cid">The connection.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="IscsiKernelException">EINVAL FirstBurst &gt; MaxBurst or unknown conn, ENOTCONN cleanup pending, ETIMEDOUT.</exception>
    /// <exception cref="UnauthorizedAccessException">EPERM.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public Task StartConnectionAsync(uint sid, uint cid, CancellationToken cancellationToken = default) =>
        ConnectionRequestAsync(IscsiUeventType.StartConn, sid, cid, cancellationToken);

    /// <summary>ISCSI_UEVENT_STOP_CONN.</summary>
    /// <param name="sid">The session.</param>
    /// <param name="cid">The connection.</param>
    /// <param name="flag">Terminate (1) before destroying, Recover (3) before reconnecting.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="IscsiKernelException">EINVAL unknown conn, ETIMEDOUT.</exception>
    /// <exception cref="UnauthorizedAccessException">EPERM.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public Task StopConnectionAsync(uint sid, uint cid, IscsiStopConnFlag flag = IscsiStopConnFlag.Terminate, CancellationToken cancellationToken = default)
    {
        var request = new KernelRequest(IscsiUeventType.StopConn, sid, cid);
        return SendAsync(request, IscsiUeventWriter.HeadSize, (span, stamp) => IscsiUeventWriter.StopConn(span, stamp, sid, cid, flag), cancellationToken);
    }

    /// <summary>ISCSI_UEVENT_DESTROY_CONN: frees the connection (stop it first). Drops its queued PDUs.</summary>
    /// <param name="sid">The session.</param>
    /// <param name="cid">The connection.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="IscsiKernelException">EINVAL unknown conn, ETIMEDOUT.</exception>
    /// <exception cref="UnauthorizedAccessException">EPERM.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public async Task DestroyConnectionAsync(uint sid, uint cid, CancellationToken cancellationToken = default)
    {
        await ConnectionRequestAsync(IscsiUeventType.DestroyConn, sid, cid, cancellationToken).ConfigureAwait(false);
        _connection.ClosePduQueue(sid, cid);
    }

    /// <summary>ISCSI_UEVENT_DESTROY_SESSION (waits until the SCSI host is removed) or DESTROY_SESSION_ASYNC.</summary>
    /// <param name="sid">The session; all its connections must be destroyed first.</param>
    /// <param name="waitForTeardown">True: block (in the kernel) until target, disks and host are gone. False: return at once.</param>
    /// <param name="cancellationToken">Cancels the wait (not the kernel's teardown).</param>
    /// <exception cref="IscsiKernelException">EBUSY while a connection exists, EINVAL unknown sid, ETIMEDOUT.</exception>
    /// <exception cref="UnauthorizedAccessException">EPERM.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public Task DestroySessionAsync(uint sid, bool waitForTeardown = true, CancellationToken cancellationToken = default)
    {
        IscsiUeventType type = waitForTeardown ? IscsiUeventType.DestroySession : IscsiUeventType.DestroySessionAsync;
        return SendAsync(new KernelRequest(type, sid), IscsiUeventWriter.HeadSize,
            (span, stamp) => IscsiUeventWriter.SessionOnly(span, stamp, type, sid), cancellationToken);
    }

    /// <summary>ISCSI_UEVENT_UNBIND_SESSION: removes the SCSI target and its disks (then event 105); the session stays.</summary>
    /// <param name="sid">The session.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="IscsiKernelException">EINVAL unknown sid, ETIMEDOUT.</exception>
    /// <exception cref="UnauthorizedAccessException">EPERM.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public Task UnbindSessionAsync(uint sid, CancellationToken cancellationToken = default) =>
        SendAsync(new KernelRequest(IscsiUeventType.UnbindSession, sid), IscsiUeventWriter.HeadSize,
            (span, stamp) => IscsiUeventWriter.SessionOnly(span, stamp, IscsiUeventType.UnbindSession, sid), cancellationToken);

    /// <summary>
    /// ISCSI_UEVENT_SEND_PDU: queues a Login/Text/Logout/NOP-Out PDU on the connection. The kernel rewrites ITT,
    /// CmdSN and (except Login/Text) ExpStatSN. The answer arrives through <see cref="ReceivePduAsync"/>.
    /// The message buffer is cleared after sending (login data may hold CHAP values).
    /// </summary>
    /// <param name="sid">The session.</param>
    /// <param name="cid">The connection.</param>
    /// <param name="bhs">The 48-byte Basic Header Segment (no AHS).</param>
    /// <param name="data">The data segment, unpadded; at most 8192 bytes for Login/Text.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the kernel has queued the PDU.</returns>
    /// <exception cref="ArgumentException"><paramref name="bhs"/> is not 48 bytes.</exception>
    /// <exception cref="UnauthorizedAccessException">EPERM: note the kernel also uses EPERM (retcode) for a PDU it refuses in this state.</exception>
    /// <exception cref="IscsiKernelException">ENOTCONN cleanup pending, EINVAL sizes, ETIMEDOUT.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public Task SendPduAsync(uint sid, uint cid, ReadOnlySpan<byte> bhs, ReadOnlySpan<byte> data, CancellationToken cancellationToken = default)
    {
        int length = IscsiUeventWriter.SendPduMessageLength(data.Length);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            int written = IscsiUeventWriter.SendPdu(buffer, new NetlinkRequestStamp(TransportHandle, _connection.NextSequence(), PortId), sid, cid, bhs, data);
            return SendRentedAsync(new KernelRequest(IscsiUeventType.SendPdu, sid, cid), buffer, written, cancellationToken);
        }
        catch
        {
            Return(buffer, length);
            throw;
        }
    }

    /// <summary>Waits for the next PDU the kernel passes up on (sid, cid) (ISCSI_KEVENT_RECV_PDU). Dispose the result.</summary>
    /// <param name="sid">The session.</param>
    /// <param name="cid">The connection.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The PDU in a pooled buffer.</returns>
    /// <exception cref="IscsiKernelException">ETIMEDOUT, or a CONN_ERROR of that connection (ENOTCONN, with the iSCSI error).</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public Task<IscsiReceivedPdu> ReceivePduAsync(uint sid, uint cid, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _connection.ReceivePduAsync(sid, cid, timeout, cancellationToken);

    /// <summary>ISCSI_UEVENT_GET_STATS: the connection's counters (the kernel answers with a group-1 multicast).</summary>
    /// <param name="sid">The session.</param>
    /// <param name="cid">The connection.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>All counters, including the driver's custom ones.</returns>
    /// <exception cref="IscsiKernelException">EEXIST unknown conn, EBADMSG malformed answer, ETIMEDOUT.</exception>
    /// <exception cref="UnauthorizedAccessException">EPERM.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public async Task<IscsiStatistics> GetStatisticsAsync(uint sid, uint cid, CancellationToken cancellationToken = default)
    {
        KernelResponse response = await ConnectionRequestAsync(IscsiUeventType.GetStats, sid, cid, cancellationToken).ConfigureAwait(false);
        return response.Statistics ?? throw new KernelRequest(IscsiUeventType.GetStats, sid, cid).Error(Errno.EBADMSG, "the kernel answered with a unicast instead of statistics");
    }

    /// <summary>Streams every kernel event (of every session on the system) until cancelled or disposed.</summary>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The events in arrival order; a slow reader loses the oldest beyond 1024 queued.</returns>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public IAsyncEnumerable<IscsiKernelEvent> WatchEventsAsync(CancellationToken cancellationToken = default) =>
        _connection.WatchEventsAsync(cancellationToken);

    /// <summary>Closes the netlink socket. Sessions stay in the kernel.</summary>
    public void Dispose() => _connection.Dispose();

    /// <summary>Closes the netlink socket. Sessions stay in the kernel.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <summary>Starts keeping RECV_PDU of (sid, cid) (what CREATE_CONN does before its request; for batches).</summary>
    internal void OpenPduQueue(uint sid, uint cid) => _connection.OpenPduQueue(sid, cid);

    /// <summary>Stops keeping RECV_PDU of (sid, cid) (what DESTROY_CONN does after its request; for batches).</summary>
    internal void ClosePduQueue(uint sid, uint cid) => _connection.ClosePduQueue(sid, cid);

    /// <summary>A stamp for the next request of this transport.</summary>
    internal NetlinkRequestStamp Stamp() => new(TransportHandle, _connection.NextSequence(), PortId);

    /// <summary>An empty batch of requests for <see cref="SendBatchAsync"/>.</summary>
    internal KernelBatch NewBatch() => new(this);

    /// <summary>
    /// Sends every request of <paramref name="batch"/> in one <c>sendmsg</c> on a request socket (the kernel runs them in
    /// order and answers each), or one after another on the shared socket when there are no request sockets (tests).
    /// Returns each request's error (null: succeeded), in order; throws only when the exchange itself failed.
    /// </summary>
    /// <exception cref="IscsiKernelException">sendmsg failed or a reply was missing.</exception>
    /// <exception cref="UnauthorizedAccessException">EPERM.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before sending.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    internal async Task<Exception?[]> SendBatchAsync(KernelBatch batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var errors = new Exception?[batch.Count];
        if (batch.Count == 0)
        {
            return errors;
        }

        if (!_connection.HasRequestSockets)
        {
            for (int i = 0; i < batch.Count; i++)
            {
                try
                {
                    await _connection.RequestAsync(batch.Requests[i], batch.Message(i), _timeout, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IscsiKernelException or UnauthorizedAccessException)
                {
                    errors[i] = e;
                }
            }

            return errors;
        }

        var added = new bool[batch.Sockets.Count];
        try
        {
            // Keep BIND_CONN's fd numbers alive (not closed and reused) until the kernel has looked them up.
            for (int i = 0; i < added.Length; i++)
            {
                batch.Sockets[i].SafeHandle.DangerousAddRef(ref added[i]);
            }

            (KernelResponse Response, Exception? Error)[] results = _connection.Exchange(batch.Requests, batch.Messages, _timeout);
            for (int i = 0; i < results.Length; i++)
            {
                errors[i] = results[i].Error;
            }

            return errors;
        }
        finally
        {
            for (int i = 0; i < added.Length; i++)
            {
                if (added[i])
                {
                    batch.Sockets[i].SafeHandle.DangerousRelease();
                }
            }
        }
    }

    /// <summary>Drops what is queued for (sid, cid) (stale PDUs, the error of a failed connection) and keeps the queue open for a reconnect.</summary>
    internal void ResetPduQueue(uint sid, uint cid)
    {
        _connection.ClosePduQueue(sid, cid);
        _connection.OpenPduQueue(sid, cid);
    }

    /// <summary>Subscribes now and returns the channel, for callers that must not miss events around a request.</summary>
    /// <param name="filter">Takes only the events it accepts (so other traffic cannot push them out of the bounded queue); null takes all.</param>
    /// <param name="lost">Called each time this subscriber's full queue drops one of its events.</param>
    internal System.Threading.Channels.Channel<IscsiKernelEvent> SubscribeEvents(Func<IscsiKernelEvent, bool>? filter = null, Action? lost = null) => _connection.Subscribe(filter, lost);

    /// <summary>Ends a subscription made with <see cref="SubscribeEvents"/>.</summary>
    internal void UnsubscribeEvents(System.Threading.Channels.Channel<IscsiKernelEvent> channel) => _connection.Unsubscribe(channel);

    internal static byte[] ToAscii(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (char c in value)
        {
            if (c is '\0' or > '\x7f')
            {
                throw new ArgumentException("parameter values are NUL-free ASCII", nameof(value));
            }
        }

        return Encoding.ASCII.GetBytes(value);
    }

    private static void Return(byte[] buffer, int length)
    {
        buffer.AsSpan(0, Math.Min(length, buffer.Length)).Clear();
        ArrayPool<byte>.Shared.Return(buffer);
    }

    private Task<KernelResponse> ConnectionRequestAsync(IscsiUeventType type, uint sid, uint cid, CancellationToken cancellationToken) =>
        SendAsync(new KernelRequest(type, sid, cid), IscsiUeventWriter.HeadSize, (span, stamp) => IscsiUeventWriter.Connection(span, stamp, type, sid, cid), cancellationToken);

    private async Task SendClearingAsync(KernelRequest request, byte[] secretish, int length, Encoder encode, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(request, length, encode, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            secretish.AsSpan().Clear();
        }
    }

    private Task<KernelResponse> SendAsync(KernelRequest request, int length, Encoder encode, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            int written = encode(buffer, new NetlinkRequestStamp(TransportHandle, _connection.NextSequence(), PortId));
            return SendRentedAsync(request, buffer, written, cancellationToken);
        }
        catch
        {
            Return(buffer, length);
            throw;
        }
    }

    private async Task<KernelResponse> SendRentedAsync(KernelRequest request, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        try
        {
            return await _connection.RequestAsync(request, buffer.AsMemory(0, length), _timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Return(buffer, length);
        }
    }

    private delegate int Encoder(Span<byte> destination, NetlinkRequestStamp stamp);
}
