using System.Runtime.InteropServices;

namespace IscsiNative;

internal static partial class Interop
{
    internal static partial class Sys
    {
        internal const int LOCK_EX = 2;
        internal const int LOCK_UN = 8;

        /// <summary>flock(2). Returns -1 and sets errno on failure.</summary>
        [LibraryImport(Libraries.LibC, EntryPoint = "flock", SetLastError = true)]
        internal static partial int Flock(int fd, int operation);
    }
}
