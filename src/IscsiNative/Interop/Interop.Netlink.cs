using System.Runtime.InteropServices;

namespace IscsiNative;

internal static partial class Interop
{
    internal static partial class Shim
    {
        /// <summary>ISCSINATIVE_RECV_TRUNCATED: the datagram did not fit the buffer.</summary>
        internal const int NetlinkReceiveTruncated = 1;

        /// <summary>Opens and binds a NETLINK_ISCSI socket. Returns 0 or a negated errno.</summary>
        [LibraryImport(Libraries.Shim, EntryPoint = "IscsiNative_NetlinkOpen")]
        internal static partial int NetlinkOpen(uint groups, int receiveBufferBytes, out int fd, out uint portId);

        /// <summary>Sends one buffer to the kernel. Returns the bytes sent or a negated errno.</summary>
        [LibraryImport(Libraries.Shim, EntryPoint = "IscsiNative_NetlinkSend")]
        internal static unsafe partial int NetlinkSend(int fd, byte* buffer, int length);

        /// <summary>Receives one datagram (full length, possibly above <paramref name="length"/>) or a negated errno.</summary>
        [LibraryImport(Libraries.Shim, EntryPoint = "IscsiNative_NetlinkReceive")]
        internal static unsafe partial int NetlinkReceive(
            int fd, int wakeFd, byte* buffer, int length, int timeoutMs, out uint sourceGroups, out uint sourcePid, out int flags);

        /// <summary>Creates the eventfd that wakes a blocked receive.</summary>
        [LibraryImport(Libraries.Shim, EntryPoint = "IscsiNative_WakeupCreate")]
        internal static partial int WakeupCreate(out int fd);

        /// <summary>Signals the wakeup eventfd.</summary>
        [LibraryImport(Libraries.Shim, EntryPoint = "IscsiNative_WakeupSignal")]
        internal static partial int WakeupSignal(int fd);

        /// <summary>Closes a descriptor the shim opened.</summary>
        [LibraryImport(Libraries.Shim, EntryPoint = "IscsiNative_Close")]
        internal static partial int Close(int fd);
    }
}
