namespace IscsiNative.Sysfs;

/// <summary>How reading one sysfs attribute went.</summary>
internal enum SysfsValueStatus
{
    /// <summary>The file was read and holds a value.</summary>
    Present,

    /// <summary>The file was read and is empty or reads <c>(null)</c> (the kernel's "not set").</summary>
    Empty,

    /// <summary>The file does not exist (ENOENT, e.g. the session vanished or the kernel hides it).</summary>
    Missing,

    /// <summary>Reading needs privileges the caller lacks (EACCES/EPERM; CHAP files need CAP_SYS_ADMIN).</summary>
    AccessDenied,

    /// <summary>The read failed with another errno, e.g. ENOTCONN for a connection without a socket.</summary>
    Unavailable,

    /// <summary>The attribute was not read because what it depends on is unknown (e.g. no host number).</summary>
    NotRead,
}
