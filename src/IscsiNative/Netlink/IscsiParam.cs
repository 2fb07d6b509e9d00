namespace IscsiNative.Netlink;

/// <summary>
/// <c>enum iscsi_param</c> of include/scsi/iscsi_if.h (kernel 6.1): the parameter numbers of
/// ISCSI_UEVENT_SET_PARAM. iscsi_tcp rejects the ones it does not handle with ENOSYS.
/// </summary>
internal enum IscsiParam : uint
{
    /// <summary><c>ISCSI_PARAM_MAX_RECV_DLENGTH</c>.</summary>
    MaxRecvDlength = 0,

    /// <summary><c>ISCSI_PARAM_MAX_XMIT_DLENGTH</c>.</summary>
    MaxXmitDlength = 1,

    /// <summary><c>ISCSI_PARAM_HDRDGST_EN</c>.</summary>
    HdrdgstEn = 2,

    /// <summary><c>ISCSI_PARAM_DATADGST_EN</c>.</summary>
    DatadgstEn = 3,

    /// <summary><c>ISCSI_PARAM_INITIAL_R2T_EN</c>.</summary>
    InitialR2tEn = 4,

    /// <summary><c>ISCSI_PARAM_MAX_R2T</c>.</summary>
    MaxR2t = 5,

    /// <summary><c>ISCSI_PARAM_IMM_DATA_EN</c>.</summary>
    ImmDataEn = 6,

    /// <summary><c>ISCSI_PARAM_FIRST_BURST</c>.</summary>
    FirstBurst = 7,

    /// <summary><c>ISCSI_PARAM_MAX_BURST</c>.</summary>
    MaxBurst = 8,

    /// <summary><c>ISCSI_PARAM_PDU_INORDER_EN</c>.</summary>
    PduInorderEn = 9,

    /// <summary><c>ISCSI_PARAM_DATASEQ_INORDER_EN</c>.</summary>
    DataseqInorderEn = 10,

    /// <summary><c>ISCSI_PARAM_ERL</c>.</summary>
    Erl = 11,

    /// <summary><c>ISCSI_PARAM_IFMARKER_EN</c>.</summary>
    IfmarkerEn = 12,

    /// <summary><c>ISCSI_PARAM_OFMARKER_EN</c>.</summary>
    OfmarkerEn = 13,

    /// <summary><c>ISCSI_PARAM_EXP_STATSN</c>.</summary>
    ExpStatsn = 14,

    /// <summary><c>ISCSI_PARAM_TARGET_NAME</c>.</summary>
    TargetName = 15,

    /// <summary><c>ISCSI_PARAM_TPGT</c>.</summary>
    Tpgt = 16,

    /// <summary><c>ISCSI_PARAM_PERSISTENT_ADDRESS</c>.</summary>
    PersistentAddress = 17,

    /// <summary><c>ISCSI_PARAM_PERSISTENT_PORT</c>.</summary>
    PersistentPort = 18,

    /// <summary><c>ISCSI_PARAM_SESS_RECOVERY_TMO</c>.</summary>
    SessRecoveryTmo = 19,

    /// <summary><c>ISCSI_PARAM_CONN_PORT</c>.</summary>
    ConnPort = 20,

    /// <summary><c>ISCSI_PARAM_CONN_ADDRESS</c>.</summary>
    ConnAddress = 21,

    /// <summary><c>ISCSI_PARAM_USERNAME</c>.</summary>
    Username = 22,

    /// <summary><c>ISCSI_PARAM_USERNAME_IN</c>.</summary>
    UsernameIn = 23,

    /// <summary><c>ISCSI_PARAM_PASSWORD</c>.</summary>
    Password = 24,

    /// <summary><c>ISCSI_PARAM_PASSWORD_IN</c>.</summary>
    PasswordIn = 25,

    /// <summary><c>ISCSI_PARAM_FAST_ABORT</c>.</summary>
    FastAbort = 26,

    /// <summary><c>ISCSI_PARAM_ABORT_TMO</c>.</summary>
    AbortTmo = 27,

    /// <summary><c>ISCSI_PARAM_LU_RESET_TMO</c>.</summary>
    LuResetTmo = 28,

    /// <summary><c>ISCSI_PARAM_HOST_RESET_TMO</c>.</summary>
    HostResetTmo = 29,

    /// <summary><c>ISCSI_PARAM_PING_TMO</c>.</summary>
    PingTmo = 30,

    /// <summary><c>ISCSI_PARAM_RECV_TMO</c>.</summary>
    RecvTmo = 31,

    /// <summary><c>ISCSI_PARAM_IFACE_NAME</c>.</summary>
    IfaceName = 32,

    /// <summary><c>ISCSI_PARAM_ISID</c>.</summary>
    Isid = 33,

    /// <summary><c>ISCSI_PARAM_INITIATOR_NAME</c>.</summary>
    InitiatorName = 34,

    /// <summary><c>ISCSI_PARAM_TGT_RESET_TMO</c>.</summary>
    TgtResetTmo = 35,

    /// <summary><c>ISCSI_PARAM_TARGET_ALIAS</c>.</summary>
    TargetAlias = 36,

    /// <summary><c>ISCSI_PARAM_CHAP_IN_IDX</c>.</summary>
    ChapInIdx = 37,

    /// <summary><c>ISCSI_PARAM_CHAP_OUT_IDX</c>.</summary>
    ChapOutIdx = 38,

    /// <summary><c>ISCSI_PARAM_BOOT_ROOT</c>.</summary>
    BootRoot = 39,

    /// <summary><c>ISCSI_PARAM_BOOT_NIC</c>.</summary>
    BootNic = 40,

    /// <summary><c>ISCSI_PARAM_BOOT_TARGET</c>.</summary>
    BootTarget = 41,

    /// <summary><c>ISCSI_PARAM_AUTO_SND_TGT_DISABLE</c>.</summary>
    AutoSndTgtDisable = 42,

    /// <summary><c>ISCSI_PARAM_DISCOVERY_SESS</c>.</summary>
    DiscoverySess = 43,

    /// <summary><c>ISCSI_PARAM_PORTAL_TYPE</c>.</summary>
    PortalType = 44,

    /// <summary><c>ISCSI_PARAM_CHAP_AUTH_EN</c>.</summary>
    ChapAuthEn = 45,

    /// <summary><c>ISCSI_PARAM_DISCOVERY_LOGOUT_EN</c>.</summary>
    DiscoveryLogoutEn = 46,

    /// <summary><c>ISCSI_PARAM_BIDI_CHAP_EN</c>.</summary>
    BidiChapEn = 47,

    /// <summary><c>ISCSI_PARAM_DISCOVERY_AUTH_OPTIONAL</c>.</summary>
    DiscoveryAuthOptional = 48,

    /// <summary><c>ISCSI_PARAM_DEF_TIME2WAIT</c>.</summary>
    DefTime2wait = 49,

    /// <summary><c>ISCSI_PARAM_DEF_TIME2RETAIN</c>.</summary>
    DefTime2retain = 50,

    /// <summary><c>ISCSI_PARAM_MAX_SEGMENT_SIZE</c>.</summary>
    MaxSegmentSize = 51,

    /// <summary><c>ISCSI_PARAM_STATSN</c>.</summary>
    Statsn = 52,

    /// <summary><c>ISCSI_PARAM_KEEPALIVE_TMO</c>.</summary>
    KeepaliveTmo = 53,

    /// <summary><c>ISCSI_PARAM_LOCAL_PORT</c>.</summary>
    LocalPort = 54,

    /// <summary><c>ISCSI_PARAM_TSID</c>.</summary>
    Tsid = 55,

    /// <summary><c>ISCSI_PARAM_DEF_TASKMGMT_TMO</c>.</summary>
    DefTaskmgmtTmo = 56,

    /// <summary><c>ISCSI_PARAM_TCP_TIMESTAMP_STAT</c>.</summary>
    TcpTimestampStat = 57,

    /// <summary><c>ISCSI_PARAM_TCP_WSF_DISABLE</c>.</summary>
    TcpWsfDisable = 58,

    /// <summary><c>ISCSI_PARAM_TCP_NAGLE_DISABLE</c>.</summary>
    TcpNagleDisable = 59,

    /// <summary><c>ISCSI_PARAM_TCP_TIMER_SCALE</c>.</summary>
    TcpTimerScale = 60,

    /// <summary><c>ISCSI_PARAM_TCP_TIMESTAMP_EN</c>.</summary>
    TcpTimestampEn = 61,

    /// <summary><c>ISCSI_PARAM_TCP_XMIT_WSF</c>.</summary>
    TcpXmitWsf = 62,

    /// <summary><c>ISCSI_PARAM_TCP_RECV_WSF</c>.</summary>
    TcpRecvWsf = 63,

    /// <summary><c>ISCSI_PARAM_IP_FRAGMENT_DISABLE</c>.</summary>
    IpFragmentDisable = 64,

    /// <summary><c>ISCSI_PARAM_IPV4_TOS</c>.</summary>
    Ipv4Tos = 65,

    /// <summary><c>ISCSI_PARAM_IPV6_TC</c>.</summary>
    Ipv6Tc = 66,

    /// <summary><c>ISCSI_PARAM_IPV6_FLOW_LABEL</c>.</summary>
    Ipv6FlowLabel = 67,

    /// <summary><c>ISCSI_PARAM_IS_FW_ASSIGNED_IPV6</c>.</summary>
    IsFwAssignedIpv6 = 68,

    /// <summary><c>ISCSI_PARAM_DISCOVERY_PARENT_IDX</c>.</summary>
    DiscoveryParentIdx = 69,

    /// <summary><c>ISCSI_PARAM_DISCOVERY_PARENT_TYPE</c>.</summary>
    DiscoveryParentType = 70,

    /// <summary><c>ISCSI_PARAM_LOCAL_IPADDR</c>.</summary>
    LocalIpaddr = 71,
}
