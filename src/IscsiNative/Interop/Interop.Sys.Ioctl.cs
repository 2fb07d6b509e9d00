using System.Runtime.InteropServices;

namespace IscsiNative;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>BLKFLSBUF (_IO(0x12, 97)): write back and drop the block device's buffer cache (CAP_SYS_ADMIN).</summary>
        internal const ulong BLKFLSBUF = 0x1261;

        /// <summary>ioctl(2) with an integer argument. Returns -1 and sets errno on failure.</summary>
        [LibraryImport(Libraries.LibC, EntryPoint = "ioctl", SetLastError = true)]
        internal static partial int Ioctl(int fd, ulong request, nint argument);
    }
}
