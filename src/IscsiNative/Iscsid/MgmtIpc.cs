using System.Buffers.Binary;

namespace IscsiNative.Iscsid;

/// <summary>
/// The iscsiadm ⇄ iscsid management IPC of open-iscsi 2.1.8 (<c>usr/mgmt_ipc.h</c>), as far as this library uses it.
/// </summary>
/// <remarks>
/// <para>Both sides exchange whole C structs in host byte order (little-endian on x86_64). iscsid reads exactly
/// <see cref="RequestSize"/> bytes (<c>mgmt_ipc_read_data</c> loops until it has <c>sizeof(iscsiadm_req_t)</c>),
/// answers with exactly <see cref="ResponseSize"/> bytes and closes the connection. A shorter request leaves iscsid
/// blocked in read() until the client closes, so the size must be exact.</para>
/// <para>Sizes and offsets were printed by a C program compiled against the 2.1.8 headers (gcc, x86_64) and match the
/// constants in Debian 12's <c>/usr/sbin/iscsiadm</c> 2.1.8 (<c>write(fd, req, 0x3ee8)</c>, <c>recv(fd, rsp, 0x9a0,
/// MSG_WAITALL)</c>):
/// <c>sizeof(iscsiadm_req_t)=16104</c> (command@0, payload_len@4, u.session.sid@8, u.session.rec@16,
/// <c>sizeof(node_rec_t)=16088</c>); <c>sizeof(iscsiadm_rsp_t)=2464</c> (command@0, err@4,
/// u.session_state.session_state@8, u.session_state.conn_state@12; the union is sized by <c>ipc_msg_getstats</c>).</para>
/// </remarks>
internal static class MgmtIpc
{
    /// <summary>Abstract socket name (<c>ISCSIADM_NAMESPACE</c>); the address is a NUL byte followed by it, no terminator.</summary>
    internal const string AbstractNamespace = "ISCSIADM_ABSTRACT_NAMESPACE";

    /// <summary><c>sizeof(iscsiadm_req_t)</c> in open-iscsi 2.1.8 on x86_64.</summary>
    internal const int RequestSize = 16104;

    /// <summary><c>sizeof(iscsiadm_rsp_t)</c> in open-iscsi 2.1.8 on x86_64.</summary>
    internal const int ResponseSize = 2464;

    /// <summary><c>offsetof(iscsiadm_req_t, command)</c> / <c>offsetof(iscsiadm_rsp_t, command)</c>.</summary>
    internal const int CommandOffset = 0;

    /// <summary><c>offsetof(iscsiadm_req_t, payload_len)</c>.</summary>
    internal const int PayloadLengthOffset = 4;

    /// <summary><c>offsetof(iscsiadm_req_t, u.session.sid)</c>.</summary>
    internal const int SessionIdOffset = 8;

    /// <summary><c>offsetof(iscsiadm_rsp_t, err)</c>: an ISCSI_ERR_* value.</summary>
    internal const int ErrorOffset = 4;

    /// <summary><c>offsetof(iscsiadm_rsp_t, u.session_state.session_state)</c>: iscsid's <c>r_stage</c>.</summary>
    internal const int SessionStateOffset = 8;

    /// <summary><c>offsetof(iscsiadm_rsp_t, u.session_state.conn_state)</c>: <c>conn[0].state</c>.</summary>
    internal const int ConnectionStateOffset = 12;

    /// <summary><c>MGMT_IPC_SESSION_LOGOUT</c> in <c>enum iscsiadm_cmd</c>: iscsid logs the session out
    /// (<c>session_logout_task</c>) and answers once it is gone, or at once with an error.</summary>
    internal const int SessionLogoutCommand = 2;

    /// <summary><c>MGMT_IPC_SESSION_INFO</c> in <c>enum iscsiadm_cmd</c>.</summary>
    internal const int SessionInfoCommand = 13;

    /// <summary>Writes a <c>MGMT_IPC_SESSION_INFO</c> request the way <c>print_iscsi_state</c> builds it:
    /// a zero-filled <c>iscsiadm_req_t</c> with <c>command</c> and <c>u.session.sid</c> set.</summary>
    /// <param name="destination">At least <see cref="RequestSize"/> bytes; exactly that many are written.</param>
    /// <param name="sid">The session id (sysfs <c>sessionN</c>).</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small.</exception>
    internal static void WriteSessionInfoRequest(Span<byte> destination, int sid) =>
        WriteSessionRequest(destination, SessionInfoCommand, sid);

    /// <summary>Writes a <c>MGMT_IPC_SESSION_LOGOUT</c> request the way <c>iscsid_req_by_sid_async</c> builds it:
    /// a zero-filled <c>iscsiadm_req_t</c> with <c>command</c> and <c>u.session.sid</c> set (no node record).</summary>
    /// <param name="destination">At least <see cref="RequestSize"/> bytes; exactly that many are written.</param>
    /// <param name="sid">The session id (sysfs <c>sessionN</c>).</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small.</exception>
    internal static void WriteSessionLogoutRequest(Span<byte> destination, int sid) =>
        WriteSessionRequest(destination, SessionLogoutCommand, sid);

    /// <summary>Reads <c>command</c> and <c>err</c> of an <c>iscsiadm_rsp_t</c>: all a logout reply carries.</summary>
    /// <param name="response">At least the first 8 bytes of the response.</param>
    /// <param name="command">The echoed command.</param>
    /// <param name="iscsiError">The ISCSI_ERR_* code iscsid put in <c>err</c>.</param>
    internal static void ReadResponseHeader(ReadOnlySpan<byte> response, out int command, out int iscsiError)
    {
        command = BinaryPrimitives.ReadInt32LittleEndian(response[CommandOffset..]);
        iscsiError = BinaryPrimitives.ReadInt32LittleEndian(response[ErrorOffset..]);
    }

    /// <summary>Reads the fields of a complete <c>MGMT_IPC_SESSION_INFO</c> reply this library uses.</summary>
    /// <param name="response">At least the first 16 bytes of the response.</param>
    /// <param name="command">The echoed command.</param>
    /// <param name="iscsiError">The ISCSI_ERR_* code iscsid put in <c>err</c>.</param>
    /// <param name="state">The two session-state numbers, as sent.</param>
    internal static void ReadSessionInfoResponse(
        ReadOnlySpan<byte> response, out int command, out int iscsiError, out IscsidSessionState state)
    {
        ReadResponseHeader(response, out command, out iscsiError);
        int sessionState = BinaryPrimitives.ReadInt32LittleEndian(response[SessionStateOffset..]);
        int connectionState = BinaryPrimitives.ReadInt32LittleEndian(response[ConnectionStateOffset..]);
        state = new IscsidSessionState(
            (IscsidConnectionState)connectionState, (IscsidInternalSessionState)sessionState);
    }

    /// <summary>A zero-filled <c>iscsiadm_req_t</c> with <c>command</c> and <c>u.session.sid</c> set.</summary>
    private static void WriteSessionRequest(Span<byte> destination, int command, int sid)
    {
        if (destination.Length < RequestSize)
        {
            throw new ArgumentException($"The buffer must hold {RequestSize} bytes.", nameof(destination));
        }

        Span<byte> request = destination[..RequestSize];
        request.Clear();
        BinaryPrimitives.WriteInt32LittleEndian(request[CommandOffset..], command);
        BinaryPrimitives.WriteInt32LittleEndian(request[SessionIdOffset..], sid);
    }
}
