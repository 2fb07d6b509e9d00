using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;

namespace IscsiNative.Sysfs;

/// <summary>
/// The reusable buffers of one enumeration: the value buffer every span of an entry points into, the path
/// buffer, the getdents buffer and the entry itself. Rented from the pool once and kept by the reader.
/// </summary>
internal sealed unsafe class SysfsReaderState : IDisposable
{
    /// <summary>Sysfs attributes are at most one page.</summary>
    internal const int MaxAttributeSize = 4096;

    private const int PathCapacity = 4096;

    internal byte[] Values = ArrayPool<byte>.Shared.Rent(16 * 1024);
    internal int ValuesUsed;
    internal readonly byte[] Path = ArrayPool<byte>.Shared.Rent(PathCapacity + 1);
    internal int PathLength;
    internal readonly byte[] DirBuffer = ArrayPool<byte>.Shared.Rent(32 * 1024);
    internal int[] Sids = ArrayPool<int>.Shared.Rent(64);
    internal IscsiDeviceEntry[] Devices = new IscsiDeviceEntry[16];
    internal LunName[] LunNames = new LunName[16];
    internal IscsiSessionEntry Entry;

    internal SysfsReaderState(SysfsSessionReader owner)
    {
        Owner = owner;
    }

    internal SysfsSessionReader Owner { get; }

    internal void PathSet(ReadOnlySpan<byte> text)
    {
        PathLength = 0;
        PathAppend(text);
    }

    internal void PathAppend(ReadOnlySpan<byte> text)
    {
        int n = Math.Min(text.Length, PathCapacity - PathLength);
        text[..n].CopyTo(Path.AsSpan(PathLength));
        PathLength += n;
    }

    internal void PathAppend(int number)
    {
        number.TryFormat(Path.AsSpan(PathLength, PathCapacity - PathLength), out int written, default, CultureInfo.InvariantCulture);
        PathLength += written;
    }

    /// <summary>NUL-terminates the path and pins nothing: callers fix <see cref="Path"/> themselves.</summary>
    internal void PathTerminate() => Path[PathLength] = 0;

    /// <summary>Makes sure <paramref name="bytes"/> more fit in <see cref="Values"/>, growing it (a one-time cost).</summary>
    internal void EnsureValues(int bytes)
    {
        if (ValuesUsed + bytes <= Values.Length)
        {
            return;
        }

        byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(Values.Length * 2, ValuesUsed + bytes));
        Values.AsSpan(0, ValuesUsed).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(Values);
        Values = bigger;
    }

    /// <summary>Copies bytes into <see cref="Values"/> and returns their offset.</summary>
    internal int StoreValue(ReadOnlySpan<byte> bytes)
    {
        EnsureValues(bytes.Length);
        int offset = ValuesUsed;
        bytes.CopyTo(Values.AsSpan(offset));
        ValuesUsed += bytes.Length;
        return offset;
    }

    /// <summary>
    /// Reads the file at <see cref="Path"/> into <see cref="Values"/>: trailing newlines are removed and
    /// <c>(null)</c> counts as empty, as open-iscsi does.
    /// </summary>
    internal SysfsValueSlot ReadFile() => ReadFile(-1, 0);

    /// <summary>
    /// Reads the file named by <see cref="Path"/>[<paramref name="nameOffset"/>..] relative to the open directory
    /// <paramref name="dirfd"/>, or the whole <see cref="Path"/> when <paramref name="dirfd"/> is negative.
    /// </summary>
    internal SysfsValueSlot ReadFile(int dirfd, int nameOffset)
    {
        EnsureValues(MaxAttributeSize);
        PathTerminate();
        int total;
        fixed (byte* p = Path)
        fixed (byte* v = Values)
        {
            // openat + read + close in one transition (pal_sysfs.c): the floor's syscalls, a third of the P/Invokes.
            total = Interop.Shim.ReadAttribute(dirfd, dirfd < 0 ? p : p + nameOffset, v + ValuesUsed, MaxAttributeSize);
        }

        if (total < 0)
        {
            return Failed(-total);
        }

        ReadOnlySpan<byte> value = Values.AsSpan(ValuesUsed, total);
        while (value.Length > 0 && value[^1] == (byte)'\n')
        {
            value = value[..^1];
        }

        var slot = new SysfsValueSlot { Offset = ValuesUsed, Length = value.Length, Status = SysfsValueStatus.Present };
        if (value.Length == 0 || value.SequenceEqual("(null)"u8))
        {
            slot.Length = 0;
            slot.Status = SysfsValueStatus.Empty;
        }

        ValuesUsed += slot.Length;
        return slot;
    }

    /// <summary>True when the path names a directory that can be opened.</summary>
    /// <summary>Opens <see cref="Path"/> as a directory for <see cref="ReadFile(int, int)"/>; a negative errno on failure.</summary>
    internal int OpenDirectoryFd()
    {
        PathTerminate();
        fixed (byte* p = Path)
        {
            int fd = Interop.Sys.Open(p, Interop.Sys.O_RDONLY | Interop.Sys.O_DIRECTORY | Interop.Sys.O_CLOEXEC, 0);
            return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
        }
    }

    internal bool DirectoryExists()
    {
        PathTerminate();
        fixed (byte* p = Path)
        {
            int fd = Interop.Sys.Open(p, Interop.Sys.O_RDONLY | Interop.Sys.O_DIRECTORY | Interop.Sys.O_CLOEXEC, 0);
            if (fd < 0)
            {
                return false;
            }

            Interop.Sys.Close(fd);
            return true;
        }
    }

    /// <summary>readlink of <see cref="Path"/> into <see cref="Values"/>; the slot's status tells whether it worked.</summary>
    internal SysfsValueSlot ReadLink()
    {
        EnsureValues(PathCapacity);
        PathTerminate();
        nint n;
        fixed (byte* p = Path)
        fixed (byte* v = Values)
        {
            n = Interop.Sys.ReadLink(p, v + ValuesUsed, PathCapacity);
        }

        if (n < 0)
        {
            return Failed(Marshal.GetLastPInvokeError());
        }

        var slot = new SysfsValueSlot { Offset = ValuesUsed, Length = (int)n, Status = SysfsValueStatus.Present };
        ValuesUsed += (int)n;
        return slot;
    }

    /// <summary>Opens <see cref="Path"/> as a directory for getdents.</summary>
    internal bool TryOpenDirectory(out DirentReader reader)
    {
        PathTerminate();
        fixed (byte* p = Path)
        {
            return DirentReader.TryOpen(p, DirBuffer, out reader, out _);
        }
    }

    internal void EnsureSids(int count)
    {
        if (count <= Sids.Length)
        {
            return;
        }

        int[] bigger = ArrayPool<int>.Shared.Rent(Math.Max(count, Sids.Length * 2));
        Sids.CopyTo(bigger, 0);
        ArrayPool<int>.Shared.Return(Sids);
        Sids = bigger;
    }

    internal void EnsureDevices(int count)
    {
        if (count > Devices.Length)
        {
            Array.Resize(ref Devices, Math.Max(count, Devices.Length * 2));
        }

        if (count > LunNames.Length)
        {
            Array.Resize(ref LunNames, Math.Max(count, LunNames.Length * 2));
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(Values);
        ArrayPool<byte>.Shared.Return(Path);
        ArrayPool<byte>.Shared.Return(DirBuffer);
        ArrayPool<int>.Shared.Return(Sids);
        Values = [];
        Sids = [];
    }

    /// <summary>The slot a read fails with for <paramref name="errno"/> (ENOENT missing, EACCES denied, ...).</summary>
    internal static SysfsValueSlot Failed(int errno) => new()
    {
        Errno = errno,
        Status = errno switch
        {
            Interop.Errno.ENOENT or Interop.Errno.ENOTDIR => SysfsValueStatus.Missing,
            Interop.Errno.EACCES or Interop.Errno.EPERM => SysfsValueStatus.AccessDenied,
            _ => SysfsValueStatus.Unavailable,
        },
    };
}
