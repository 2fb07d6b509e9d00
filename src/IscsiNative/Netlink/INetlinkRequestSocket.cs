namespace IscsiNative.Netlink;

/// <summary>
/// A NETLINK_ISCSI socket in no multicast group, used by one caller at a time for requests only: the kernel handles
/// every message of a send inside that <c>sendmsg</c> and queues one unicast reply per message before it returns,
/// so the caller reads its replies right away, in order, on its own thread (no reader thread, no matching, no
/// lock shared with other callers). The real one is an <see cref="IscsiNetlinkSocket"/> opened with no groups.
/// </summary>
internal interface INetlinkRequestSocket : IDisposable
{
    /// <summary>Sends one buffer holding one or more NLMSG_ALIGNed messages; the kernel processes them all before this returns.</summary>
    /// <exception cref="IscsiKernelException">sendmsg failed.</exception>
    /// <exception cref="UnauthorizedAccessException">EPERM/EACCES.</exception>
    void Send(ReadOnlySpan<byte> messages);

    /// <summary>Receives one datagram, waiting at most <paramref name="timeoutMs"/> (ETIMEDOUT in the result after that).</summary>
    NetlinkReceiveResult Receive(Span<byte> buffer, int timeoutMs);
}
