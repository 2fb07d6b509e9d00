using System.Runtime.InteropServices;

namespace IscsiNative;

internal static partial class Interop
{
    internal static partial class Shim
    {
        /// <summary>MODULE_INIT_COMPRESSED_FILE (Linux 6.4+): the kernel decompresses the module itself.</summary>
        internal const int ModuleInitCompressedFile = 4;

        /// <summary>finit_module(2); returns 0 or a negated errno.</summary>
        [LibraryImport(Libraries.Shim, EntryPoint = "IscsiNative_FinitModule", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int FinitModule(int fd, string parameters, int flags);
    }
}
