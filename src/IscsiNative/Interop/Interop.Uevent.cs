using System.Runtime.InteropServices;

namespace IscsiNative;

internal static partial class Interop
{
    internal static partial class Shim
    {
        /// <summary>Opens a NETLINK_KOBJECT_UEVENT socket bound to the kernel's uevent group. Returns 0 or a negated errno.</summary>
        [LibraryImport(Libraries.Shim, EntryPoint = "IscsiNative_UeventOpen")]
        internal static partial int UeventOpen(int receiveBufferBytes, out int fd);
    }
}
