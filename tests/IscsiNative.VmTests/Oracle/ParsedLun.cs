namespace IscsiNative.VmTests.Oracle;

/// <summary>One LUN of an iscsiadm -P 3 session: "scsiH Channel CC Id T Lun: L" and its "Attached scsi disk" line.</summary>
/// <param name="Host">H.</param>
/// <param name="Channel">C.</param>
/// <param name="Target">T.</param>
/// <param name="Lun">L.</param>
/// <param name="Disk">The block device (sdX), or null when iscsiadm printed no disk line.</param>
/// <param name="DiskState">The SCSI device state printed with the disk, or null.</param>
public sealed record ParsedLun(int Host, int Channel, int Target, int Lun, string? Disk, string? DiskState);
