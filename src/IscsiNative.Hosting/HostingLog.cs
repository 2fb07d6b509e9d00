using Microsoft.Extensions.Logging;

namespace IscsiNative.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(EventId = 1700, Level = LogLevel.Information, Message = "iSCSI sessions restored: {Adopted} adopted, {LoggedIn} logged in, {Failed} logins failed, in {ElapsedMs:0} ms")]
    internal static partial void Restored(ILogger logger, int adopted, int loggedIn, int failed, double elapsedMs);

    [LoggerMessage(EventId = 1701, Level = LogLevel.Error, Message = "Not the iSCSI session owner ({Owner}): {Reason}")]
    internal static partial void NotOwner(ILogger logger, string owner, string reason);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Warning, Message = "Session {Sid} ({Target}) not adopted: {Outcome} {Reason}")]
    internal static partial void NotAdopted(ILogger logger, int sid, string target, string outcome, string reason);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Warning, Message = "Login of {Target} at {Portal} failed")]
    internal static partial void LoginFailed(ILogger logger, string target, string portal, Exception exception);

    [LoggerMessage(EventId = 1704, Level = LogLevel.Critical, Message = "iSCSI session restore failed: {Reason}")]
    internal static partial void StartFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 1705, Level = LogLevel.Warning, Message = "Logout of session {Sid} at stop failed")]
    internal static partial void LogoutFailed(ILogger logger, int sid, Exception exception);

    [LoggerMessage(EventId = 1707, Level = LogLevel.Warning, Message = "Session {Sid} ({Target}) left unowned: AdoptExistingSessions is false, nobody recovers its connection errors")]
    internal static partial void LeftUnadopted(ILogger logger, int sid, string target);

    [LoggerMessage(EventId = 1706, Level = LogLevel.Error, Message = "Watching iSCSI events stopped")]
    internal static partial void WatchFailed(ILogger logger, Exception exception);
}
