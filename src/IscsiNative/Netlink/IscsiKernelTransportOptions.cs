using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IscsiNative.Netlink;

/// <summary>Settings of an <see cref="IscsiKernelTransport"/>.</summary>
internal record IscsiKernelTransportOptions
{
    /// <summary>Root of sysfs, where the transport handle is read. Default <c>/sys</c>.</summary>
    public string SysfsRoot { get; init; } = "/sys";

    /// <summary>The transport name under <c>/sys/class/iscsi_transport</c>. Default <c>tcp</c> (iscsi_tcp).</summary>
    public string TransportName { get; init; } = "tcp";

    /// <summary>
    /// How long one request may take, including waiting for other callers' requests. DESTROY_SESSION blocks in
    /// the kernel until the SCSI host is gone, so keep this generous. Default 60 s.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Requested socket receive buffer (SO_RCVBUFFORCE when permitted). Default 4 MiB.</summary>
    public int ReceiveBufferBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Where log messages go (Debug: every request and reply; PDU data and values are never logged).</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}
