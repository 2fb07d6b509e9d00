using System.Runtime.InteropServices;

namespace IscsiNative;

internal static partial class Interop
{
    internal static partial class Shim
    {
        /// <summary>Table ids of <see cref="GetKernelAbiEntry"/> (ISCSINATIVE_ABI_*).</summary>
        internal const int AbiUevent = 0;
        internal const int AbiParam = 1;
        internal const int AbiErr = 2;

        /// <summary>
        /// Entry <paramref name="index"/> of the kernel enum values compiled from the real <c>scsi/iscsi_if.h</c>:
        /// 1 with the entry, 0 past the end, -ENOENT when the shim was built without the header.
        /// </summary>
        [LibraryImport(Libraries.Shim, EntryPoint = "IscsiNative_GetKernelAbiEntry")]
        internal static unsafe partial int GetKernelAbiEntry(int index, out int table, out byte* name, out long value);
    }
}
