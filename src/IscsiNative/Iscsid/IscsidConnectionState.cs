namespace IscsiNative.Iscsid;

/// <summary>
/// The state iscsid keeps for the leading connection of a session (open-iscsi <c>include/iscsi_if.h</c>
/// <c>enum iscsi_conn_state</c>). iscsiadm prints it as <c>iSCSI Connection State</c>.
/// </summary>
/// <remarks>Values outside the defined range can arrive from iscsid; iscsiadm prints them as <c>Unknown</c>.</remarks>
internal enum IscsidConnectionState
{
    /// <summary>ISCSI_CONN_STATE_FREE, printed <c>FREE</c>.</summary>
    Free = 0,

    /// <summary>ISCSI_CONN_STATE_XPT_WAIT, printed <c>TRANSPORT WAIT</c> (reconnecting after a failure).</summary>
    TransportWait = 1,

    /// <summary>ISCSI_CONN_STATE_IN_LOGIN, printed <c>IN LOGIN</c>.</summary>
    InLogin = 2,

    /// <summary>ISCSI_CONN_STATE_LOGGED_IN, printed <c>LOGGED IN</c>.</summary>
    LoggedIn = 3,

    /// <summary>ISCSI_CONN_STATE_IN_LOGOUT, printed <c>IN LOGOUT</c>.</summary>
    InLogout = 4,

    /// <summary>ISCSI_CONN_STATE_LOGOUT_REQUESTED, printed <c>LOGOUT REQUESTED</c>.</summary>
    LogoutRequested = 5,

    /// <summary>ISCSI_CONN_STATE_CLEANUP_WAIT, printed <c>CLEANUP WAIT</c>.</summary>
    CleanupWait = 6,
}
