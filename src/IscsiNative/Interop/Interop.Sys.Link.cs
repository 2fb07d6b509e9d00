using System.Runtime.InteropServices;

namespace IscsiNative;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>link(2): a hard link <paramref name="newPath"/> to <paramref name="oldPath"/>; -1 and errno on failure (EEXIST when taken).</summary>
        [LibraryImport(Libraries.LibC, EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Link(string oldPath, string newPath);
    }
}
