namespace IscsiNative.Formatting;

/// <summary>
/// The names iscsiadm prints for iscsid's states (open-iscsi usr/session_info.c <c>print_iscsi_state</c>):
/// connection states are <c>enum iscsi_conn_state</c> (include/iscsi_if.h), internal session states
/// <c>iscsi_session_r_stage_e</c> (usr/initiator.h). Anything out of range prints as <c>Unknown</c>.
/// </summary>
public static class IscsidStateNames
{
    /// <summary>What iscsiadm prints when a state is not known.</summary>
    public const string Unknown = "Unknown";

    private static readonly string[] ConnectionStates =
        ["FREE", "TRANSPORT WAIT", "IN LOGIN", "LOGGED IN", "IN LOGOUT", "LOGOUT REQUESTED", "CLEANUP WAIT"];

    private static readonly string[] SessionStates = ["NO CHANGE", "CLEANUP", "REOPEN", "REDIRECT"];

    /// <summary>The name of an iscsid connection state: 0 FREE … 6 CLEANUP WAIT.</summary>
    /// <param name="state">ISCSI_CONN_STATE_* value.</param>
    /// <returns>The name, or <c>Unknown</c> when out of range.</returns>
    public static string GetConnectionStateName(int state) =>
        (uint)state < (uint)ConnectionStates.Length ? ConnectionStates[state] : Unknown;

    /// <summary>The name of an iscsid internal session state: 0 NO CHANGE … 3 REDIRECT.</summary>
    /// <param name="state">R_STAGE_* value (4, SESSION_DESTROYED, has no name and prints as Unknown).</param>
    /// <returns>The name, or <c>Unknown</c> when out of range.</returns>
    public static string GetSessionStateName(int state) =>
        (uint)state < (uint)SessionStates.Length ? SessionStates[state] : Unknown;

    internal static ReadOnlySpan<byte> ConnectionStateUtf8(int state) => state switch
    {
        0 => "FREE"u8,
        1 => "TRANSPORT WAIT"u8,
        2 => "IN LOGIN"u8,
        3 => "LOGGED IN"u8,
        4 => "IN LOGOUT"u8,
        5 => "LOGOUT REQUESTED"u8,
        6 => "CLEANUP WAIT"u8,
        _ => "Unknown"u8,
    };

    internal static ReadOnlySpan<byte> SessionStateUtf8(int state) => state switch
    {
        0 => "NO CHANGE"u8,
        1 => "CLEANUP"u8,
        2 => "REOPEN"u8,
        3 => "REDIRECT"u8,
        _ => "Unknown"u8,
    };
}
