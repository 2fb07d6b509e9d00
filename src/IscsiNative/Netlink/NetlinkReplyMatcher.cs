using Microsoft.Extensions.Logging;

namespace IscsiNative.Netlink;

/// <summary>
/// Request/reply matching on NETLINK_ISCSI: the kernel has no seq, so requests are serialized and the one outstanding
/// request takes the unicast reply of its nlmsg_type, or the group-1 GET_STATS data of its (sid, cid).
/// </summary>
internal sealed class NetlinkReplyMatcher(ILogger logger)
{
    private readonly Lock _gate = new();
    private Pending? _pending;
    private bool _closed;

    /// <summary>Makes <paramref name="pending"/> the outstanding request; false once <see cref="Close"/> ran.</summary>
    internal bool TryBegin(Pending pending)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            _pending = pending;
            return true;
        }
    }

    /// <summary>Clears the outstanding request if it is still <paramref name="pending"/>.</summary>
    internal void End(Pending pending)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_pending, pending))
            {
                _pending = null;
            }
        }
    }

    /// <summary>A unicast reply: completes the outstanding request of the same type, or is logged and dropped.</summary>
    internal void Complete(in IscsiNetlinkMessage message)
    {
        Pending? pending = Current();
        if (pending is null || message.NetlinkType != (ushort)pending.Request.Type)
        {
            NetlinkLog.UnmatchedReply(logger, message.NetlinkType);
            return;
        }

        pending.Completion.TrySetResult(new KernelResponse(IscsiUeventReply.From(message), null));
    }

    /// <summary>A reply that could not be read (truncated): fails the outstanding request of that type.</summary>
    internal void Fail(ushort netlinkType, int errno, string detail)
    {
        Pending? pending = Current();
        if (pending is not null && netlinkType == (ushort)pending.Request.Type)
        {
            pending.Completion.TrySetException(pending.Request.Error(errno, detail));
        }
    }

    /// <summary>GET_STATS data (multicast): completes the outstanding stats request of the same (sid, cid).</summary>
    internal void CompleteStats(in IscsiNetlinkMessage message)
    {
        uint sid = message.ReadUInt32(IscsiUeventLayout.GetStatsSid);
        uint cid = message.ReadUInt32(IscsiUeventLayout.GetStatsCid);
        Pending? pending = Current();

        // Every group-1 listener sees every GET_STATS answer: take only the one for our outstanding request.
        if (pending is null || !pending.Request.IsStats || pending.Request.Sid != sid || pending.Request.Cid != cid)
        {
            return;
        }

        if (IscsiStatsLayout.TryDecode(message.Payload, out IscsiStatistics? statistics))
        {
            NetlinkLog.StatsReceived(logger, sid, cid, statistics!.Custom.Count);
            pending.Completion.TrySetResult(new KernelResponse(default, statistics));
        }
        else
        {
            pending.Completion.TrySetException(pending.Request.Error(Errno.EBADMSG, $"the {message.Payload.Length}-byte statistics payload is incomplete"));
        }
    }

    /// <summary>Fails the outstanding request with <paramref name="reason"/> and refuses new ones.</summary>
    internal void Close(Exception reason)
    {
        Pending? pending;
        lock (_gate)
        {
            _closed = true;
            pending = _pending;
        }

        pending?.Completion.TrySetException(reason);
    }

    private Pending? Current()
    {
        lock (_gate)
        {
            return _pending;
        }
    }

    /// <summary>A request waiting for its answer.</summary>
    internal sealed class Pending(KernelRequest request)
    {
        internal KernelRequest Request { get; } = request;

        internal TaskCompletionSource<KernelResponse> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
