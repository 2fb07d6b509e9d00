namespace IscsiNative.Volumes;

/// <summary>Why a volume operation failed (<see cref="IscsiVolumeException.Error"/>).</summary>
public enum VolumeError
{
    /// <summary>The <see cref="VolumeSpec"/> is invalid (see the message for the field).</summary>
    InvalidSpec,

    /// <summary>A portal host name could not be resolved.</summary>
    PortalUnresolved,

    /// <summary>Discovery on a portal did not list the target.</summary>
    TargetNotFound,

    /// <summary>No portal could be logged in to (inner exception: the login error of the first portal).</summary>
    LoginFailed,

    /// <summary>The session exists but the target has no such LUN: the scan of that one LUN found nothing.</summary>
    LunNotFound,

    /// <summary>The block device, or the multipath map with all its paths, did not appear before the deadline.</summary>
    DeviceTimeout,

    /// <summary>Multipath was asked for but multipathd is not reachable (no home-made dm tables).</summary>
    MultipathUnavailable,

    /// <summary>multipathd refused a command, or the paths did not end up in one map.</summary>
    MultipathFailed,

    /// <summary>The paths of the volume disagree (different WWIDs: not the same LUN).</summary>
    PathMismatch,

    /// <summary>The volume's device is mounted or held (another device sits on it); detach refused.</summary>
    InUse,

    /// <summary>CHAP authentication with the target failed (inner: <see cref="IscsiAuthenticationException"/>).</summary>
    AuthenticationFailed,

    /// <summary>The volume is not attached.</summary>
    NotAttached,
}
