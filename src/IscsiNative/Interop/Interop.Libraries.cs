namespace IscsiNative;

internal static partial class Interop
{
    /// <summary>Names of the native libraries the bindings load.</summary>
    internal static class Libraries
    {
        /// <summary>The project's own shim, built from native/ (libiscsinative.so).</summary>
        internal const string Shim = "libiscsinative";

        /// <summary>glibc, for calls Tmds.LibC does not cover.</summary>
        internal const string LibC = "libc";
    }
}
