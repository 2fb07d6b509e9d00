using System.Runtime.InteropServices;

namespace IscsiNative.Benchmarks.Comparison;

/// <summary>The plain-C floor (benchmarks/native/sysfs_floor.c): scandir + open/read/close of four attributes, and of everything.</summary>
internal static partial class SysfsFloor
{
    [LibraryImport("libiscsifloor", EntryPoint = "IscsiFloor_ReadSessions", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int ReadSessionsNative(string sysfsRoot, out long checksum);

    [LibraryImport("libiscsifloor", EntryPoint = "IscsiFloor_ReadSessionsFull", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int ReadSessionsFullNative(string sysfsRoot, out long checksum);

    /// <summary>Reads targetname, tpgt, connection address and port of every session under <paramref name="sysfsRoot"/>.</summary>
    internal static int ReadSessions(string sysfsRoot, out long checksum) => ReadSessionsNative(sysfsRoot, out checksum);

    /// <summary>Reads the same files as the library does for -P 3 (every attribute, the class link, the LUNs), in C.</summary>
    internal static int ReadSessionsFull(string sysfsRoot, out long checksum) => ReadSessionsFullNative(sysfsRoot, out checksum);
}
