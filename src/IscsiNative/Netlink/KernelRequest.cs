namespace IscsiNative.Netlink;

/// <summary>What a request addresses, for matching the GET_STATS multicast and for naming it in errors.</summary>
/// <param name="Type">The request type (also the nlmsg_type the reply carries).</param>
/// <param name="Sid">Session id, if any.</param>
/// <param name="Cid">Connection id, if any.</param>
/// <param name="HostNumber">SCSI host, if any.</param>
internal readonly record struct KernelRequest(IscsiUeventType Type, uint? Sid = null, uint? Cid = null, uint? HostNumber = null)
{
    /// <summary>Reports failure in <c>r.retcode</c> (channel B) instead of an IF_ERROR reply.</summary>
    internal bool UsesRetCode => Type is IscsiUeventType.BindConn or IscsiUeventType.StartConn or IscsiUeventType.SendPdu or IscsiUeventType.TransportEpPoll;

    /// <summary>Answered by a group-1 multicast (nlmsg_type 0, ev.type 20) instead of a unicast on success.</summary>
    internal bool IsStats => Type == IscsiUeventType.GetStats;

    internal Exception Error(int errno, string? detail = null, Exception? inner = null, TimeSpan? elapsed = null) =>
        KernelErrors.Create(Type.ToKernelName(), errno, Sid, Cid, HostNumber, detail, inner, elapsed);
}
