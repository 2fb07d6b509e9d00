namespace IscsiNative;

/// <summary>Why the kernel reported a connection error: the values of <c>enum iscsi_err</c> (<c>ISCSI_ERR_BASE</c> = 1000), checked against the kernel header by a test.</summary>
public enum IscsiConnectionError : uint
{
    /// <summary><c>ISCSI_OK</c>.</summary>
    Ok = 0,

    /// <summary><c>ISCSI_ERR_DATASN</c>.</summary>
    Datasn = 1001,

    /// <summary><c>ISCSI_ERR_DATA_OFFSET</c>.</summary>
    DataOffset = 1002,

    /// <summary><c>ISCSI_ERR_MAX_CMDSN</c>.</summary>
    MaxCmdsn = 1003,

    /// <summary><c>ISCSI_ERR_EXP_CMDSN</c>.</summary>
    ExpCmdsn = 1004,

    /// <summary><c>ISCSI_ERR_BAD_OPCODE</c>.</summary>
    BadOpcode = 1005,

    /// <summary><c>ISCSI_ERR_DATALEN</c>.</summary>
    Datalen = 1006,

    /// <summary><c>ISCSI_ERR_AHSLEN</c>.</summary>
    Ahslen = 1007,

    /// <summary><c>ISCSI_ERR_PROTO</c>.</summary>
    Proto = 1008,

    /// <summary><c>ISCSI_ERR_LUN</c>.</summary>
    Lun = 1009,

    /// <summary><c>ISCSI_ERR_BAD_ITT</c>.</summary>
    BadItt = 1010,

    /// <summary><c>ISCSI_ERR_CONN_FAILED</c>.</summary>
    ConnFailed = 1011,

    /// <summary><c>ISCSI_ERR_R2TSN</c>.</summary>
    R2tsn = 1012,

    /// <summary><c>ISCSI_ERR_SESSION_FAILED</c>.</summary>
    SessionFailed = 1013,

    /// <summary><c>ISCSI_ERR_HDR_DGST</c>.</summary>
    HdrDgst = 1014,

    /// <summary><c>ISCSI_ERR_DATA_DGST</c>.</summary>
    DataDgst = 1015,

    /// <summary><c>ISCSI_ERR_PARAM_NOT_FOUND</c>.</summary>
    ParamNotFound = 1016,

    /// <summary><c>ISCSI_ERR_NO_SCSI_CMD</c>.</summary>
    NoScsiCmd = 1017,

    /// <summary><c>ISCSI_ERR_INVALID_HOST</c>.</summary>
    InvalidHost = 1018,

    /// <summary><c>ISCSI_ERR_XMIT_FAILED</c>.</summary>
    XmitFailed = 1019,

    /// <summary><c>ISCSI_ERR_TCP_CONN_CLOSE</c>.</summary>
    TcpConnClose = 1020,

    /// <summary><c>ISCSI_ERR_SCSI_EH_SESSION_RST</c>.</summary>
    ScsiEhSessionRst = 1021,

    /// <summary><c>ISCSI_ERR_NOP_TIMEDOUT</c>.</summary>
    NopTimedout = 1022,
}
