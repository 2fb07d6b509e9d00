using System.Runtime.InteropServices;

namespace IscsiNative;

internal static partial class Interop
{
    internal static partial class Sys
    {
        internal const int PR_SET_DUMPABLE = 4;

        /// <summary>
        /// prctl(2) with its four unsigned long arguments spelled out. glibc declares it variadic; on x86-64 and arm64
        /// Linux a variadic callee reads integer arguments from the same registers as a fixed-argument one.
        /// </summary>
        [LibraryImport(Libraries.LibC, EntryPoint = "prctl", SetLastError = true)]
        internal static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
    }
}
