using Microsoft.Extensions.Logging;

namespace IscsiNative.Initiator;

/// <summary>Log messages of session recovery (never with secrets or PDU data).</summary>
internal static partial class RecoveryLog
{
    [LoggerMessage(EventId = 620, Level = LogLevel.Warning, Message = "Connection {Sid}:{Cid} failed ({Error}); recovering the session")]
    internal static partial void Started(ILogger logger, uint sid, uint cid, string error);

    [LoggerMessage(EventId = 621, Level = LogLevel.Debug, Message = "Session {Sid}: reconnect attempt {Attempt} in {DelayMs:0} ms")]
    internal static partial void Waiting(ILogger logger, uint sid, int attempt, double delayMs);

    [LoggerMessage(EventId = 622, Level = LogLevel.Warning, Message = "Session {Sid}: reconnect attempt {Attempt} failed")]
    internal static partial void AttemptFailed(ILogger logger, uint sid, int attempt, Exception exception);

    [LoggerMessage(EventId = 623, Level = LogLevel.Information, Message = "Session {Sid} is operational again after {Attempts} attempt(s) in {ElapsedMs:0} ms")]
    internal static partial void Recovered(ILogger logger, uint sid, int attempts, double elapsedMs);

    [LoggerMessage(EventId = 624, Level = LogLevel.Error, Message = "Session {Sid}: giving up recovery after {Attempts} attempt(s); the session stays until logout")]
    internal static partial void GaveUp(ILogger logger, uint sid, int attempts);

    [LoggerMessage(EventId = 625, Level = LogLevel.Debug, Message = "Session {Sid}: recovery stopped ({Reason})")]
    internal static partial void Stopped(ILogger logger, uint sid, string reason);

    [LoggerMessage(EventId = 626, Level = LogLevel.Debug, Message = "Session {Sid}: {Step} failed during recovery")]
    internal static partial void StepFailed(ILogger logger, uint sid, string step, Exception exception);

    [LoggerMessage(EventId = 627, Level = LogLevel.Warning, Message = "Kernel events were lost: re-read {Sessions} owned session(s) from sysfs, {Started} recovery(ies) started")]
    internal static partial void Resynced(ILogger logger, int sessions, int started);

    [LoggerMessage(EventId = 628, Level = LogLevel.Warning, Message = "Session {Sid}: its connection failed ({Error}) while the login was finishing; recovering it now")]
    internal static partial void ErrorDuringLogin(ILogger logger, uint sid, string error);

    [LoggerMessage(EventId = 1600, Level = LogLevel.Information, Message = "Took the host session ownership lock {Path}")]
    internal static partial void OwnershipTaken(ILogger logger, string path);
}
