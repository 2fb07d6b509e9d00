namespace IscsiNative.Sysfs;

/// <summary>
/// Which parts of a session an enumeration reads. Every attribute is one sysfs file (one open/read/close), so a
/// caller that needs four fields should ask for four: properties of <see cref="IscsiSessionEntry"/> left out read as
/// unknown (empty or <see langword="null"/>). <see cref="TargetName"/> is always read (it is how a vanished session
/// is told apart). One flag per sysfs attribute, plus <see cref="Devices"/>.
/// </summary>
[Flags]
public enum IscsiSessionFields : ulong
{
    /// <summary>Only the target name.</summary>
    None = 0,

    /// <summary><see cref="IscsiSessionEntry.TargetName"/> (always read).</summary>
    TargetName = 1UL << IscsiSessionAttribute.TargetName,

    /// <summary><see cref="IscsiSessionEntry.Tpgt"/>.</summary>
    Tpgt = 1UL << IscsiSessionAttribute.Tpgt,

    /// <summary><see cref="IscsiSessionEntry.State"/>.</summary>
    SessionState = 1UL << IscsiSessionAttribute.SessionState,

    /// <summary><see cref="IscsiSessionEntry.Creator"/> (flash or non-flash).</summary>
    Creator = 1UL << IscsiSessionAttribute.Creator,

    /// <summary>Recovery, target reset, LUN reset and abort timeouts.</summary>
    Timeouts = (1UL << IscsiSessionAttribute.RecoveryTimeout) | (1UL << IscsiSessionAttribute.TargetResetTimeout)
        | (1UL << IscsiSessionAttribute.LunResetTimeout) | (1UL << IscsiSessionAttribute.AbortTimeout),

    /// <summary>The negotiated session and connection parameters (burst lengths, R2T, digests, segment lengths).</summary>
    NegotiatedParameters = (1UL << IscsiSessionAttribute.FirstBurstLength) | (1UL << IscsiSessionAttribute.MaxBurstLength)
        | (1UL << IscsiSessionAttribute.ImmediateData) | (1UL << IscsiSessionAttribute.InitialR2T)
        | (1UL << IscsiSessionAttribute.MaxOutstandingR2T) | (1UL << IscsiSessionAttribute.HeaderDigest)
        | (1UL << IscsiSessionAttribute.DataDigest) | (1UL << IscsiSessionAttribute.MaxRecvDataSegmentLength)
        | (1UL << IscsiSessionAttribute.MaxXmitDataSegmentLength),

    /// <summary>The CHAP user names (never the passwords).</summary>
    ChapUsernames = (1UL << IscsiSessionAttribute.Username) | (1UL << IscsiSessionAttribute.UsernameIn),

    /// <summary>The iface: name, initiator name, host IP/hardware address, netdev, transport.</summary>
    Iface = (1UL << IscsiSessionAttribute.IfaceName) | (1UL << IscsiSessionAttribute.InitiatorName)
        | (1UL << IscsiSessionAttribute.HostIPAddress) | (1UL << IscsiSessionAttribute.HostHWAddress)
        | (1UL << IscsiSessionAttribute.HostNetdev) | (1UL << IscsiSessionAttribute.HostInitiatorName)
        | (1UL << IscsiSessionAttribute.ScsiHostProcName),

    /// <summary>The connection's current address.</summary>
    Address = 1UL << IscsiSessionAttribute.Address,

    /// <summary>The connection's current port.</summary>
    Port = 1UL << IscsiSessionAttribute.Port,

    /// <summary>The connection's persistent address and port (what iscsiadm prints as the portal).</summary>
    PersistentPortal = (1UL << IscsiSessionAttribute.PersistentAddress) | (1UL << IscsiSessionAttribute.PersistentPort),

    /// <summary>The connection's state (<c>up</c>, <c>failed</c>, ...).</summary>
    ConnectionState = 1UL << IscsiSessionAttribute.ConnectionState,

    /// <summary>The SCSI host's state.</summary>
    HostState = 1UL << IscsiSessionAttribute.ScsiHostState,

    /// <summary>The transport name (from the SCSI host's <c>proc_name</c>).</summary>
    Transport = 1UL << IscsiSessionAttribute.ScsiHostProcName,

    /// <summary>The attached SCSI devices with their states and block device names.</summary>
    Devices = 1UL << 63,

    /// <summary>What <c>iscsiadm -m session</c> (-P 0) prints: transport, sid, portal, tpgt, target, flash.</summary>
    Flat = TargetName | Tpgt | Creator | Address | Port | PersistentPortal | Transport,

    /// <summary>Everything (what <c>-P 3</c> prints); the default.</summary>
    All = ~0UL,
}
