using System.Globalization;

namespace IscsiNative.Sysfs;

/// <summary>
/// A SCSI device (LUN) of a session and its block device: the one device type of the library, returned by
/// <see cref="IscsiSession.Devices"/>, by a login and by a rescan.
/// </summary>
/// <param name="HostNumber">SCSI host number (H of H:C:T:L), the same number as the session's <c>HostNumber</c>.</param>
/// <param name="Channel">Channel (C, always 0 for iSCSI).</param>
/// <param name="Target">SCSI target id (T, 0 for iscsi_tcp).</param>
/// <param name="Lun">Logical unit number (L).</param>
public sealed record IscsiDevice(int HostNumber, int Channel, int Target, int Lun)
{
    /// <summary>The peripheral device type from sysfs <c>type</c> (0 = disk); <see langword="null"/> when not read.</summary>
    public int? ScsiType { get; init; }

    /// <summary>The SCSI device state (e.g. <c>running</c>, <c>blocked</c>); <see langword="null"/> when not read or unreadable.</summary>
    public string? State { get; init; }

    /// <summary>The block device name, e.g. <c>sda</c>; <see langword="null"/> for LUNs without one (not a disk).</summary>
    public string? BlockDevice { get; init; }

    /// <summary>The device node, e.g. <c>/dev/sda</c>, or <see langword="null"/>.</summary>
    public string? DevicePath => BlockDevice is null ? null : "/dev/" + BlockDevice;

    /// <summary>H:C:T:L as sysfs names the device.</summary>
    public string Hctl => string.Create(CultureInfo.InvariantCulture, $"{HostNumber}:{Channel}:{Target}:{Lun}");

    /// <summary>H:C:T:L and the device path.</summary>
    /// <returns>e.g. <c>2:0:0:1 /dev/sdb</c>.</returns>
    public override string ToString() => DevicePath is null ? Hctl : Hctl + " " + DevicePath;
}
