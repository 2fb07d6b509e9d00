using System.Security.Cryptography;
using IscsiNative.Volumes;
using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Volumes;

/// <summary>Helpers of the volume connector VM tests: specs, patterns, device checks.</summary>
internal static class VolumeVm
{
    public const int PatternBytes = 64 * 1024;

    public static VolumeSpec Spec(LioTarget target, int lun, params string[] portals) => new()
    {
        TargetName = target.Iqn,
        Portals = portals.Length == 0 ? [target.Portal] : portals,
        Lun = lun,
        AttachTimeout = TimeSpan.FromSeconds(90),
    };

    /// <summary>A pattern that names its LUN and a generation in every 16 bytes.</summary>
    public static byte[] Pattern(int lun, int generation)
    {
        byte[] data = new byte[PatternBytes];
        for (int i = 0; i < data.Length; i += 16)
        {
            BitConverter.TryWriteBytes(data.AsSpan(i), lun);
            BitConverter.TryWriteBytes(data.AsSpan(i + 4), generation);
            BitConverter.TryWriteBytes(data.AsSpan(i + 8), (long)i);
        }

        return data;
    }

    /// <summary>Writes through the device and fsyncs it.</summary>
    public static void WriteDevice(string device, ReadOnlySpan<byte> data, long offset = 0)
    {
        using var handle = File.OpenHandle(device, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        RandomAccess.Write(handle, data, offset);
        RandomAccess.FlushToDisk(handle);
    }

    /// <summary>Reads from the device.</summary>
    public static byte[] ReadDevice(string device, int length, long offset = 0)
    {
        byte[] data = new byte[length];
        using var handle = File.OpenHandle(device, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        int done = 0;
        while (done < length)
        {
            int n = RandomAccess.Read(handle, data.AsSpan(done), offset + done);
            Assert.True(n > 0, $"short read from {device}");
            done += n;
        }

        return data;
    }

    /// <summary>Reads the LUN's backing file on the target side.</summary>
    public static byte[] ReadBacking(LioTarget target, int lun, int length, long offset = 0)
    {
        byte[] data = new byte[length];
        using var handle = File.OpenHandle(target.BackingFiles[lun], FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        RandomAccess.Read(handle, data, offset);
        return data;
    }

    public static string Sha256(ReadOnlySpan<byte> data) => Convert.ToHexString(SHA256.HashData(data));

    /// <summary>The sd disks that exist now.</summary>
    public static string[] ScsiDisks() =>
        [.. Directory.GetFileSystemEntries("/sys/block", "sd*").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    /// <summary>The dm devices that exist now.</summary>
    public static string[] DmDevices() =>
        [.. Directory.GetFileSystemEntries("/sys/block", "dm-*").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    public static void Report(string line) => Console.WriteLine("volume: " + line);
}
