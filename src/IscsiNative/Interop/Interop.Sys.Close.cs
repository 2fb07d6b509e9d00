using System.Runtime.InteropServices;

namespace IscsiNative;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>close(2).</summary>
        [LibraryImport(Libraries.LibC, EntryPoint = "close", SetLastError = true)]
        internal static partial int Close(int fd);
    }
}
