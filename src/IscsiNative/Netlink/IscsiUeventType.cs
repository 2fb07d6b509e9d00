namespace IscsiNative.Netlink;

/// <summary>
/// <c>enum iscsi_uevent_e</c> of include/scsi/iscsi_if.h: requests (10 + n) and kernel events (100 + n).
/// Requests go in both <c>nlmsg_type</c> and <c>iscsi_uevent.type</c>; events arrive with <c>nlmsg_type</c> 0.
/// </summary>
internal enum IscsiUeventType : uint
{
    /// <summary><c>ISCSI_UEVENT_UNKNOWN</c> (0).</summary>
    Unknown = 0,

    /// <summary><c>ISCSI_UEVENT_CREATE_SESSION</c> (11).</summary>
    CreateSession = 11,

    /// <summary><c>ISCSI_UEVENT_DESTROY_SESSION</c> (12).</summary>
    DestroySession = 12,

    /// <summary><c>ISCSI_UEVENT_CREATE_CONN</c> (13).</summary>
    CreateConn = 13,

    /// <summary><c>ISCSI_UEVENT_DESTROY_CONN</c> (14).</summary>
    DestroyConn = 14,

    /// <summary><c>ISCSI_UEVENT_BIND_CONN</c> (15).</summary>
    BindConn = 15,

    /// <summary><c>ISCSI_UEVENT_SET_PARAM</c> (16).</summary>
    SetParam = 16,

    /// <summary><c>ISCSI_UEVENT_START_CONN</c> (17).</summary>
    StartConn = 17,

    /// <summary><c>ISCSI_UEVENT_STOP_CONN</c> (18).</summary>
    StopConn = 18,

    /// <summary><c>ISCSI_UEVENT_SEND_PDU</c> (19).</summary>
    SendPdu = 19,

    /// <summary><c>ISCSI_UEVENT_GET_STATS</c> (20).</summary>
    GetStats = 20,

    /// <summary><c>ISCSI_UEVENT_GET_PARAM</c> (21).</summary>
    GetParam = 21,

    /// <summary><c>ISCSI_UEVENT_TRANSPORT_EP_CONNECT</c> (22).</summary>
    TransportEpConnect = 22,

    /// <summary><c>ISCSI_UEVENT_TRANSPORT_EP_POLL</c> (23).</summary>
    TransportEpPoll = 23,

    /// <summary><c>ISCSI_UEVENT_TRANSPORT_EP_DISCONNECT</c> (24).</summary>
    TransportEpDisconnect = 24,

    /// <summary><c>ISCSI_UEVENT_TGT_DSCVR</c> (25).</summary>
    TgtDscvr = 25,

    /// <summary><c>ISCSI_UEVENT_SET_HOST_PARAM</c> (26).</summary>
    SetHostParam = 26,

    /// <summary><c>ISCSI_UEVENT_UNBIND_SESSION</c> (27).</summary>
    UnbindSession = 27,

    /// <summary><c>ISCSI_UEVENT_CREATE_BOUND_SESSION</c> (28).</summary>
    CreateBoundSession = 28,

    /// <summary><c>ISCSI_UEVENT_TRANSPORT_EP_CONNECT_THROUGH_HOST</c> (29).</summary>
    TransportEpConnectThroughHost = 29,

    /// <summary><c>ISCSI_UEVENT_PATH_UPDATE</c> (30).</summary>
    PathUpdate = 30,

    /// <summary><c>ISCSI_UEVENT_SET_IFACE_PARAMS</c> (31).</summary>
    SetIfaceParams = 31,

    /// <summary><c>ISCSI_UEVENT_PING</c> (32).</summary>
    Ping = 32,

    /// <summary><c>ISCSI_UEVENT_GET_CHAP</c> (33).</summary>
    GetChap = 33,

    /// <summary><c>ISCSI_UEVENT_DELETE_CHAP</c> (34).</summary>
    DeleteChap = 34,

    /// <summary><c>ISCSI_UEVENT_SET_FLASHNODE_PARAMS</c> (35).</summary>
    SetFlashnodeParams = 35,

    /// <summary><c>ISCSI_UEVENT_NEW_FLASHNODE</c> (36).</summary>
    NewFlashnode = 36,

    /// <summary><c>ISCSI_UEVENT_DEL_FLASHNODE</c> (37).</summary>
    DelFlashnode = 37,

    /// <summary><c>ISCSI_UEVENT_LOGIN_FLASHNODE</c> (38).</summary>
    LoginFlashnode = 38,

    /// <summary><c>ISCSI_UEVENT_LOGOUT_FLASHNODE</c> (39).</summary>
    LogoutFlashnode = 39,

    /// <summary><c>ISCSI_UEVENT_LOGOUT_FLASHNODE_SID</c> (40).</summary>
    LogoutFlashnodeSid = 40,

    /// <summary><c>ISCSI_UEVENT_SET_CHAP</c> (41).</summary>
    SetChap = 41,

    /// <summary><c>ISCSI_UEVENT_GET_HOST_STATS</c> (42).</summary>
    GetHostStats = 42,

    /// <summary><c>ISCSI_UEVENT_DESTROY_SESSION_ASYNC</c> (43).</summary>
    DestroySessionAsync = 43,

    /// <summary><c>ISCSI_KEVENT_RECV_PDU</c> (101).</summary>
    KernelRecvPdu = 101,

    /// <summary><c>ISCSI_KEVENT_CONN_ERROR</c> (102).</summary>
    KernelConnError = 102,

    /// <summary><c>ISCSI_KEVENT_IF_ERROR</c> (103).</summary>
    KernelIfError = 103,

    /// <summary><c>ISCSI_KEVENT_DESTROY_SESSION</c> (104).</summary>
    KernelDestroySession = 104,

    /// <summary><c>ISCSI_KEVENT_UNBIND_SESSION</c> (105).</summary>
    KernelUnbindSession = 105,

    /// <summary><c>ISCSI_KEVENT_CREATE_SESSION</c> (106).</summary>
    KernelCreateSession = 106,

    /// <summary><c>ISCSI_KEVENT_PATH_REQ</c> (107).</summary>
    KernelPathReq = 107,

    /// <summary><c>ISCSI_KEVENT_IF_DOWN</c> (108).</summary>
    KernelIfDown = 108,

    /// <summary><c>ISCSI_KEVENT_CONN_LOGIN_STATE</c> (109).</summary>
    KernelConnLoginState = 109,

    /// <summary><c>ISCSI_KEVENT_HOST_EVENT</c> (110).</summary>
    KernelHostEvent = 110,

    /// <summary><c>ISCSI_KEVENT_PING_COMP</c> (111).</summary>
    KernelPingComp = 111,
}
