using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IscsiNative;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>close(2).</summary>
        /// <remarks>
        /// Never inlined, on purpose: close is the syscall of cleanup paths (<c>Dispose</c> in a <c>finally</c>).
        /// Tier-1 code that inlines this wrapper into a <c>finally</c> funclet cannot inline the P/Invoke
        /// transition there, so the runtime then builds a marshalling IL stub for it on first use, on the calling
        /// thread, allocating managed memory (32 bytes) in the middle of an otherwise allocation-free sysfs
        /// enumeration. Kept out of line, the transition always sits in this method's own body and is inlined at
        /// every tier: no stub, no allocation, whatever the JIT decides for the caller.
        /// </remarks>
        [MethodImpl(MethodImplOptions.NoInlining)]
        [LibraryImport(Libraries.LibC, EntryPoint = "close", SetLastError = true)]
        internal static partial int Close(int fd);
    }
}
