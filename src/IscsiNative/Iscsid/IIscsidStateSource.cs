namespace IscsiNative.Iscsid;

/// <summary>
/// Where the two lines of <c>iscsiadm -m session -P 1..3</c> that are not in sysfs come from: iscsid's connection
/// state and its internal session (recovery stage) state, which iscsiadm asks iscsid for over its management socket
/// (MGMT_IPC_SESSION_INFO). When no source is given or it fails, both lines read <c>Unknown</c>, as iscsiadm prints
/// them when iscsid is not running.
/// </summary>
internal interface IIscsidStateSource
{
    /// <summary>Asks for the iscsid states of one session.</summary>
    /// <param name="sid">The session id.</param>
    /// <param name="connectionState">iscsid's <c>enum iscsi_conn_state</c> (see <see cref="IscsidSessionState.GetConnectionStateName"/>).</param>
    /// <param name="sessionState">iscsid's <c>iscsi_session_r_stage_e</c> (see <see cref="IscsidSessionState.GetInternalStateName"/>).</param>
    /// <returns>False when iscsid could not be asked or does not know the session.</returns>
    bool TryGetState(int sid, out int connectionState, out int sessionState);
}
