using System.Runtime.InteropServices;

namespace IscsiNative;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>read(2). Returns the byte count, 0 at end of file, -1 with errno on failure.</summary>
        [LibraryImport(Libraries.LibC, EntryPoint = "read", SetLastError = true)]
        internal static unsafe partial nint Read(int fd, byte* buffer, nint count);
    }
}
