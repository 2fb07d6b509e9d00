using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IscsiNative.Netlink;

/// <summary>
/// One NETLINK_ISCSI socket: owns it and its reader thread (<c>IscsiNetlinkConnection.Reader.cs</c>), serializes
/// requests (matched by <see cref="NetlinkReplyMatcher"/>), keeps RECV_PDU per connection (<see cref="PduQueues"/>)
/// and fans events out (<see cref="EventHub{T}"/>). Safe for concurrent callers; every wait has a timeout and a token.
/// </summary>
internal sealed partial class IscsiNetlinkConnection : IDisposable, IAsyncDisposable
{
    /// <summary>Room for the largest RECV_PDU the kernel passes up (login/text ≤ 8192 data, NOP-In ≤ MaxRecvDataSegmentLength).</summary>
    internal const int DefaultDatagramBufferSize = 16 + 56 + 48 + (256 * 1024) + 64;

    private const int EventQueueCapacity = 1024;

    private readonly INetlinkSocket _socket;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _requestLock = new(1, 1);
    private readonly NetlinkReplyMatcher _replies;
    private readonly PduQueues _pdus = new();
    private readonly EventHub<IscsiKernelEvent> _events;
    private readonly byte[] _datagram;
    private readonly Thread _reader;
    private readonly TaskCompletionSource _readerExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _fault;
    private int _sequence;
    private int _disposed;

    internal IscsiNetlinkConnection(INetlinkSocket socket, ILogger? logger = null, int datagramBufferSize = DefaultDatagramBufferSize, Func<INetlinkRequestSocket>? openRequestSocket = null)
    {
        _socket = socket;
        _openRequestSocket = openRequestSocket;
        _logger = logger ?? NullLogger.Instance;
        _replies = new NetlinkReplyMatcher(_logger);
        _events = new EventHub<IscsiKernelEvent>(EventQueueCapacity, _ => NetlinkLog.SubscriberOverflow(_logger));
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
        if (CanSendDirect(request.Type))
        {
            cancellationToken.ThrowIfCancellationRequested();
            (KernelResponse Response, Exception? Error)[] results = request.Type == IscsiUeventType.DestroySession
                ? await Task.Factory.StartNew(() => Exchange([request], message.Span, timeout), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false)
                : Exchange([request], message.Span, timeout);
            return results[0].Error is { } error ? throw error : results[0].Response;
        }

        long started = Environment.TickCount64;
        long traced = PhaseTrace.Begin();
        if (!await _requestLock.WaitAsync(timeout, cancellationToken).ConfigureAwait(false))
        {
            throw request.Error(Errno.ETIMEDOUT, "another request held the netlink socket for the whole timeout", elapsed: timeout);
        }

        PhaseTrace.End("nl: wait for the socket lock", request.Sid ?? 0, traced);

        var pending = new NetlinkReplyMatcher.Pending(request);
        try
        {
            ThrowIfUnusable();
            if (!_replies.TryBegin(pending))
            {
                throw Unusable();
            }

            string operation = request.Type.ToKernelName();
            NetlinkLog.RequestSent(_logger, _socket.PortId, operation, message.Length);
            long sending = PhaseTrace.Begin();
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

            if (sending != 0)
            {
                PhaseTrace.End("nl: sendmsg " + operation, request.Sid ?? 0, sending);
                sending = System.Diagnostics.Stopwatch.GetTimestamp();
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

            PhaseTrace.End("nl: reply hop (reader thread to caller)", request.Sid ?? 0, sending);
            IscsiUeventReply reply = response.Reply;
            if (!request.IsStats || response.Statistics is null)
            {
                NetlinkLog.ReplyReceived(_logger, operation, (uint)reply.Type, reply.IfError, reply.RetCode);
            }

            return Check(request, reply) is { } failure ? throw failure : response;
        }
        finally
        {
            _replies.End(pending);
            _requestLock.Release();
        }
    }

    /// <summary>Starts keeping RECV_PDU events of (sid, cid) until <see cref="ClosePduQueue"/>; PDUs of conns without a queue are dropped.</summary>
    internal void OpenPduQueue(uint sid, uint cid) => _pdus.Open(sid, cid);

    /// <summary>Stops keeping PDUs of (sid, cid) and releases the ones not taken.</summary>
    internal void ClosePduQueue(uint sid, uint cid) => _pdus.Close(sid, cid);

    /// <summary>Waits for the next RECV_PDU of (sid, cid); a CONN_ERROR of that conn ends the wait with an error.</summary>
    /// <exception cref="IscsiKernelException">ETIMEDOUT, a connection error, or a PDU too large for the receive buffer.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    /// <exception cref="ObjectDisposedException">The connection is disposed.</exception>
    internal async Task<IscsiReceivedPdu> ReceivePduAsync(uint sid, uint cid, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        Channel<PduQueues.Item> queue = _pdus.TryGet(sid, cid) ?? throw Unusable();
        PduQueues.Item item;
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
    /// <param name="filter">Takes only the events it accepts; null takes all.</param>
    /// <param name="lost">Called each time this subscriber's full queue drops an event (see <see cref="EventHub{T}.Subscribe"/>).</param>
    internal Channel<IscsiKernelEvent> Subscribe(Func<IscsiKernelEvent, bool>? filter = null, Action? lost = null)
    {
        ThrowIfUnusable();
        return _events.Subscribe(filter, lost);
    }

    /// <summary>Removes a subscriber channel.</summary>
    internal void Unsubscribe(Channel<IscsiKernelEvent> channel) => _events.Unsubscribe(channel);

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
        CloseRequestSockets();
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
        CloseRequestSockets();
        _socket.Dispose();
    }

    private void ThrowIfUnusable()
    {
        if (Volatile.Read(ref _disposed) != 0 || Volatile.Read(ref _fault) is not null)
        {
            throw Unusable();
        }
    }

    /// <summary>Why the connection cannot be used: disposed, or the reader failed.</summary>
    private Exception Unusable()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return new ObjectDisposedException(nameof(IscsiNetlinkConnection));
        }

        if (Volatile.Read(ref _fault) is Exception fault)
        {
            return new IscsiKernelException("NETLINK_ISCSI reader", fault is IscsiKernelException k ? k.Errno : Errno.EIO, detail: "the socket failed; open a new connection", innerException: fault);
        }

        return new ObjectDisposedException(nameof(IscsiNetlinkConnection));
    }

    private void Shutdown(Exception reason)
    {
        _replies.Close(reason);
        _pdus.CloseAll(reason);
        _events.Complete();
    }
}
