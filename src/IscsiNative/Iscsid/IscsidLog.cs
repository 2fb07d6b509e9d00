using Microsoft.Extensions.Logging;

namespace IscsiNative.Iscsid;

/// <summary>Source-generated log messages of <see cref="IscsidClient"/>.</summary>
internal static partial class IscsidLog
{
    [LoggerMessage(EventId = 1401, Level = LogLevel.Debug,
        Message = "iscsid session info for sid {Sid}: {ConnectionState} / {InternalState}")]
    internal static partial void SessionState(ILogger logger, int sid, string connectionState, string internalState);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Debug,
        Message = "iscsid session info for sid {Sid} failed: ISCSI_ERR {IscsiError}, errno {Errno}")]
    internal static partial void QueryFailed(ILogger logger, int sid, int iscsiError, int errno);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Debug, Message = "iscsid logged out session {Sid}")]
    internal static partial void LoggedOut(ILogger logger, int sid);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Debug,
        Message = "iscsid logout of session {Sid} failed: ISCSI_ERR {IscsiError}, errno {Errno}")]
    internal static partial void LogoutFailed(ILogger logger, int sid, int iscsiError, int errno);
}
