namespace IscsiNative.Netlink;

/// <summary>
/// The datagram socket under <see cref="IscsiNetlinkConnection"/>: the real NETLINK_ISCSI socket, or a fake in
/// tests. <see cref="Receive"/> is called from one reader thread only; <see cref="Send"/> from request callers.
/// </summary>
internal interface INetlinkSocket : IDisposable
{
    /// <summary>The port id the kernel assigned (the session's sysfs <c>creator</c>).</summary>
    uint PortId { get; }

    /// <summary>Sends one message to the kernel; the kernel processes it before this returns.</summary>
    /// <exception cref="IscsiKernelException">sendmsg failed.</exception>
    /// <exception cref="UnauthorizedAccessException">EPERM/EACCES.</exception>
    void Send(ReadOnlySpan<byte> message);

    /// <summary>Blocks until a datagram arrives (copied into <paramref name="buffer"/>), an error, or <see cref="Wake"/>.</summary>
    NetlinkReceiveResult Receive(Span<byte> buffer);

    /// <summary>Makes the current and every later <see cref="Receive"/> return <see cref="NetlinkReceiveResult.Woken"/>.</summary>
    void Wake();
}
