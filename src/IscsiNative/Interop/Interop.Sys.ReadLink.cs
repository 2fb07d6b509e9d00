using System.Runtime.InteropServices;

namespace IscsiNative;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>readlink(2): the link text, not NUL-terminated. Returns its length or -1 with errno.</summary>
        [LibraryImport(Libraries.LibC, EntryPoint = "readlink", SetLastError = true)]
        internal static unsafe partial nint ReadLink(byte* path, byte* buffer, nint size);
    }
}
