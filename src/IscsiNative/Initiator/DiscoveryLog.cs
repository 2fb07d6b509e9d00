using Microsoft.Extensions.Logging;

namespace IscsiNative.Initiator;

/// <summary>Log messages of discovery; they name portals and targets, never credentials.</summary>
internal static partial class DiscoveryLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Discovery at {Portal}: logging in (CHAP: {UsesChap})")]
    public static partial void LoggingIn(ILogger logger, string portal, bool usesChap);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Discovery at {Portal}: logged in, TSIH {Tsih}, target MaxRecvDataSegmentLength {MaxXmit}")]
    public static partial void LoggedIn(ILogger logger, string portal, ushort tsih, int maxXmit);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Discovery at {Portal}: {TargetCount} targets, {PortalCount} portals")]
    public static partial void Discovered(ILogger logger, string portal, int targetCount, int portalCount);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Discovery at {Portal}: logout failed after a complete SendTargets response")]
    public static partial void LogoutFailed(ILogger logger, string portal, Exception exception);
}
