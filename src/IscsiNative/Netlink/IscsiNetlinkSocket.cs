namespace IscsiNative.Netlink;

/// <summary>
/// The real NETLINK_ISCSI socket (through the shim): bound to group 1 with an autobound port id, a large
/// receive buffer, and an eventfd that wakes the blocked reader on dispose.
/// </summary>
internal sealed unsafe class IscsiNetlinkSocket : INetlinkSocket, INetlinkRequestSocket
{
    /// <summary><c>ISCSI_NL_GRP_ISCSID</c>: all events and the GET_STATS data.</summary>
    internal const uint IscsidGroup = 1;

    private readonly int _fd;
    private readonly int _wakeFd;
    private int _disposed;

    private IscsiNetlinkSocket(int fd, int wakeFd, uint portId)
    {
        _fd = fd;
        _wakeFd = wakeFd;
        PortId = portId;
    }

    /// <inheritdoc/>
    public uint PortId { get; }

    /// <summary>Opens the socket and binds it to group 1.</summary>
    /// <param name="receiveBufferBytes">Requested SO_RCVBUF (SO_RCVBUFFORCE when permitted).</param>
    /// <exception cref="UnauthorizedAccessException">bind to the group was refused (no CAP_NET_ADMIN).</exception>
    /// <exception cref="IscsiKernelException">socket/bind failed otherwise (e.g. EPROTONOSUPPORT: scsi_transport_iscsi missing).</exception>
    internal static IscsiNetlinkSocket Open(int receiveBufferBytes) => Open(receiveBufferBytes, IscsidGroup);

    /// <summary>Opens a socket for requests only (no group: it receives nothing but its own replies).</summary>
    /// <exception cref="IscsiKernelException">socket/bind failed.</exception>
    internal static IscsiNetlinkSocket OpenForRequests() => Open(64 * 1024, 0);

    private static IscsiNetlinkSocket Open(int receiveBufferBytes, uint groups)
    {
        int rc = Interop.Shim.NetlinkOpen(groups, receiveBufferBytes, out int fd, out uint portId);
        if (rc < 0)
        {
            string? detail = -rc == Errno.EPROTONOSUPPORT ? "the kernel has no NETLINK_ISCSI (modprobe scsi_transport_iscsi)" : null;
            throw KernelErrors.Create("open NETLINK_ISCSI socket", -rc, detail: detail);
        }

        rc = Interop.Shim.WakeupCreate(out int wakeFd);
        if (rc < 0)
        {
            _ = Interop.Shim.Close(fd);
            throw KernelErrors.Create("eventfd", -rc);
        }

        return new IscsiNetlinkSocket(fd, wakeFd, portId);
    }

    /// <inheritdoc/>
    public void Send(ReadOnlySpan<byte> message)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        int rc;
        fixed (byte* p = message)
        {
            rc = Interop.Shim.NetlinkSend(_fd, p, message.Length);
        }

        if (rc < 0)
        {
            throw KernelErrors.Create("sendmsg on NETLINK_ISCSI", -rc);
        }
    }

    /// <inheritdoc/>
    public NetlinkReceiveResult Receive(Span<byte> buffer) => Receive(buffer, -1);

    /// <inheritdoc/>
    public NetlinkReceiveResult Receive(Span<byte> buffer, int timeoutMs)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        int rc;
        uint groups;
        int flags;
        fixed (byte* p = buffer)
        {
            rc = Interop.Shim.NetlinkReceive(_fd, _wakeFd, p, buffer.Length, timeoutMs, out groups, out _, out flags);
        }

        if (rc == -Errno.ECANCELED)
        {
            return NetlinkReceiveResult.WokenUp;
        }

        if (rc < 0)
        {
            return NetlinkReceiveResult.Failed(-rc);
        }

        return NetlinkReceiveResult.Datagram(rc, groups, (flags & Interop.Shim.NetlinkReceiveTruncated) != 0);
    }

    /// <inheritdoc/>
    public void Wake()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            _ = Interop.Shim.WakeupSignal(_wakeFd);
        }
    }

    /// <summary>Closes both descriptors. The owner must have stopped its reader (after <see cref="Wake"/>) first.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _ = Interop.Shim.Close(_fd);
        _ = Interop.Shim.Close(_wakeFd);
    }
}
