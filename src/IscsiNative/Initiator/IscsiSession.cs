using IscsiNative.Protocol;
using IscsiNative.Sysfs;

namespace IscsiNative.Initiator;

/// <summary>A logged-in iSCSI session created by <see cref="IscsiInitiator.LoginAsync"/>.</summary>
public sealed record IscsiSession
{
    /// <summary>The kernel's session id (<c>/sys/class/iscsi_session/sessionN</c>).</summary>
    public required int Sid { get; init; }

    /// <summary>The SCSI host number of the session (<c>hostH</c>).</summary>
    public required int HostNumber { get; init; }

    /// <summary>The target IQN.</summary>
    public required string TargetName { get; init; }

    /// <summary>The portal logged in to.</summary>
    public required IscsiPortal Portal { get; init; }

    /// <summary>The initiator IQN used.</summary>
    public required string InitiatorName { get; init; }

    /// <summary>The iface name (<c>default</c>).</summary>
    public required string IfaceName { get; init; }

    /// <summary>What the login negotiated (digests, burst lengths, TPGT, TSIH, ...).</summary>
    public required NegotiatedParameters Parameters { get; init; }

    /// <summary>The LUNs found by the scan, by LUN, with their block devices; empty when the scan was off.</summary>
    public required IReadOnlyList<IscsiDevice> Devices { get; init; }

    /// <summary>How long a logout waits for the Logout Response.</summary>
    public TimeSpan LogoutTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
