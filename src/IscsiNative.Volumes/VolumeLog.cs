using Microsoft.Extensions.Logging;

namespace IscsiNative.Volumes;

/// <summary>Log messages of the volume connector (never a secret).</summary>
internal static partial class VolumeLog
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "Attached {Target} LUN {Lun} as {Device} ({Paths} path(s)) in {ElapsedMs:0.0} ms")]
    internal static partial void Attached(ILogger logger, string target, int lun, string device, int paths, double elapsedMs);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Debug, Message = "{Target} LUN {Lun} is already attached as {Device}")]
    internal static partial void AlreadyAttached(ILogger logger, string target, int lun, string device);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "Attach of {Target} LUN {Lun} failed; unwinding what it created")]
    internal static partial void AttachFailed(ILogger logger, string target, int lun, Exception exception);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "Unwind step '{Step}' failed")]
    internal static partial void UnwindStepFailed(ILogger logger, string step, Exception exception);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Information, Message = "Detached {Target} LUN {Lun}: {Paths} path(s) removed, {Logouts} session(s) logged out")]
    internal static partial void Detached(ILogger logger, string target, int lun, int paths, int logouts);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Debug, Message = "Session {Sid} kept: other LUNs still use it")]
    internal static partial void SessionKept(ILogger logger, int sid);

    [LoggerMessage(EventId = 1506, Level = LogLevel.Warning, Message = "Portal {Portal} of {Target} gave no path (degraded attach)")]
    internal static partial void PortalFailed(ILogger logger, string portal, string target, Exception exception);

    [LoggerMessage(EventId = 1507, Level = LogLevel.Debug, Message = "multipathd refused 'add map' for {Map}: {Reason}; waiting for its own uevent handling")]
    internal static partial void AddMapRefused(ILogger logger, string map, string reason);

    [LoggerMessage(EventId = 1508, Level = LogLevel.Information, Message = "Extended {Target} LUN {Lun}: {Device} is {SizeBytes} bytes")]
    internal static partial void Extended(ILogger logger, string target, int lun, string device, long sizeBytes);
}
