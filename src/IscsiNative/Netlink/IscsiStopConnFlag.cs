namespace IscsiNative.Netlink;

/// <summary>The <c>flag</c> of ISCSI_UEVENT_STOP_CONN (<c>STOP_CONN_*</c> in iscsi_if.h).</summary>
internal enum IscsiStopConnFlag : uint
{
    /// <summary><c>STOP_CONN_TERM</c>: shut the socket down and drop the kernel's reference; the conn goes <c>down</c>.</summary>
    Terminate = 1,

    /// <summary><c>STOP_CONN_SUSPEND</c>: iscsi_tcp logs and ignores it (still reports success).</summary>
    Suspend = 2,

    /// <summary><c>STOP_CONN_RECOVER</c>: the conn goes <c>failed</c>, the session blocks and recovery_tmo starts.</summary>
    Recover = 3,
}
