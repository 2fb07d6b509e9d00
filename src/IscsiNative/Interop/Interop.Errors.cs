namespace IscsiNative;

internal static partial class Interop
{
    /// <summary>Linux errno numbers the library tells apart, and their symbolic names for messages.</summary>
    internal static class Errno
    {
        internal const int EPERM = 1;
        internal const int ENOENT = 2;
        internal const int EINTR = 4;
        internal const int EIO = 5;
        internal const int ENXIO = 6;
        internal const int EAGAIN = 11;
        internal const int ENOMEM = 12;
        internal const int EACCES = 13;
        internal const int EBUSY = 16;
        internal const int EEXIST = 17;
        internal const int ENODEV = 19;
        internal const int ENOTDIR = 20;
        internal const int EISDIR = 21;
        internal const int EINVAL = 22;
        internal const int ENOSYS = 38;
        internal const int EBADMSG = 74;
        internal const int EMSGSIZE = 90;
        internal const int EPROTONOSUPPORT = 93;
        internal const int ENOBUFS = 105;
        internal const int ENOTCONN = 107;
        internal const int ETIMEDOUT = 110;
        internal const int ECONNREFUSED = 111;
        internal const int ECANCELED = 125;

        /// <summary>The symbolic name of a (positive) errno, or <c>errno N</c>.</summary>
        internal static string Name(int errno) => errno switch
        {
            EPERM => "EPERM",
            ENOENT => "ENOENT",
            3 => "ESRCH",
            EIO => "EIO",
            ENXIO => "ENXIO",
            9 => "EBADF",
            EAGAIN => "EAGAIN",
            ENOMEM => "ENOMEM",
            EACCES => "EACCES",
            EBUSY => "EBUSY",
            EEXIST => "EEXIST",
            ENODEV => "ENODEV",
            EINVAL => "EINVAL",
            28 => "ENOSPC",
            ENOSYS => "ENOSYS",
            EBADMSG => "EBADMSG",
            88 => "ENOTSOCK",
            EMSGSIZE => "EMSGSIZE",
            EPROTONOSUPPORT => "EPROTONOSUPPORT",
            97 => "EAFNOSUPPORT",
            98 => "EADDRINUSE",
            ENOBUFS => "ENOBUFS",
            ENOTCONN => "ENOTCONN",
            ETIMEDOUT => "ETIMEDOUT",
            ECONNREFUSED => "ECONNREFUSED",
            ECANCELED => "ECANCELED",
            _ => "errno " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
