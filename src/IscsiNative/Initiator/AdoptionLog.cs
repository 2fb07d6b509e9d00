using Microsoft.Extensions.Logging;

namespace IscsiNative.Initiator;

/// <summary>Log messages of session adoption.</summary>
internal static partial class AdoptionLog
{
    [LoggerMessage(EventId = 1600, Level = LogLevel.Information, Message = "Took the host session ownership lock {Path}")]
    internal static partial void OwnershipTaken(ILogger logger, string path);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Adoption of session {Sid} ({Target} at {Portal}): {Outcome} {Reason}")]
    internal static partial void Session(ILogger logger, int sid, string target, string portal, string outcome, string reason);
}
