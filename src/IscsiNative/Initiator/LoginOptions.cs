using IscsiNative.Protocol;

namespace IscsiNative.Initiator;

/// <summary>
/// Settings of a kernel login (<see cref="IscsiInitiator.LoginAsync"/>), with the defaults of open-iscsi's
/// <c>iscsid.conf</c> and node records (OPEN-ISCSI.md §4, §6).
/// </summary>
public sealed record LoginOptions
{
    /// <summary>Where open-iscsi keeps the initiator name.</summary>
    public const string DefaultInitiatorNameFile = "/etc/iscsi/initiatorname.iscsi";

    /// <summary>
    /// The initiator IQN. <see langword="null"/> (default): read the <c>InitiatorName=</c> line of
    /// <see cref="InitiatorNameFile"/>; the login fails when there is none.
    /// </summary>
    public string? InitiatorName { get; init; }

    /// <summary>The file the initiator name is read from when <see cref="InitiatorName"/> is not set.</summary>
    public string InitiatorNameFile { get; init; } = DefaultInitiatorNameFile;

    /// <summary>An optional InitiatorAlias key for the first Login PDU.</summary>
    public string? InitiatorAlias { get; init; }

    /// <summary>The iface name shown in sysfs and by iscsiadm (<c>default</c>).</summary>
    public string IfaceName { get; init; } = "default";

    /// <summary>
    /// The iface network device (e.g. <c>eth1</c>): the TCP socket is bound to it with SO_BINDTODEVICE (iscsid's iface
    /// binding for iscsi_tcp) and the name is given to the SCSI host (SET_HOST_PARAM NETDEV_NAME). Null or
    /// <c>default</c>: no binding (<c>default</c> is still given to the host).
    /// </summary>
    public string? NetworkDevice { get; init; }

    /// <summary>The iface hardware address given to the SCSI host (SET_HOST_PARAM HWADDRESS); not sent when null.</summary>
    public string? HardwareAddress { get; init; }

    /// <summary>CHAP credentials (one-way or mutual); <see langword="null"/> for no authentication.</summary>
    public ChapCredentials? Credentials { get; init; }

    /// <summary>CHAP algorithms offered, in order (open-iscsi default: MD5 only).</summary>
    public IReadOnlyList<ChapAlgorithm> ChapAlgorithms { get; init; } = [ChapAlgorithm.Md5];

    /// <summary>HeaderDigest offer. Default None.</summary>
    public IscsiDigest HeaderDigest { get; init; } = IscsiDigest.None;

    /// <summary>DataDigest offer. Default None.</summary>
    public IscsiDigest DataDigest { get; init; } = IscsiDigest.None;

    /// <summary>How long the TCP connect may take. Default 15 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the login PDU exchange may take (iscsid's login_timeout). Default 15 s.</summary>
    public TimeSpan LoginTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a later logout waits for the target's Logout Response (logout_timeout). Default 15 s.</summary>
    public TimeSpan LogoutTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the LUN scan plus the wait for the block devices may take. Default 30 s.</summary>
    public TimeSpan DeviceTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Scan LUNs and wait for their block devices (iscsid's <c>node.session.scan = auto</c>). Default true.</summary>
    public bool ScanLuns { get; init; } = true;

    /// <summary>The 48-bit ISID; <see langword="null"/> (default) uses iscsid's 00 02 3D + session id bytes.</summary>
    public ulong? Isid { get; init; }

    /// <summary>Command slots of the session (CREATE_SESSION cmds_max). Default 128.</summary>
    public ushort CmdsMax { get; init; } = 128;

    /// <summary>Per-LUN queue depth (CREATE_SESSION queue_depth). Default 32.</summary>
    public ushort QueueDepth { get; init; } = 32;

    /// <summary>Seconds the kernel keeps I/O queued while a failed connection recovers; -1 = forever. Default 120.</summary>
    public int RecoveryTimeout { get; init; } = 120;

    /// <summary>SCSI abort timeout in seconds. Default 15.</summary>
    public int AbortTimeout { get; init; } = 15;

    /// <summary>LUN reset timeout in seconds. Default 30.</summary>
    public int LunResetTimeout { get; init; } = 30;

    /// <summary>Target reset timeout in seconds. Default 30.</summary>
    public int TargetResetTimeout { get; init; } = 30;

    /// <summary>Seconds between NOP-Out pings (kernel RECV_TMO); 0 disables. Default 5.</summary>
    public int NoopOutInterval { get; init; } = 5;

    /// <summary>Seconds to wait for a NOP-In before failing the connection (kernel PING_TMO). Default 5.</summary>
    public int NoopOutTimeout { get; init; } = 5;

    /// <summary>FastAbort (iscsid default Yes).</summary>
    public bool FastAbort { get; init; } = true;

    /// <summary>MaxRecvDataSegmentLength offered. Default 262144.</summary>
    public int MaxRecvDataSegmentLength { get; init; } = 262144;

    /// <summary>MaxXmitDataSegmentLength limit; 0 (default) takes the target's value.</summary>
    public int MaxXmitDataSegmentLength { get; init; }

    /// <summary>FirstBurstLength offered. Default 262144.</summary>
    public int FirstBurstLength { get; init; } = 262144;

    /// <summary>MaxBurstLength offered. Default 16776192.</summary>
    public int MaxBurstLength { get; init; } = 16776192;

    /// <summary>InitialR2T offered. Default No.</summary>
    public bool InitialR2T { get; init; }

    /// <summary>ImmediateData offered. Default Yes.</summary>
    public bool ImmediateData { get; init; } = true;

    /// <summary>DefaultTime2Wait offered, in seconds (0..3600; the result is the larger of both sides'). Default 2.</summary>
    public int DefaultTime2Wait { get; init; } = 2;

    /// <summary>DefaultTime2Retain offered, in seconds (0..3600; the result is the smaller of both sides'). Default 0.</summary>
    public int DefaultTime2Retain { get; init; }

    /// <summary>MaxOutstandingR2T offered (1..65535; the result is the smaller of both sides'). Default 1.</summary>
    public int MaxOutstandingR2T { get; init; } = 1;

    /// <summary>
    /// SO_RCVBUF and SO_SNDBUF of the TCP socket in bytes (<c>node.conn[0].tcp.window_size</c>, as iscsid sets them);
    /// 0 (default) leaves the kernel's.
    /// </summary>
    public int TcpWindowSize { get; init; }

    /// <summary>
    /// Reconnecting the session after a connection error (on by default, as iscsid). The initiator that logged the
    /// session in owns the recovery; with CHAP it keeps its own copy of the credentials until logout or dispose.
    /// </summary>
    public SessionRecoveryOptions Recovery { get; init; } = new();

    /// <summary>
    /// Checks the four timeouts: each bounds a kernel or network wait, so each must be positive and finite (at most
    /// <see cref="int.MaxValue"/> milliseconds); <see cref="Timeout.InfiniteTimeSpan"/> is refused, never a wait without end.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A timeout is zero, negative or infinite.</exception>
    internal void ValidateTimeouts()
    {
        Check(ConnectTimeout, nameof(ConnectTimeout));
        Check(LoginTimeout, nameof(LoginTimeout));
        Check(LogoutTimeout, nameof(LogoutTimeout));
        Check(DeviceTimeout, nameof(DeviceTimeout));

        static void Check(TimeSpan timeout, string name)
        {
            if (timeout <= TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue)
            {
                throw new ArgumentOutOfRangeException(name, timeout, $"LoginOptions.{name} must be positive and at most int.MaxValue milliseconds (no infinite waits).");
            }
        }
    }
}
