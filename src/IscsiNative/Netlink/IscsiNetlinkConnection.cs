using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IscsiNative.Netlink;

/// <summary>
/// Request/reply and event dispatch over one NETLINK_ISCSI socket. A dedicated reader thread drains the socket
/// continuously (a full receive buffer makes the kernel drop RECV_PDU and kill the connection) and routes:
/// unicast replies to the one outstanding request (the kernel has no seq: requests are serialized and matched on
/// source groups 0 and nlmsg_type), RECV_PDU to per-(sid, cid) queues, GET_STATS data to the pending stats
/// request, and every event to subscribers. Safe for concurrent callers; every wait has a timeout and a token.
/// </summary>
internal sealed class IscsiNetlinkConnection : IDisposable, IAsyncDisposable
{
    /// <summary>Room for the largest RECV_PDU the kernel passes up (login/text ≤ 8192 data, NOP-In ≤ MaxRecvDataSegmentLength).</summary>
    internal const int DefaultDatagramBufferSize = 16 + 56 + 48 + (256 * 1024) + 64;

    private const int PduQueueCapacity = 64;
    private const int EventQueueCapacity = 1024;

    private readonly INetlinkSocket _socket;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _requestLock = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Dictionary<(uint Sid, uint Cid), Channel<PduItem>> _pduQueues = [];
    private readonly List<Channel<IscsiKernelEvent>> _subscribers = [];
    private readonly byte[] _datagram;
    private readonly Thread _reader;
    private readonly TaskCompletionSource _readerExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PendingRequest? _pending;
    private Exception? _fault;
    private int _sequence;
    private int _disposed;

    internal IscsiNetlinkConnection(INetlinkSocket socket, ILogger? logger = null, int datagramBufferSize = DefaultDatagramBufferSize)
    {
        _socket = socket;
        _logger = logger ?? NullLogger.Instance;
        _datagram = new byte[datagramBufferSize];
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "iscsi-netlink-reader" };
        _reader.Start();
    }

    /// <summary>The socket's port id.</summary>
    internal uint PortId => _socket.PortId;

    /// <summary>A fresh nlmsg_seq for the next request.</summary>
    internal uint NextSequence() => (uint)Interlocked.Increment(ref _sequence);

    /// <summary>
    /// Sends one encoded request and waits for its answer. IF_ERROR and (for BIND/START/SEND_PDU) a non-zero
    /// retcode become exceptions that name the operation.
    /// </summary>
    /// <exception cref="IscsiKernelException">The kernel reported an errno, or no answer came within <paramref name="timeout"/> (ETIMEDOUT).</exception>
    /// <exception cref="UnauthorizedAccessException">EPERM/EACCES.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    /// <exception cref="ObjectDisposedException">The connection is disposed.</exception>
    internal async Task<KernelResponse> RequestAsync(KernelRequest request, ReadOnlyMemory<byte> message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        long started = Environment.TickCount64;
        if (!await _requestLock.WaitAsync(timeout, cancellationToken).ConfigureAwait(false))
        {
            throw request.Error(Errno.ETIMEDOUT, "another request held the netlink socket for the whole timeout", elapsed: timeout);
        }

        var pending = new PendingRequest(request);
        try
        {
            lock (_gate)
            {
                ThrowIfUnusable();
                _pending = pending;
            }

            string operation = request.Type.ToKernelName();
            NetlinkLog.RequestSent(_logger, _socket.PortId, operation, message.Length);
            try
            {
                // The kernel handles the request inside this call; its reply is queued before sendmsg returns.
                // DESTROY_SESSION blocks there until the SCSI host is removed: keep it off the caller's thread.
                if (request.Type == IscsiUeventType.DestroySession)
                {
                    await Task.Run(() => _socket.Send(message.Span), CancellationToken.None).ConfigureAwait(false);
                }
                else
                {
                    _socket.Send(message.Span);
                }
            }
            catch (IscsiKernelException e)
            {
                throw request.Error(e.Errno, "sendmsg failed", e);
            }

            TimeSpan left = timeout == Timeout.InfiniteTimeSpan ? timeout : timeout - TimeSpan.FromMilliseconds(Environment.TickCount64 - started);
            KernelResponse response;
            try
            {
                response = await pending.Completion.Task.WaitAsync(left < TimeSpan.Zero && left != Timeout.InfiniteTimeSpan ? TimeSpan.Zero : left, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                throw request.Error(Errno.ETIMEDOUT, "no answer from the kernel", inner: e, elapsed: TimeSpan.FromMilliseconds(Environment.TickCount64 - started));
            }

            IscsiUeventReply reply = response.Reply;
            if (!request.IsStats || response.Statistics is null)
            {
                NetlinkLog.ReplyReceived(_logger, operation, (uint)reply.Type, reply.IfError, reply.RetCode);
            }

            if (reply.Type == IscsiUeventType.KernelIfError)
            {
                throw request.Error(-reply.IfError);
            }

            if (request.UsesRetCode && reply.RetCode != 0)
            {
                throw request.Error(-reply.RetCode);
            }

            return response;
        }
        finally
        {
            lock (_gate)
            {
                if (ReferenceEquals(_pending, pending))
                {
                    _pending = null;
                }
            }

            _requestLock.Release();
        }
    }

    /// <summary>Starts keeping RECV_PDU events of (sid, cid) until <see cref="ClosePduQueue"/>; PDUs of conns without a queue are dropped.</summary>
    internal void OpenPduQueue(uint sid, uint cid)
    {
        lock (_gate)
        {
            GetOrCreateQueue(sid, cid);
        }
    }

    /// <summary>Stops keeping PDUs of (sid, cid) and releases the ones not taken.</summary>
    internal void ClosePduQueue(uint sid, uint cid)
    {
        Channel<PduItem>? queue;
        lock (_gate)
        {
            if (!_pduQueues.Remove((sid, cid), out queue))
            {
                return;
            }
        }

        queue.Writer.TryComplete();
        while (queue.Reader.TryRead(out PduItem item))
        {
            item.Pdu?.Dispose();
        }
    }

    /// <summary>Waits for the next RECV_PDU of (sid, cid); a CONN_ERROR of that conn ends the wait with an error.</summary>
    /// <exception cref="IscsiKernelException">ETIMEDOUT, a connection error, or a PDU too large for the receive buffer.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    /// <exception cref="ObjectDisposedException">The connection is disposed.</exception>
    internal async Task<IscsiReceivedPdu> ReceivePduAsync(uint sid, uint cid, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Channel<PduItem> queue;
        lock (_gate)
        {
            ThrowIfUnusable();
            queue = GetOrCreateQueue(sid, cid);
        }

        PduItem item;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            // A cancelled ReadAsync withdraws its waiter, so a PDU arriving after the timeout stays queued.
            item = await queue.Reader.ReadAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            ThrowIfUnusable();
            throw KernelErrors.Create("ISCSI_KEVENT_RECV_PDU", Errno.ETIMEDOUT, sid, cid, detail: "no PDU arrived", inner: e, elapsed: timeout);
        }
        catch (ChannelClosedException e)
        {
            ThrowIfUnusable();
            throw new ObjectDisposedException("the PDU queue of this connection was closed", e);
        }

        return item.Pdu ?? throw item.Error!;
    }

    /// <summary>Every kernel event from now on until <paramref name="cancellationToken"/> fires or the connection is disposed.</summary>
    internal async IAsyncEnumerable<IscsiKernelEvent> WatchEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Channel<IscsiKernelEvent> channel = Subscribe();
        try
        {
            await foreach (IscsiKernelEvent e in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }
        }
        finally
        {
            Unsubscribe(channel);
        }
    }

    /// <summary>Registers a subscriber channel now (so no event between the call and the first read is missed).</summary>
    internal Channel<IscsiKernelEvent> Subscribe()
    {
        Channel<IscsiKernelEvent> channel = Channel.CreateBounded<IscsiKernelEvent>(
            new BoundedChannelOptions(EventQueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            _ => NetlinkLog.SubscriberOverflow(_logger));
        lock (_gate)
        {
            ThrowIfUnusable();
            _subscribers.Add(channel);
        }

        return channel;
    }

    /// <summary>Removes a subscriber channel.</summary>
    internal void Unsubscribe(Channel<IscsiKernelEvent> channel)
    {
        lock (_gate)
        {
            _subscribers.Remove(channel);
        }

        channel.Writer.TryComplete();
    }

    /// <summary>How long disposal waits for the reader thread to leave recvmsg after the wakeup (normally microseconds).</summary>
    internal static readonly TimeSpan ReaderStopTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Stops the reader, fails every waiter with <see cref="ObjectDisposedException"/> and closes the socket. Blocks
    /// at most <see cref="ReaderStopTimeout"/> for the reader thread (woken through its eventfd, so normally at once).
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _socket.Wake();
        if (Thread.CurrentThread != _reader)
        {
            _reader.Join(ReaderStopTimeout);
        }

        Shutdown(new ObjectDisposedException(nameof(IscsiNetlinkConnection)));
        _socket.Dispose();
    }

    /// <summary>As <see cref="Dispose"/>, awaiting the reader's exit (bounded the same way) instead of blocking a thread.</summary>
    /// <returns>A task that completes when the socket is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _socket.Wake();
        if (Thread.CurrentThread != _reader)
        {
            try
            {
                await _readerExited.Task.WaitAsync(ReaderStopTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Bounded like Dispose: close the socket anyway.
            }
        }

        Shutdown(new ObjectDisposedException(nameof(IscsiNetlinkConnection)));
        _socket.Dispose();
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Volatile.Read(ref _fault) is Exception fault)
        {
            throw new IscsiKernelException("NETLINK_ISCSI reader", fault is IscsiKernelException k ? k.Errno : Errno.EIO, detail: "the socket failed; open a new connection", innerException: fault);
        }
    }

    private Channel<PduItem> GetOrCreateQueue(uint sid, uint cid)
    {
        if (!_pduQueues.TryGetValue((sid, cid), out Channel<PduItem>? queue))
        {
            queue = Channel.CreateBounded<PduItem>(
                new BoundedChannelOptions(PduQueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true },
                dropped => dropped.Pdu?.Dispose());
            _pduQueues.Add((sid, cid), queue);
        }

        return queue;
    }

    private void ReadLoop()
    {
        try
        {
            ReadLoopCore();
        }
        finally
        {
            _readerExited.TrySetResult();
        }
    }

    private void ReadLoopCore()
    {
        while (true)
        {
            NetlinkReceiveResult result = _socket.Receive(_datagram);
            if (result.Woken)
            {
                return;
            }

            if (result.Errno == Errno.ENOBUFS)
            {
                NetlinkLog.EventsLost(_logger);
                continue;
            }

            if (result.Errno != 0)
            {
                NetlinkLog.ReaderFailed(_logger, Errno.Name(result.Errno));
                Volatile.Write(ref _fault, new IscsiKernelException("recvmsg on NETLINK_ISCSI", result.Errno));
                Shutdown(_fault!);
                return;
            }

            try
            {
                Dispatch(_datagram.AsSpan(0, Math.Min(result.Length, _datagram.Length)), result);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A dispatch bug must not stop the drain: the kernel kills connections whose PDUs it cannot deliver.
                NetlinkLog.ReaderFailed(_logger, e.GetType().Name);
            }
        }
    }

    private void Dispatch(ReadOnlySpan<byte> datagram, NetlinkReceiveResult result)
    {
        if (!IscsiNetlinkMessage.TryParse(datagram, out IscsiNetlinkMessage message))
        {
            if (result.Truncated)
            {
                NetlinkLog.TruncatedDatagram(_logger, result.Length, _datagram.Length);
            }
            else
            {
                NetlinkLog.MalformedDatagram(_logger, result.Length, result.SourceGroups);
            }

            return;
        }

        if (result.Truncated)
        {
            // The head is intact; the rest is not. Fail whoever waits for it rather than parse a partial message.
            NetlinkLog.TruncatedDatagram(_logger, result.Length, _datagram.Length);
            string detail = $"a {result.Length}-byte message does not fit the {_datagram.Length}-byte receive buffer";
            if (result.SourceGroups == 0)
            {
                CompletePendingWithError(message.NetlinkType, Errno.EMSGSIZE, detail);
            }
            else if (message.EventType == IscsiUeventType.KernelRecvPdu)
            {
                uint sid = message.ReadUInt32(IscsiUeventLayout.RecvReqSid);
                uint cid = message.ReadUInt32(IscsiUeventLayout.RecvReqCid);
                FailPduWaiter(sid, cid, new IscsiKernelException("ISCSI_KEVENT_RECV_PDU", Errno.EMSGSIZE, (int)sid, (int)cid, detail: detail));
            }

            return;
        }

        if (result.SourceGroups == 0)
        {
            CompletePending(message);
            return;
        }

        switch (message.EventType)
        {
            case IscsiUeventType.KernelRecvPdu:
                DispatchPdu(message);
                break;
            case IscsiUeventType.GetStats when message.NetlinkType == 0:
                DispatchStats(message);
                break;
            case IscsiUeventType.KernelConnError:
                {
                    uint sid = message.ReadUInt32(IscsiUeventLayout.ConnErrorSid);
                    uint cid = message.ReadUInt32(IscsiUeventLayout.ConnErrorCid);
                    var error = (IscsiConnectionError)message.ReadUInt32(IscsiUeventLayout.ConnErrorError);
                    Publish(new IscsiKernelEvent(message.EventType, sid, cid, Error: error));
                    FailPduWaiter(sid, cid, new IscsiKernelException(
                        "ISCSI_KEVENT_CONN_ERROR", Errno.ENOTCONN, (int)sid, (int)cid, detail: $"connection error {error} ({(uint)error})"));
                    break;
                }

            case IscsiUeventType.KernelCreateSession:
                Publish(new IscsiKernelEvent(message.EventType, message.ReadUInt32(IscsiUeventLayout.CSessionRetSid), HostNumber: message.ReadUInt32(IscsiUeventLayout.CSessionRetHostNo)));
                break;
            case IscsiUeventType.KernelUnbindSession:
                Publish(new IscsiKernelEvent(message.EventType, message.ReadUInt32(IscsiUeventLayout.UnbindSessionSid), HostNumber: message.ReadUInt32(IscsiUeventLayout.UnbindSessionHostNo)));
                break;
            case IscsiUeventType.KernelDestroySession:
                // Reversed against every other event: host_no at 40, sid at 44.
                Publish(new IscsiKernelEvent(message.EventType, message.ReadUInt32(IscsiUeventLayout.DestroyedSessionSid), HostNumber: message.ReadUInt32(IscsiUeventLayout.DestroyedSessionHostNo)));
                break;
            default:
                // Offload-only events (107-111) and anything newer: pass on the type; other fields are not decoded.
                Publish(new IscsiKernelEvent(message.EventType));
                break;
        }
    }

    private void DispatchPdu(in IscsiNetlinkMessage message)
    {
        if (!message.TryGetReceivedPdu(out uint sid, out uint cid, out ReadOnlySpan<byte> bhs, out ReadOnlySpan<byte> data))
        {
            NetlinkLog.MalformedDatagram(_logger, message.Length, 1);
            FailPduWaiter(sid, cid, new IscsiKernelException("ISCSI_KEVENT_RECV_PDU", Errno.EBADMSG, (int)sid, (int)cid, detail: "the PDU is shorter than its BHS says"));
            return;
        }

        NetlinkLog.PduReceived(_logger, sid, cid, (byte)(bhs[0] & 0x3F), data.Length);
        Channel<PduItem>? queue;
        lock (_gate)
        {
            _pduQueues.TryGetValue((sid, cid), out queue);
        }

        if (queue is not null)
        {
            var pdu = new IscsiReceivedPdu(sid, cid, bhs, data);
            if (!queue.Writer.TryWrite(new PduItem(pdu, null)))
            {
                pdu.Dispose();
            }
        }

        Publish(new IscsiKernelEvent(IscsiUeventType.KernelRecvPdu, sid, cid));
    }

    private void DispatchStats(in IscsiNetlinkMessage message)
    {
        uint sid = message.ReadUInt32(IscsiUeventLayout.GetStatsSid);
        uint cid = message.ReadUInt32(IscsiUeventLayout.GetStatsCid);
        PendingRequest? pending;
        lock (_gate)
        {
            pending = _pending;
        }

        // Every group-1 listener sees every GET_STATS answer: take only the one for our outstanding request.
        if (pending is null || !pending.Request.IsStats || pending.Request.Sid != sid || pending.Request.Cid != cid)
        {
            return;
        }

        if (IscsiStatsLayout.TryDecode(message.Payload, out IscsiStatistics? statistics))
        {
            NetlinkLog.StatsReceived(_logger, sid, cid, statistics!.Custom.Count);
            pending.Completion.TrySetResult(new KernelResponse(default, statistics));
        }
        else
        {
            pending.Completion.TrySetException(pending.Request.Error(Errno.EBADMSG, $"the {message.Payload.Length}-byte statistics payload is incomplete"));
        }
    }

    private void CompletePending(in IscsiNetlinkMessage message)
    {
        PendingRequest? pending;
        lock (_gate)
        {
            pending = _pending;
        }

        if (pending is null || message.NetlinkType != (ushort)pending.Request.Type)
        {
            NetlinkLog.UnmatchedReply(_logger, message.NetlinkType);
            return;
        }

        pending.Completion.TrySetResult(new KernelResponse(IscsiUeventReply.From(message), null));
    }

    private void CompletePendingWithError(ushort netlinkType, int errno, string detail)
    {
        PendingRequest? pending;
        lock (_gate)
        {
            pending = _pending;
        }

        if (pending is not null && netlinkType == (ushort)pending.Request.Type)
        {
            pending.Completion.TrySetException(pending.Request.Error(errno, detail));
        }
    }

    private void FailPduWaiter(uint sid, uint cid, Exception error)
    {
        Channel<PduItem>? queue;
        lock (_gate)
        {
            _pduQueues.TryGetValue((sid, cid), out queue);
        }

        queue?.Writer.TryWrite(new PduItem(null, error));
    }

    private void Publish(IscsiKernelEvent e)
    {
        if (e.Type != IscsiUeventType.KernelRecvPdu)
        {
            NetlinkLog.EventReceived(_logger, e.Type, e.Sid, e.Cid, e.HostNumber, e.Error);
        }

        lock (_gate)
        {
            foreach (Channel<IscsiKernelEvent> subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(e);
            }
        }
    }

    private void Shutdown(Exception reason)
    {
        PendingRequest? pending;
        List<Channel<PduItem>> queues;
        List<Channel<IscsiKernelEvent>> subscribers;
        lock (_gate)
        {
            pending = _pending;
            queues = [.. _pduQueues.Values];
            subscribers = [.. _subscribers];
        }

        pending?.Completion.TrySetException(reason);
        foreach (Channel<PduItem> queue in queues)
        {
            queue.Writer.TryComplete(reason);
            while (queue.Reader.TryRead(out PduItem item))
            {
                item.Pdu?.Dispose();
            }
        }

        foreach (Channel<IscsiKernelEvent> subscriber in subscribers)
        {
            subscriber.Writer.TryComplete();
        }
    }

    private sealed class PendingRequest(KernelRequest request)
    {
        internal KernelRequest Request { get; } = request;

        internal TaskCompletionSource<KernelResponse> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly record struct PduItem(IscsiReceivedPdu? Pdu, Exception? Error);
}
