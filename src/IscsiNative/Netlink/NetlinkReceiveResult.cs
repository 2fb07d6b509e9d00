namespace IscsiNative.Netlink;

/// <summary>The outcome of one <see cref="INetlinkSocket.Receive"/>.</summary>
/// <param name="Length">The datagram's full length (above the buffer size when <paramref name="Truncated"/>).</param>
/// <param name="SourceGroups">The sender's nl_groups: 0 for a unicast reply, 1 for a group-1 multicast.</param>
/// <param name="Truncated">The datagram did not fit (MSG_TRUNC); only its first bytes were stored.</param>
/// <param name="Errno">A positive errno when the receive failed (ENOBUFS: the kernel dropped messages), else 0.</param>
/// <param name="Woken">The socket was woken for shutdown; no datagram.</param>
internal readonly record struct NetlinkReceiveResult(int Length, uint SourceGroups, bool Truncated, int Errno, bool Woken)
{
    /// <summary>A received datagram.</summary>
    internal static NetlinkReceiveResult Datagram(int length, uint sourceGroups, bool truncated) => new(length, sourceGroups, truncated, 0, false);

    /// <summary>A failed receive.</summary>
    internal static NetlinkReceiveResult Failed(int errno) => new(0, 0, false, errno, false);

    /// <summary>The wakeup was signalled.</summary>
    internal static NetlinkReceiveResult WokenUp => new(0, 0, false, 0, true);
}
