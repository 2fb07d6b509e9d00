using System.Runtime.InteropServices;

namespace IscsiNative;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>fsync(2): on a block device, writes back dirty pages and sends a cache flush. -1 and errno on failure.</summary>
        [LibraryImport(Libraries.LibC, EntryPoint = "fsync", SetLastError = true)]
        internal static partial int Fsync(int fd);
    }
}
