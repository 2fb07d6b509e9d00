using System.Globalization;

namespace IscsiNative.Initiator;

/// <summary>A SCSI device (LUN) of a session and its block device.</summary>
/// <param name="Host">SCSI host number (H).</param>
/// <param name="Channel">Channel (C, always 0 for iSCSI).</param>
/// <param name="Target">SCSI target id (T, 0 for iscsi_tcp).</param>
/// <param name="Lun">Logical unit number (L).</param>
/// <param name="ScsiType">The peripheral device type from sysfs <c>type</c> (0 = disk).</param>
/// <param name="BlockDevice">The block device name, e.g. <c>sda</c>; null for LUNs without one (not a disk).</param>
public sealed record IscsiSessionDevice(int Host, int Channel, int Target, int Lun, int ScsiType, string? BlockDevice)
{
    /// <summary>The device node, e.g. <c>/dev/sda</c>, or null.</summary>
    public string? DevicePath => BlockDevice is null ? null : "/dev/" + BlockDevice;

    /// <summary>H:C:T:L as sysfs names the device.</summary>
    public string Hctl => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Channel}:{Target}:{Lun}");

    /// <summary>H:C:T:L and the device path.</summary>
    /// <returns>e.g. <c>2:0:0:1 /dev/sdb</c>.</returns>
    public override string ToString() => DevicePath is null ? Hctl : Hctl + " " + DevicePath;
}
