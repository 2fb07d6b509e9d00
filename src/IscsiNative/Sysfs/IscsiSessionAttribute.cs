namespace IscsiNative.Sysfs;

/// <summary>
/// The sysfs attributes an <see cref="IscsiSessionEntry"/> reads for one session. Password files are not in the list:
/// they are never read.
/// </summary>
internal enum IscsiSessionAttribute
{
    /// <summary><c>iscsi_session/sessionN/targetname</c>.</summary>
    TargetName,

    /// <summary><c>iscsi_session/sessionN/tpgt</c>.</summary>
    Tpgt,

    /// <summary><c>iscsi_session/sessionN/state</c> (LOGGED_IN, FAILED, FREE).</summary>
    SessionState,

    /// <summary><c>iscsi_session/sessionN/creator</c> (-1 when the kernel created the session, i.e. flash).</summary>
    Creator,

    /// <summary><c>iscsi_session/sessionN/recovery_tmo</c> (a number or <c>off</c>).</summary>
    RecoveryTimeout,

    /// <summary><c>iscsi_session/sessionN/tgt_reset_tmo</c>.</summary>
    TargetResetTimeout,

    /// <summary><c>iscsi_session/sessionN/lu_reset_tmo</c>.</summary>
    LunResetTimeout,

    /// <summary><c>iscsi_session/sessionN/abort_tmo</c>.</summary>
    AbortTimeout,

    /// <summary><c>iscsi_session/sessionN/first_burst_len</c>.</summary>
    FirstBurstLength,

    /// <summary><c>iscsi_session/sessionN/max_burst_len</c>.</summary>
    MaxBurstLength,

    /// <summary><c>iscsi_session/sessionN/immediate_data</c>.</summary>
    ImmediateData,

    /// <summary><c>iscsi_session/sessionN/initial_r2t</c>.</summary>
    InitialR2T,

    /// <summary><c>iscsi_session/sessionN/max_outstanding_r2t</c>.</summary>
    MaxOutstandingR2T,

    /// <summary><c>iscsi_session/sessionN/username</c> (EACCES without CAP_SYS_ADMIN).</summary>
    Username,

    /// <summary><c>iscsi_session/sessionN/username_in</c> (EACCES without CAP_SYS_ADMIN).</summary>
    UsernameIn,

    /// <summary><c>iscsi_session/sessionN/ifacename</c>.</summary>
    IfaceName,

    /// <summary><c>iscsi_session/sessionN/initiatorname</c>.</summary>
    InitiatorName,

    /// <summary><c>iscsi_connection/connectionN:0/address</c> (ENOTCONN without a bound socket).</summary>
    Address,

    /// <summary><c>iscsi_connection/connectionN:0/port</c>.</summary>
    Port,

    /// <summary><c>iscsi_connection/connectionN:0/persistent_address</c>.</summary>
    PersistentAddress,

    /// <summary><c>iscsi_connection/connectionN:0/persistent_port</c>.</summary>
    PersistentPort,

    /// <summary><c>iscsi_connection/connectionN:0/state</c> (up, down, failed, bound).</summary>
    ConnectionState,

    /// <summary><c>iscsi_connection/connectionN:0/header_digest</c>.</summary>
    HeaderDigest,

    /// <summary><c>iscsi_connection/connectionN:0/data_digest</c>.</summary>
    DataDigest,

    /// <summary><c>iscsi_connection/connectionN:0/max_recv_dlength</c>.</summary>
    MaxRecvDataSegmentLength,

    /// <summary><c>iscsi_connection/connectionN:0/max_xmit_dlength</c>.</summary>
    MaxXmitDataSegmentLength,

    /// <summary><c>iscsi_host/hostH/ipaddress</c> (ENOTCONN while the session has no socket).</summary>
    HostIPAddress,

    /// <summary><c>iscsi_host/hostH/hwaddress</c>.</summary>
    HostHWAddress,

    /// <summary><c>iscsi_host/hostH/netdev</c>.</summary>
    HostNetdev,

    /// <summary><c>iscsi_host/hostH/initiatorname</c>.</summary>
    HostInitiatorName,

    /// <summary><c>scsi_host/hostH/state</c> (e.g. running).</summary>
    ScsiHostState,

    /// <summary><c>scsi_host/hostH/proc_name</c> (e.g. iscsi_tcp).</summary>
    ScsiHostProcName,
}
