using System.Diagnostics;

namespace IscsiNative.Netlink;

/// <summary>
/// Requests without the shared socket: a small pool of group-less NETLINK_ISCSI sockets (<see cref="INetlinkRequestSocket"/>),
/// one per caller at a time. The kernel runs a request inside <c>sendmsg</c> and queues its unicast reply before
/// returning, so the caller reads the reply at once on its own thread: no lock shared with other callers, no hop
/// through the reader thread, no reply matching. Concurrent callers then serialize only on the kernel's own rx
/// mutex, for the time the kernel works. CREATE_SESSION (its socket's port id becomes the session's <c>creator</c>)
/// and GET_STATS (answered by multicast) stay on the group socket.
/// </summary>
internal sealed partial class IscsiNetlinkConnection
{
    /// <summary>Idle request sockets kept for reuse; more are opened under load and closed when returned beyond this.</summary>
    internal const int MaxIdleRequestSockets = 4;

    private const int ReplyBufferSize = 256;

    private readonly Func<INetlinkRequestSocket>? _openRequestSocket;
    private readonly Stack<INetlinkRequestSocket> _idleRequestSockets = new();

    /// <summary>Whether requests may bypass the shared socket (a request-socket factory was given).</summary>
    internal bool HasRequestSockets => _openRequestSocket is not null;

    /// <summary>Whether <paramref name="type"/> can go over a request socket.</summary>
    internal bool CanSendDirect(IscsiUeventType type) =>
        _openRequestSocket is not null && type is not (IscsiUeventType.CreateSession or IscsiUeventType.GetStats);

    /// <summary>
    /// Sends <paramref name="messages"/> (one or more requests, NLMSG_ALIGNed) in one <c>sendmsg</c> on a request
    /// socket and reads one reply per request, in order, on the calling thread. Returns each request's reply or
    /// error; throws only when the exchange itself failed (sendmsg error, no or foreign reply), naming the request.
    /// </summary>
    /// <exception cref="IscsiKernelException">sendmsg failed, or a reply was missing (ETIMEDOUT) or malformed (EBADMSG).</exception>
    /// <exception cref="UnauthorizedAccessException">EPERM.</exception>
    /// <exception cref="ObjectDisposedException">The connection is disposed.</exception>
    internal (KernelResponse Response, Exception? Error)[] Exchange(IReadOnlyList<KernelRequest> requests, ReadOnlySpan<byte> messages, TimeSpan timeout)
    {
        ThrowIfUnusable();
        INetlinkRequestSocket socket = RentRequestSocket();
        bool healthy = false;
        try
        {
            long sending = PhaseTrace.Begin();
            try
            {
                socket.Send(messages);
            }
            catch (IscsiKernelException e)
            {
                throw requests[0].Error(e.Errno, "sendmsg failed", e);
            }

            if (sending != 0)
            {
                PhaseTrace.End(requests.Count == 1 ? "nl: sendmsg " + requests[0].Type.ToKernelName() : $"nl: sendmsg batch of {requests.Count}", requests[0].Sid ?? 0, sending);
            }

            var results = new (KernelResponse, Exception?)[requests.Count];
            Span<byte> buffer = stackalloc byte[ReplyBufferSize];
            int timeoutMs = timeout == Timeout.InfiniteTimeSpan ? -1 : (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue);
            for (int i = 0; i < requests.Count; i++)
            {
                KernelRequest request = requests[i];

                // The reply is queued before sendmsg returns; the timeout only guards against a dropped one.
                NetlinkReceiveResult result = socket.Receive(buffer, timeoutMs);
                if (result.Errno != 0 || result.Woken)
                {
                    throw request.Error(result.Woken ? Errno.ECANCELED : result.Errno, "no reply on the request socket", elapsed: result.Errno == Errno.ETIMEDOUT ? timeout : null);
                }

                if (!IscsiNetlinkMessage.TryParse(buffer[..Math.Min(result.Length, buffer.Length)], out IscsiNetlinkMessage message)
                    || message.NetlinkType != (ushort)request.Type)
                {
                    throw request.Error(Errno.EBADMSG, "the reply on the request socket does not belong to this request");
                }

                IscsiUeventReply reply = IscsiUeventReply.From(message);
                NetlinkLog.ReplyReceived(_logger, request.Type.ToKernelName(), (uint)reply.Type, reply.IfError, reply.RetCode);
                results[i] = (new KernelResponse(reply, null), Check(request, reply));
            }

            healthy = true;
            return results;
        }
        finally
        {
            ReturnRequestSocket(socket, healthy);
        }
    }

    /// <summary>The error a reply reports: IF_ERROR, or a non-zero retcode for BIND/START/SEND_PDU; null on success.</summary>
    internal static Exception? Check(KernelRequest request, IscsiUeventReply reply)
    {
        if (reply.Type == IscsiUeventType.KernelIfError)
        {
            return request.Error(-reply.IfError);
        }

        return request.UsesRetCode && reply.RetCode != 0 ? request.Error(-reply.RetCode) : null;
    }

    private INetlinkRequestSocket RentRequestSocket()
    {
        lock (_idleRequestSockets)
        {
            if (_idleRequestSockets.TryPop(out INetlinkRequestSocket? idle))
            {
                return idle;
            }
        }

        Debug.Assert(_openRequestSocket is not null, "CanSendDirect was checked");
        return _openRequestSocket!();
    }

    private void ReturnRequestSocket(INetlinkRequestSocket socket, bool healthy)
    {
        // A socket whose exchange failed midway may hold stale replies: never reuse it.
        if (healthy && Volatile.Read(ref _disposed) == 0)
        {
            lock (_idleRequestSockets)
            {
                if (_idleRequestSockets.Count < MaxIdleRequestSockets && Volatile.Read(ref _disposed) == 0)
                {
                    _idleRequestSockets.Push(socket);
                    return;
                }
            }
        }

        socket.Dispose();
    }

    private void CloseRequestSockets()
    {
        lock (_idleRequestSockets)
        {
            while (_idleRequestSockets.TryPop(out INetlinkRequestSocket? socket))
            {
                socket.Dispose();
            }
        }
    }
}
