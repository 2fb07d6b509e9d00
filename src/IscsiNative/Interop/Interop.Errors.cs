namespace IscsiNative;

internal static partial class Interop
{
    /// <summary>Linux errno values the sysfs readers tell apart.</summary>
    internal static class Errno
    {
        internal const int EPERM = 1;
        internal const int ENOENT = 2;
        internal const int EINTR = 4;
        internal const int EACCES = 13;
        internal const int ENOTDIR = 20;
        internal const int EISDIR = 21;
        internal const int ENOTCONN = 107;
    }
}
