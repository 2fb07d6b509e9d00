using System.Runtime.InteropServices;

namespace IscsiNative;

internal static partial class Interop
{
    internal static partial class Sys
    {
        internal const int O_RDWR = 0x2;
        internal const int O_CREAT = 0x40;
        internal const int LOCK_EX = 2;
        internal const int LOCK_NB = 4;
        internal const int LOCK_UN = 8;

        /// <summary>flock(2) on an open file description; -1 and errno (EWOULDBLOCK with LOCK_NB when held elsewhere).</summary>
        [LibraryImport(Libraries.LibC, EntryPoint = "flock", SetLastError = true)]
        internal static partial int Flock(int fd, int operation);

        /// <summary>pwrite(2).</summary>
        [LibraryImport(Libraries.LibC, EntryPoint = "pwrite", SetLastError = true)]
        internal static unsafe partial nint PWrite(int fd, byte* buffer, nint count, long offset);

        /// <summary>pread(2).</summary>
        [LibraryImport(Libraries.LibC, EntryPoint = "pread", SetLastError = true)]
        internal static unsafe partial nint PRead(int fd, byte* buffer, nint count, long offset);

        /// <summary>ftruncate(2).</summary>
        [LibraryImport(Libraries.LibC, EntryPoint = "ftruncate", SetLastError = true)]
        internal static partial int FTruncate(int fd, long length);
    }
}
