using System.Runtime.InteropServices;

namespace IscsiNative;

internal static partial class Interop
{
    internal static partial class Shim
    {
        /// <summary>
        /// openat (relative to <paramref name="dirfd"/>, or to the working directory when negative) + one read + close of a
        /// sysfs attribute in one call. Returns the bytes read or a negated errno.
        /// </summary>
        [LibraryImport(Libraries.Shim, EntryPoint = "IscsiNative_ReadAttribute")]
        internal static unsafe partial int ReadAttribute(int dirfd, byte* path, byte* buffer, int length);
    }
}
