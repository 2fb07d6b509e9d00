using IscsiNative.Protocol;

namespace IscsiNative.Sysfs;

/// <summary>
/// An iSCSI session of the kernel, with strings: the one session type of the library. <see cref="IscsiSessionEntry.ToSession"/>
/// (and so <c>IscsiInitiator.GetSessions</c> / <c>TryGetSession</c>) copies it from sysfs; <c>IscsiInitiator.LoginAsync</c>
/// returns the session it logged in, read back from sysfs once the LUN scan is done, with <see cref="Parameters"/> and
/// <see cref="LogoutTimeout"/> of that login.
/// </summary>
/// <remarks>
/// A snapshot: it does not follow later changes (read the session again, or watch <c>IscsiInitiator.WatchEventsAsync</c>).
/// String properties are <see langword="null"/> when the attribute was unreadable and empty when the kernel reports it unset;
/// numbers are <see langword="null"/> when unknown.
/// </remarks>
public sealed record IscsiSession
{
    /// <summary>The kernel's session id (<c>/sys/class/iscsi_session/sessionN</c>).</summary>
    public int Sid { get; init; }

    /// <summary>SCSI host number (<c>hostH</c>); <see langword="null"/> when unknown (never for a session from a login).</summary>
    public int? HostNumber { get; init; }

    /// <summary>Target IQN.</summary>
    public string TargetName { get; init; } = string.Empty;

    /// <summary>Target portal group tag.</summary>
    public int? Tpgt { get; init; }

    /// <summary>Kernel session state.</summary>
    public IscsiSessionState State { get; init; }

    /// <summary>Kernel session state text (e.g. <c>LOGGED_IN</c>).</summary>
    public string? StateText { get; init; }

    /// <summary>True for a kernel-created (flash/boot) session.</summary>
    public bool IsFlash { get; init; }

    /// <summary>The <c>creator</c> attribute.</summary>
    public int? Creator { get; init; }

    /// <summary>Current portal address (the persistent one when unknown).</summary>
    public string Address { get; init; } = string.Empty;

    /// <summary>Current portal port (the persistent one when unknown).</summary>
    public int? Port { get; init; }

    /// <summary>Persistent portal address (the current one when unset).</summary>
    public string PersistentAddress { get; init; } = string.Empty;

    /// <summary>Persistent portal port (the current one when unknown).</summary>
    public int? PersistentPort { get; init; }

    /// <summary>Kernel connection state (<c>up</c>, <c>failed</c>, ...).</summary>
    public string? ConnectionState { get; init; }

    /// <summary>Iface name as iscsiadm shows it.</summary>
    public string IfaceName { get; init; } = string.Empty;

    /// <summary>Transport class name (<c>tcp</c>).</summary>
    public string TransportName { get; init; } = string.Empty;

    /// <summary>Initiator name.</summary>
    public string InitiatorName { get; init; } = string.Empty;

    /// <summary>Host IP address; empty when unknown.</summary>
    public string IfaceIPAddress { get; init; } = string.Empty;

    /// <summary>Host hardware address; empty when unset.</summary>
    public string IfaceHWAddress { get; init; } = string.Empty;

    /// <summary>Host network device; empty when unset.</summary>
    public string IfaceNetdev { get; init; } = string.Empty;

    /// <summary>Recovery timeout in seconds; -1 for <c>off</c>.</summary>
    public int? RecoveryTimeout { get; init; }

    /// <summary>Target reset timeout in seconds.</summary>
    public int? TargetResetTimeout { get; init; }

    /// <summary>LUN reset timeout in seconds.</summary>
    public int? LunResetTimeout { get; init; }

    /// <summary>Abort timeout in seconds.</summary>
    public int? AbortTimeout { get; init; }

    /// <summary>Outgoing CHAP user name; <see langword="null"/> when unreadable (needs CAP_SYS_ADMIN).</summary>
    public string? Username { get; init; }

    /// <summary>Incoming CHAP user name; <see langword="null"/> when unreadable (needs CAP_SYS_ADMIN).</summary>
    public string? UsernameIn { get; init; }

    /// <summary>HeaderDigest: true for CRC32C.</summary>
    public bool? HeaderDigest { get; init; }

    /// <summary>DataDigest: true for CRC32C.</summary>
    public bool? DataDigest { get; init; }

    /// <summary>Negotiated MaxRecvDataSegmentLength.</summary>
    public int? MaxRecvDataSegmentLength { get; init; }

    /// <summary>Negotiated MaxXmitDataSegmentLength.</summary>
    public int? MaxXmitDataSegmentLength { get; init; }

    /// <summary>Negotiated FirstBurstLength.</summary>
    public int? FirstBurstLength { get; init; }

    /// <summary>Negotiated MaxBurstLength.</summary>
    public int? MaxBurstLength { get; init; }

    /// <summary>Negotiated ImmediateData.</summary>
    public bool? ImmediateData { get; init; }

    /// <summary>Negotiated InitialR2T.</summary>
    public bool? InitialR2T { get; init; }

    /// <summary>Negotiated MaxOutstandingR2T.</summary>
    public int? MaxOutstandingR2T { get; init; }

    /// <summary>SCSI host state (e.g. <c>running</c>).</summary>
    public string? HostState { get; init; }

    /// <summary>
    /// Attached SCSI devices in H:C:T:L alphasort order, with their block devices. From a login: the LUNs its scan found
    /// (empty when <c>LoginOptions.ScanLuns</c> was off).
    /// </summary>
    public IReadOnlyList<IscsiDevice> Devices { get; init; } = [];

    /// <summary>
    /// The portal: from a login, the one given to it (a host name stays a name); from sysfs, the persistent address and
    /// port of connection 0. <see langword="null"/> when sysfs holds no usable portal.
    /// </summary>
    public IscsiPortal? Portal { get; init; }

    /// <summary>
    /// What the login negotiated (digests, burst lengths, TPGT, ISID, TSIH, CHAP algorithm, ...): set for a session returned
    /// by a login; <see langword="null"/> for one read from sysfs, which holds only the values of the properties above.
    /// </summary>
    public NegotiatedParameters? Parameters { get; init; }

    /// <summary>
    /// How long <c>IscsiInitiator.LogoutAsync(IscsiSession, CancellationToken)</c> waits for the Logout Response: the
    /// login's <c>LoginOptions.LogoutTimeout</c>, or 15 s for a session read from sysfs.
    /// </summary>
    public TimeSpan LogoutTimeout { get; init; } = DefaultLogoutTimeout;

    /// <summary>The logout timeout of a session read from sysfs (iscsid's default, 15 s).</summary>
    internal static readonly TimeSpan DefaultLogoutTimeout = TimeSpan.FromSeconds(15);
}
