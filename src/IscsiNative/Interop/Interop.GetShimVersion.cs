using System.Runtime.InteropServices;

namespace IscsiNative;

internal static partial class Interop
{
    internal static partial class Shim
    {
        /// <summary>The version the managed side was written against (ISCSINATIVE_SHIM_VERSION).</summary>
        internal const int ExpectedVersion = 1;

        [LibraryImport(Libraries.Shim, EntryPoint = "IscsiNative_GetShimVersion")]
        internal static partial int GetShimVersion();
    }
}
