using IscsiNative.Sysfs;
using System.Globalization;
using System.Runtime.InteropServices;
using IscsiNative.Initiator;

namespace IscsiNative.Volumes;

/// <summary>sysfs, /dev and /proc reads and writes of the volume layer (not hot paths: System.IO).</summary>
internal sealed class VolumeSysfs(string root)
{
    public string Root { get; } = root;

    /// <summary>The SCSI device directory <c>bus/scsi/devices/H:C:T:L</c>.</summary>
    public string ScsiDevice(string hctl) => Path.Combine(Root, "bus", "scsi", "devices", hctl);

    /// <summary>True when the SCSI device exists.</summary>
    public bool ScsiDeviceExists(string hctl) => Directory.Exists(ScsiDevice(hctl));

    /// <summary>The session's SCSI target id (0 for iscsi_tcp), or 0 when unreadable.</summary>
    public int TargetId(int sid) =>
        int.TryParse(SysfsSessionReader.TryReadText(Path.Combine(Root, "class", "iscsi_session", "session" + sid.ToString(CultureInfo.InvariantCulture), "target_id")), CultureInfo.InvariantCulture, out int t) && t >= 0 ? t : 0;

    /// <summary>Writes <c>0 T L</c> to <c>hostH/scan</c>: the kernel scans that one LUN (synchronous).</summary>
    public void ScanLun(int host, int targetId, int lun) =>
        SysfsSessionReader.WriteAttribute(Path.Combine(Root, "class", "scsi_host", "host" + host.ToString(CultureInfo.InvariantCulture), "scan"), string.Create(CultureInfo.InvariantCulture, $"0 {targetId} {lun}"));

    /// <summary>The disk name of a SCSI device once it is usable (running, block device with a size, node in /dev); else null.</summary>
    public string? ReadyDisk(string hctl)
    {
        string dir = ScsiDevice(hctl);
        if (SysfsSessionReader.TryReadText(Path.Combine(dir, "state")) != "running")
        {
            return null;
        }

        string? disk = Disk(hctl);
        return disk is not null && SysfsSessionReader.TryReadText(Path.Combine(Root, "class", "block", disk, "size")) is not null && File.Exists("/dev/" + disk) ? disk : null;
    }

    /// <summary>The disk name of a SCSI device (<c>block/sdX</c>), or null.</summary>
    public string? Disk(string hctl)
    {
        try
        {
            foreach (string entry in Directory.EnumerateFileSystemEntries(Path.Combine(ScsiDevice(hctl), "block")))
            {
                return Path.GetFileName(entry);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>The SCSI device state (<c>running</c>, <c>blocked</c>, <c>transport-offline</c>, ...), or <c>unknown</c>.</summary>
    public string ScsiState(string hctl) => SysfsSessionReader.TryReadText(Path.Combine(ScsiDevice(hctl), "state")) ?? "unknown";

    /// <summary>Size of a block device in bytes (sysfs <c>size</c> counts 512-byte sectors); 0 when unreadable.</summary>
    public long SizeBytes(string blockDevice) =>
        long.TryParse(SysfsSessionReader.TryReadText(Path.Combine(Root, "class", "block", blockDevice, "size")), CultureInfo.InvariantCulture, out long sectors) ? sectors * 512 : 0;

    /// <summary>The devices holding a block device (<c>holders/</c>: dm maps, md, ...).</summary>
    public List<string> Holders(string blockDevice)
    {
        try
        {
            return [.. Directory.EnumerateFileSystemEntries(Path.Combine(Root, "class", "block", blockDevice, "holders")).Select(Path.GetFileName).OfType<string>()];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The multipath map holding <paramref name="disk"/>: a dm holder whose uuid starts with <c>mpath-</c>.</summary>
    public string? MultipathHolder(string disk)
    {
        foreach (string holder in Holders(disk))
        {
            if (holder.StartsWith("dm-", StringComparison.Ordinal) && (DmUuid(holder)?.StartsWith("mpath-", StringComparison.Ordinal) ?? false))
            {
                return holder;
            }
        }

        return null;
    }

    /// <summary>The dm uuid of <c>dm-N</c>.</summary>
    public string? DmUuid(string dm) => SysfsSessionReader.TryReadText(Path.Combine(Root, "class", "block", dm, "dm", "uuid"));

    /// <summary>The dm name of <c>dm-N</c>.</summary>
    public string? DmName(string dm) => SysfsSessionReader.TryReadText(Path.Combine(Root, "class", "block", dm, "dm", "name"));

    /// <summary>The slaves (path disks) of <c>dm-N</c>.</summary>
    public List<string> DmSlaves(string dm)
    {
        try
        {
            return [.. Directory.EnumerateFileSystemEntries(Path.Combine(Root, "class", "block", dm, "slaves")).Select(Path.GetFileName).OfType<string>()];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The WWID of a SCSI device in multipath form, from <c>wwid</c> or <c>vpd_pg83</c>.</summary>
    public string? ReadWwid(string hctl)
    {
        string dir = ScsiDevice(hctl);
        if (Wwid.FromKernelWwid(SysfsSessionReader.TryReadText(Path.Combine(dir, "wwid"))) is { } wwid)
        {
            return wwid;
        }

        try
        {
            return Wwid.FromVpdPage83(File.ReadAllBytes(Path.Combine(dir, "vpd_pg83")));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary><c>major:minor</c> of a block device.</summary>
    public string? DevNumbers(string blockDevice) => SysfsSessionReader.TryReadText(Path.Combine(Root, "class", "block", blockDevice, "dev"));

    /// <summary>True when a block device (or one of its partitions) is mounted in this mount namespace.</summary>
    public bool IsMounted(string blockDevice)
    {
        var numbers = new HashSet<string>(StringComparer.Ordinal);
        if (DevNumbers(blockDevice) is { } own)
        {
            numbers.Add(own);
        }

        try
        {
            foreach (string entry in Directory.EnumerateDirectories(Path.Combine(Root, "class", "block", blockDevice), blockDevice + "*"))
            {
                if (SysfsSessionReader.TryReadText(Path.Combine(entry, "dev")) is { } part)
                {
                    numbers.Add(part);
                }
            }

            // mountinfo: "ID PARENT MAJOR:MINOR ROOT MOUNTPOINT ..."
            foreach (string line in File.ReadLines("/proc/self/mountinfo"))
            {
                string[] f = line.Split(' ', 4);
                if (f.Length > 2 && numbers.Contains(f[2]))
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return false;
    }

    /// <summary>Links below /dev/disk/by-id, /dev/disk/by-path and /dev/mapper that resolve to <paramref name="blockDevice"/>.</summary>
    public static List<string> StableLinks(string blockDevice)
    {
        var links = new List<string>();
        string target = "/dev/" + blockDevice;
        foreach (string dir in (string[])["/dev/disk/by-id", "/dev/disk/by-path", "/dev/mapper"])
        {
            try
            {
                foreach (string entry in Directory.EnumerateFileSystemEntries(dir))
                {
                    var info = new FileInfo(entry);
                    if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true)?.FullName == target)
                    {
                        links.Add(entry);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        links.Sort(StringComparer.Ordinal);
        return links;
    }

    /// <summary>Writes back and drops the cache of a block device: fsync, then BLKFLSBUF.</summary>
    /// <exception cref="IscsiException">The device could not be opened or flushed.</exception>
    public static unsafe void Flush(string blockDevice)
    {
        string path = "/dev/" + blockDevice;
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        int fd;
        fixed (byte* p = bytes)
        {
            fd = Interop.Sys.Open(p, Interop.Sys.O_RDONLY | Interop.Sys.O_CLOEXEC, 0);
        }

        if (fd < 0)
        {
            throw new IscsiException($"Cannot open {path} to flush it: {Errno.Name(Marshal.GetLastPInvokeError())}.");
        }

        try
        {
            if (Fsync(fd) != 0 || Interop.Sys.Ioctl(fd, Interop.Sys.BLKFLSBUF, 0) != 0)
            {
                throw new IscsiException($"Flushing {path} failed: {Errno.Name(Marshal.GetLastPInvokeError())}.");
            }
        }
        finally
        {
            Interop.Sys.Close(fd);
        }
    }

    /// <summary>Deletes a SCSI device (<c>1</c> to <c>device/delete</c>; synchronous in the kernel).</summary>
    public void DeleteScsiDevice(string hctl) => SysfsSessionReader.WriteAttribute(Path.Combine(ScsiDevice(hctl), "delete"), "1");

    /// <summary>Re-reads capacity and VPD of a SCSI device (<c>1</c> to <c>rescan</c>).</summary>
    public void RescanScsiDevice(string hctl) => SysfsSessionReader.WriteAttribute(Path.Combine(ScsiDevice(hctl), "rescan"), "1");

    private static int Fsync(int fd) => Interop.Sys.Fsync(fd);
}
