namespace IscsiNative.Netlink;

/// <summary>What every request carries besides its own fields: the transport handle and the nlmsghdr seq/pid.</summary>
/// <param name="TransportHandle">The registered transport (<c>/sys/class/iscsi_transport/tcp/handle</c>).</param>
/// <param name="Sequence"><c>nlmsg_seq</c>; the kernel ignores it, it helps reading traces.</param>
/// <param name="PortId"><c>nlmsg_pid</c>: the sender's port id; the kernel replies to the socket's real port regardless.</param>
internal readonly record struct NetlinkRequestStamp(ulong TransportHandle, uint Sequence, uint PortId);
