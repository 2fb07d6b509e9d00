namespace IscsiNative.Iscsid;

/// <summary>
/// iscsid's recovery stage of a session (open-iscsi <c>usr/initiator.h</c> <c>iscsi_session_r_stage_e</c>).
/// iscsiadm prints it as <c>Internal iscsid Session State</c>.
/// </summary>
/// <remarks>
/// iscsiadm 2.1.8 names only the first four values; <see cref="Destroyed"/> and anything else print as <c>Unknown</c>.
/// </remarks>
internal enum IscsidInternalSessionState
{
    /// <summary>R_STAGE_NO_CHANGE, printed <c>NO CHANGE</c> (a healthy session).</summary>
    NoChange = 0,

    /// <summary>R_STAGE_SESSION_CLEANUP, printed <c>CLEANUP</c>.</summary>
    Cleanup = 1,

    /// <summary>R_STAGE_SESSION_REOPEN, printed <c>REOPEN</c> (iscsid is re-establishing the connection).</summary>
    Reopen = 2,

    /// <summary>R_STAGE_SESSION_REDIRECT, printed <c>REDIRECT</c>.</summary>
    Redirect = 3,

    /// <summary>R_STAGE_SESSION_DESTOYED (sic in open-iscsi); iscsiadm has no name for it and prints <c>Unknown</c>.</summary>
    Destroyed = 4,
}
