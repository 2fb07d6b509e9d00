namespace IscsiNative.Netlink;

/// <summary>
/// An event the kernel multicast to group 1 (every listener sees the events of every session, including sessions
/// of other processes). Only the fields the kernel initialises for <see cref="Type"/> are set.
/// </summary>
/// <param name="Type">The event: RECV_PDU 101, CONN_ERROR 102, DESTROY_SESSION 104, UNBIND_SESSION 105, CREATE_SESSION 106, ...</param>
/// <param name="Sid">The session id, when the event carries one.</param>
/// <param name="Cid">The connection id (RECV_PDU, CONN_ERROR).</param>
/// <param name="HostNumber">The SCSI host number (session events).</param>
/// <param name="Error">The reason of a CONN_ERROR.</param>
internal record IscsiKernelEvent(IscsiUeventType Type, uint? Sid = null, uint? Cid = null, uint? HostNumber = null, IscsiConnectionError? Error = null)
{
    /// <summary>
    /// Not a kernel event: the reader's marker that the kernel dropped messages for this socket (ENOBUFS), so any
    /// event may have been lost. Subscribers that keep state from events re-read it from sysfs.
    /// </summary>
    internal static readonly IscsiKernelEvent Lost = new(IscsiUeventType.Unknown) { EventsLost = true };

    /// <summary>Whether this is the <see cref="Lost"/> marker.</summary>
    internal bool EventsLost { get; private init; }
}
