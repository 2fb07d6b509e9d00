namespace IscsiNative.Netlink;

/// <summary>
/// Offsets inside <c>struct iscsi_uevent</c> (x86_64 LP64, 56 bytes, align 8), relative to the start of the
/// event (after the 16-byte nlmsghdr). Proven against the shim's compiled view by a layout test.
/// </summary>
internal static class IscsiUeventLayout
{
    /// <summary><c>sizeof(struct iscsi_uevent)</c>.</summary>
    internal const int Size = 56;

    /// <summary><c>type</c> (4 bytes).</summary>
    internal const int Type = 0;

    /// <summary><c>iferror</c> (4 bytes).</summary>
    internal const int IfError = 4;

    /// <summary><c>transport_handle</c> (8 bytes).</summary>
    internal const int TransportHandle = 8;

    /// <summary><c>u</c> (24 bytes).</summary>
    internal const int U = 16;

    /// <summary><c>r</c> (16 bytes).</summary>
    internal const int R = 40;

    /// <summary><c>u.c_session.initial_cmdsn</c> (4 bytes).</summary>
    internal const int CSessionInitialCmdSn = 16;

    /// <summary><c>u.c_session.cmds_max</c> (2 bytes).</summary>
    internal const int CSessionCmdsMax = 20;

    /// <summary><c>u.c_session.queue_depth</c> (2 bytes).</summary>
    internal const int CSessionQueueDepth = 22;

    /// <summary><c>u.c_bound_session.ep_handle</c> (8 bytes).</summary>
    internal const int CBoundSessionEpHandle = 16;

    /// <summary><c>u.c_bound_session.initial_cmdsn</c> (4 bytes).</summary>
    internal const int CBoundSessionInitialCmdSn = 24;

    /// <summary><c>u.c_bound_session.cmds_max</c> (2 bytes).</summary>
    internal const int CBoundSessionCmdsMax = 28;

    /// <summary><c>u.c_bound_session.queue_depth</c> (2 bytes).</summary>
    internal const int CBoundSessionQueueDepth = 30;

    /// <summary><c>u.d_session.sid</c> (4 bytes).</summary>
    internal const int DSessionSid = 16;

    /// <summary><c>u.c_conn.sid</c> (4 bytes).</summary>
    internal const int CConnSid = 16;

    /// <summary><c>u.c_conn.cid</c> (4 bytes).</summary>
    internal const int CConnCid = 20;

    /// <summary><c>u.b_conn.sid</c> (4 bytes).</summary>
    internal const int BConnSid = 16;

    /// <summary><c>u.b_conn.cid</c> (4 bytes).</summary>
    internal const int BConnCid = 20;

    /// <summary><c>u.b_conn.transport_eph</c> (8 bytes).</summary>
    internal const int BConnTransportEph = 24;

    /// <summary><c>u.b_conn.is_leading</c> (4 bytes).</summary>
    internal const int BConnIsLeading = 32;

    /// <summary><c>u.d_conn.sid</c> (4 bytes).</summary>
    internal const int DConnSid = 16;

    /// <summary><c>u.d_conn.cid</c> (4 bytes).</summary>
    internal const int DConnCid = 20;

    /// <summary><c>u.send_pdu.sid</c> (4 bytes).</summary>
    internal const int SendPduSid = 16;

    /// <summary><c>u.send_pdu.cid</c> (4 bytes).</summary>
    internal const int SendPduCid = 20;

    /// <summary><c>u.send_pdu.hdr_size</c> (4 bytes).</summary>
    internal const int SendPduHdrSize = 24;

    /// <summary><c>u.send_pdu.data_size</c> (4 bytes).</summary>
    internal const int SendPduDataSize = 28;

    /// <summary><c>u.set_param.sid</c> (4 bytes).</summary>
    internal const int SetParamSid = 16;

    /// <summary><c>u.set_param.cid</c> (4 bytes).</summary>
    internal const int SetParamCid = 20;

    /// <summary><c>u.set_param.param</c> (4 bytes).</summary>
    internal const int SetParamParam = 24;

    /// <summary><c>u.set_param.len</c> (4 bytes).</summary>
    internal const int SetParamLen = 28;

    /// <summary><c>u.start_conn.sid</c> (4 bytes).</summary>
    internal const int StartConnSid = 16;

    /// <summary><c>u.start_conn.cid</c> (4 bytes).</summary>
    internal const int StartConnCid = 20;

    /// <summary><c>u.stop_conn.sid</c> (4 bytes).</summary>
    internal const int StopConnSid = 16;

    /// <summary><c>u.stop_conn.cid</c> (4 bytes).</summary>
    internal const int StopConnCid = 20;

    /// <summary><c>u.stop_conn.conn_handle</c> (8 bytes).</summary>
    internal const int StopConnConnHandle = 24;

    /// <summary><c>u.stop_conn.flag</c> (4 bytes).</summary>
    internal const int StopConnFlag = 32;

    /// <summary><c>u.get_stats.sid</c> (4 bytes).</summary>
    internal const int GetStatsSid = 16;

    /// <summary><c>u.get_stats.cid</c> (4 bytes).</summary>
    internal const int GetStatsCid = 20;

    /// <summary><c>u.ep_connect.non_blocking</c> (4 bytes).</summary>
    internal const int EpConnectNonBlocking = 16;

    /// <summary><c>u.ep_poll.ep_handle</c> (8 bytes).</summary>
    internal const int EpPollEpHandle = 16;

    /// <summary><c>u.ep_poll.timeout_ms</c> (4 bytes).</summary>
    internal const int EpPollTimeoutMs = 24;

    /// <summary><c>u.ep_disconnect.ep_handle</c> (8 bytes).</summary>
    internal const int EpDisconnectEpHandle = 16;

    /// <summary><c>u.tgt_dscvr.type</c> (4 bytes).</summary>
    internal const int TgtDscvrType = 16;

    /// <summary><c>u.tgt_dscvr.host_no</c> (4 bytes).</summary>
    internal const int TgtDscvrHostNo = 20;

    /// <summary><c>u.tgt_dscvr.enable</c> (4 bytes).</summary>
    internal const int TgtDscvrEnable = 24;

    /// <summary><c>u.set_host_param.host_no</c> (4 bytes).</summary>
    internal const int SetHostParamHostNo = 16;

    /// <summary><c>u.set_host_param.param</c> (4 bytes).</summary>
    internal const int SetHostParamParam = 20;

    /// <summary><c>u.set_host_param.len</c> (4 bytes).</summary>
    internal const int SetHostParamLen = 24;

    /// <summary><c>u.set_path.host_no</c> (4 bytes).</summary>
    internal const int SetPathHostNo = 16;

    /// <summary><c>u.get_host_stats.host_no</c> (4 bytes).</summary>
    internal const int GetHostStatsHostNo = 16;

    /// <summary><c>r.retcode</c> (4 bytes).</summary>
    internal const int RetCode = 40;

    /// <summary><c>r.c_session_ret.sid</c> (4 bytes).</summary>
    internal const int CSessionRetSid = 40;

    /// <summary><c>r.c_session_ret.host_no</c> (4 bytes).</summary>
    internal const int CSessionRetHostNo = 44;

    /// <summary><c>r.c_conn_ret.sid</c> (4 bytes).</summary>
    internal const int CConnRetSid = 40;

    /// <summary><c>r.c_conn_ret.cid</c> (4 bytes).</summary>
    internal const int CConnRetCid = 44;

    /// <summary><c>r.unbind_session.sid</c> (4 bytes).</summary>
    internal const int UnbindSessionSid = 40;

    /// <summary><c>r.unbind_session.host_no</c> (4 bytes).</summary>
    internal const int UnbindSessionHostNo = 44;

    /// <summary><c>r.recv_req.sid</c> (4 bytes).</summary>
    internal const int RecvReqSid = 40;

    /// <summary><c>r.recv_req.cid</c> (4 bytes).</summary>
    internal const int RecvReqCid = 44;

    /// <summary><c>r.recv_req.recv_handle</c> (8 bytes).</summary>
    internal const int RecvReqRecvHandle = 48;

    /// <summary><c>r.connerror.sid</c> (4 bytes).</summary>
    internal const int ConnErrorSid = 40;

    /// <summary><c>r.connerror.cid</c> (4 bytes).</summary>
    internal const int ConnErrorCid = 44;

    /// <summary><c>r.connerror.error</c> (4 bytes).</summary>
    internal const int ConnErrorError = 48;

    /// <summary><c>r.conn_login.sid</c> (4 bytes).</summary>
    internal const int ConnLoginSid = 40;

    /// <summary><c>r.conn_login.cid</c> (4 bytes).</summary>
    internal const int ConnLoginCid = 44;

    /// <summary><c>r.conn_login.state</c> (4 bytes).</summary>
    internal const int ConnLoginState = 48;

    /// <summary><c>r.d_session.host_no</c> (4 bytes).</summary>
    internal const int DestroyedSessionHostNo = 40;

    /// <summary><c>r.d_session.sid</c> (4 bytes).</summary>
    internal const int DestroyedSessionSid = 44;

    /// <summary><c>r.ep_connect_ret.handle</c> (8 bytes).</summary>
    internal const int EpConnectRetHandle = 40;

    /// <summary><c>r.host_event.host_no</c> (4 bytes).</summary>
    internal const int HostEventHostNo = 40;

    /// <summary><c>r.host_event.data_size</c> (4 bytes).</summary>
    internal const int HostEventDataSize = 44;

    /// <summary><c>r.host_event.code</c> (4 bytes).</summary>
    internal const int HostEventCode = 48;

    /// <summary><c>r.ping_comp.host_no</c> (4 bytes).</summary>
    internal const int PingCompHostNo = 40;

    /// <summary><c>r.ping_comp.status</c> (4 bytes).</summary>
    internal const int PingCompStatus = 44;

    /// <summary><c>r.ping_comp.pid</c> (4 bytes).</summary>
    internal const int PingCompPid = 48;

    /// <summary><c>r.ping_comp.data_size</c> (4 bytes).</summary>
    internal const int PingCompDataSize = 52;
}
