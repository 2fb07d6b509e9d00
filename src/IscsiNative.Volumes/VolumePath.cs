namespace IscsiNative.Volumes;

/// <summary>One path of an attached volume: a SCSI disk reached through one session.</summary>
/// <param name="Portal">The session's portal (<c>address:port</c> as sysfs holds it; IPv6 in brackets).</param>
/// <param name="Sid">The iSCSI session id.</param>
/// <param name="Host">The SCSI host number.</param>
/// <param name="Hctl">H:C:T:L of the SCSI device.</param>
/// <param name="BlockDevice">The disk's name, e.g. <c>sdc</c>.</param>
/// <param name="State">The multipath state of the path (<c>active</c>, <c>failed</c>) for multipath volumes; else the SCSI device state.</param>
public sealed record VolumePath(string Portal, int Sid, int Host, string Hctl, string BlockDevice, string State)
{
    /// <summary>Gets the device node, e.g. <c>/dev/sdc</c>.</summary>
    public string DevicePath => "/dev/" + BlockDevice;
}
