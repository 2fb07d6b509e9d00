using System.Runtime.InteropServices;

namespace IscsiNative;

internal static partial class Interop
{
    internal static partial class Sys
    {
        internal const int O_RDONLY = 0x0;
        internal const int O_NONBLOCK = 0x800;
        internal const int O_DIRECTORY = 0x10000;
        internal const int O_CLOEXEC = 0x80000;

        /// <summary>open(2); <paramref name="path"/> is a NUL-terminated UTF-8 path. Returns -1 and sets errno on failure.</summary>
        [LibraryImport(Libraries.LibC, EntryPoint = "open", SetLastError = true)]
        internal static unsafe partial int Open(byte* path, int flags, int mode);

        /// <summary>
        /// openat(2): <paramref name="path"/> (NUL-terminated UTF-8) relative to the directory <paramref name="dirfd"/>,
        /// which saves the kernel walking the directory's path (and sysfs' class symlinks) once per attribute.
        /// </summary>
        [LibraryImport(Libraries.LibC, EntryPoint = "openat", SetLastError = true)]
        internal static unsafe partial int OpenAt(int dirfd, byte* path, int flags, int mode);
    }
}
