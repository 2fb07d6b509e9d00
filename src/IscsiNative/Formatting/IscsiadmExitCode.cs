namespace IscsiNative.Formatting;

/// <summary>
/// iscsiadm's exit codes (open-iscsi include/iscsi_err.h, <c>ISCSI_ERR_*</c>); iscsiadm returns them as its process exit status.
/// </summary>
internal enum IscsiadmExitCode
{
    /// <summary>0, ISCSI_SUCCESS.</summary>
    Success = 0,

    /// <summary>1, ISCSI_ERR (unknown error).</summary>
    Error = 1,

    /// <summary>2, ISCSI_ERR_SESS_NOT_FOUND (session not found).</summary>
    SessionNotFound = 2,

    /// <summary>3, ISCSI_ERR_NOMEM (no available memory).</summary>
    NoMemory = 3,

    /// <summary>4, ISCSI_ERR_TRANS (encountered connection failure).</summary>
    Transport = 4,

    /// <summary>5, ISCSI_ERR_LOGIN (encountered iSCSI login failure).</summary>
    Login = 5,

    /// <summary>6, ISCSI_ERR_IDBM (encountered iSCSI database failure).</summary>
    Idbm = 6,

    /// <summary>7, ISCSI_ERR_INVAL (invalid parameter).</summary>
    InvalidParameter = 7,

    /// <summary>8, ISCSI_ERR_TRANS_TIMEOUT (connection timed out).</summary>
    TransportTimeout = 8,

    /// <summary>9, ISCSI_ERR_INTERNAL (internal error).</summary>
    Internal = 9,

    /// <summary>10, ISCSI_ERR_LOGOUT (encountered iSCSI logout failure).</summary>
    Logout = 10,

    /// <summary>11, ISCSI_ERR_PDU_TIMEOUT (iSCSI PDU timed out).</summary>
    PduTimeout = 11,

    /// <summary>12, ISCSI_ERR_TRANS_NOT_FOUND (iSCSI driver not found).</summary>
    TransportNotFound = 12,

    /// <summary>13, ISCSI_ERR_ACCESS (daemon access denied).</summary>
    Access = 13,

    /// <summary>14, ISCSI_ERR_TRANS_CAPS (iSCSI driver does not support requested capability).</summary>
    TransportCapabilities = 14,

    /// <summary>15, ISCSI_ERR_SESS_EXISTS (session exists).</summary>
    SessionExists = 15,

    /// <summary>16, ISCSI_ERR_INVALID_MGMT_REQ (Unknown request).</summary>
    InvalidManagementRequest = 16,

    /// <summary>17, ISCSI_ERR_ISNS_UNAVAILABLE (iSNS service not supported).</summary>
    IsnsUnavailable = 17,

    /// <summary>18, ISCSI_ERR_ISCSID_COMM_ERR (could not communicate to iscsid).</summary>
    IscsidCommunicationError = 18,

    /// <summary>19, ISCSI_ERR_FATAL_LOGIN (encountered non-retryable iSCSI login failure).</summary>
    FatalLogin = 19,

    /// <summary>20, ISCSI_ERR_ISCSID_NOTCONN (could not connect to iscsid).</summary>
    IscsidNotConnected = 20,

    /// <summary>21, ISCSI_ERR_NO_OBJS_FOUND (no objects found).</summary>
    NoObjectsFound = 21,

    /// <summary>22, ISCSI_ERR_SYSFS_LOOKUP (sysfs lookup failure).</summary>
    SysfsLookup = 22,

    /// <summary>23, ISCSI_ERR_HOST_NOT_FOUND (host not found).</summary>
    HostNotFound = 23,

    /// <summary>24, ISCSI_ERR_LOGIN_AUTH_FAILED (iSCSI login failed due to authorization failure).</summary>
    LoginAuthenticationFailed = 24,

    /// <summary>25, ISCSI_ERR_ISNS_QUERY (iSNS query failed).</summary>
    IsnsQuery = 25,

    /// <summary>26, ISCSI_ERR_ISNS_REG_FAILED (iSNS registration failed).</summary>
    IsnsRegistrationFailed = 26,

    /// <summary>27, ISCSI_ERR_OP_NOT_SUPP (operation not supported).</summary>
    OperationNotSupported = 27,

    /// <summary>28, ISCSI_ERR_BUSY (device or resource in use).</summary>
    Busy = 28,

    /// <summary>29, ISCSI_ERR_AGAIN (operation failed but retry may succeed).</summary>
    Again = 29,

    /// <summary>30, ISCSI_ERR_UNKNOWN_DISCOVERY_TYPE (unknown discovery type).</summary>
    UnknownDiscoveryType = 30,

    /// <summary>31, ISCSI_ERR_CHILD_TERMINATED (child process terminated).</summary>
    ChildTerminated = 31,

    /// <summary>32, ISCSI_ERR_SESSION_NOT_CONNECTED (target likely not connected).</summary>
    SessionNotConnected = 32,

    /// <summary>33, ISCSI_ERR_REQ_TIMEDOUT (iscsid request timed out).</summary>
    RequestTimedOut = 33,
}
