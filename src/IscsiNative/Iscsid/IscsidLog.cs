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
}
