namespace IscsiNative.Sysfs;

/// <summary>A SCSI device (LUN) of a session, materialized with strings.</summary>
public sealed class IscsiScsiDeviceInfo
{
    /// <summary>SCSI host number.</summary>
    public int Host { get; init; }

    /// <summary>Channel; always 0 for iSCSI.</summary>
    public int Channel { get; init; }

    /// <summary>Target id.</summary>
    public int Target { get; init; }

    /// <summary>Logical unit number.</summary>
    public int Lun { get; init; }

    /// <summary>SCSI device state (e.g. <c>running</c>); <see langword="null"/> when unreadable.</summary>
    public string? State { get; init; }

    /// <summary>Block device name (e.g. <c>sda</c>); <see langword="null"/> when the LUN has none.</summary>
    public string? BlockDevice { get; init; }

    /// <summary>The device node path (e.g. <c>/dev/sda</c>); <see langword="null"/> when the LUN has no block device.</summary>
    public string? DevicePath { get; init; }
}
