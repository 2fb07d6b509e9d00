using System.Runtime.InteropServices;

namespace IscsiNative;

internal static partial class Interop
{
    internal static partial class Sys
    {
        internal const byte DT_UNKNOWN = 0;
        internal const byte DT_DIR = 4;
        internal const byte DT_LNK = 10;

        /// <summary>Offset of d_reclen in struct linux_dirent64 (after u64 d_ino, s64 d_off).</summary>
        internal const int DirentRecLenOffset = 16;

        /// <summary>Offset of d_type in struct linux_dirent64.</summary>
        internal const int DirentTypeOffset = 18;

        /// <summary>Offset of the NUL-terminated d_name in struct linux_dirent64.</summary>
        internal const int DirentNameOffset = 19;

        /// <summary>getdents64(2) (glibc 2.30+): fills <paramref name="buffer"/> with linux_dirent64 records.</summary>
        [LibraryImport(Libraries.LibC, EntryPoint = "getdents64", SetLastError = true)]
        internal static unsafe partial nint GetDents64(int fd, byte* buffer, nint count);
    }
}
