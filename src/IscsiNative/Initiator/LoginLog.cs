using Microsoft.Extensions.Logging;

namespace IscsiNative.Initiator;

/// <summary>Log messages of kernel login and logout (never with secrets or PDU data).</summary>
internal static partial class LoginLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Debug, Message = "Login to {Target} at {Portal}: session {Sid}, host {Host}")]
    internal static partial void SessionCreated(ILogger logger, string target, string portal, uint sid, uint host);

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Logged in to {Target} at {Portal}: session {Sid}, host {Host}, {Devices} device(s) in {ElapsedMs:0.0} ms")]
    internal static partial void LoggedIn(ILogger logger, string target, string portal, int sid, int host, int devices, double elapsedMs);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "Login to {Target} at {Portal} failed at {Step}; unwinding session {Sid}")]
    internal static partial void LoginFailed(ILogger logger, string target, string portal, string step, uint? sid, Exception exception);

    [LoggerMessage(EventId = 603, Level = LogLevel.Warning, Message = "Teardown of session {Sid}: {Step} failed")]
    internal static partial void TeardownStepFailed(ILogger logger, uint sid, string step, Exception exception);

    [LoggerMessage(EventId = 604, Level = LogLevel.Warning, Message = "Session {Sid}: no Logout Response within {TimeoutMs:0} ms; tearing down anyway")]
    internal static partial void LogoutResponseMissing(ILogger logger, uint sid, double timeoutMs);

    [LoggerMessage(EventId = 605, Level = LogLevel.Information, Message = "Logged out of session {Sid}")]
    internal static partial void LoggedOut(ILogger logger, uint sid);

    [LoggerMessage(EventId = 606, Level = LogLevel.Debug, Message = "Host {Host} ignored SET_HOST_PARAM {Param}: {Errno}")]
    internal static partial void HostParamIgnored(ILogger logger, uint host, string param, string errno);

    [LoggerMessage(EventId = 607, Level = LogLevel.Warning, Message = "Could not set socket option {Option} to {Size}: {Reason}")]
    internal static partial void SocketOptionIgnored(ILogger logger, string option, int size, string reason);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Information, Message = "Loaded kernel module {Module} from {Path}")]
    internal static partial void ModuleLoaded(ILogger logger, string module, string path);
}
