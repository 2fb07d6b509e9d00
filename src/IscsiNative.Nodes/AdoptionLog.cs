using Microsoft.Extensions.Logging;

namespace IscsiNative.Nodes;

/// <summary>Log messages of session adoption.</summary>
internal static partial class AdoptionLog
{
    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Adoption of session {Sid} ({Target} at {Portal}): {Outcome} {Reason}")]
    internal static partial void Session(ILogger logger, int sid, string target, string portal, string outcome, string reason);
}
