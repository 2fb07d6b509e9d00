using System.Runtime.InteropServices;

namespace IscsiNative;

internal static partial class Interop
{
    internal static partial class Shim
    {
        /// <summary>Reports the C compiler's offset and size of one <see cref="Netlink.LayoutId"/>; 0 or -EINVAL.</summary>
        [LibraryImport(Libraries.Shim, EntryPoint = "IscsiNative_GetLayout")]
        internal static partial int GetLayout(int id, out int offset, out int size);
    }
}
