using Microsoft.Extensions.Logging;

namespace IscsiNative.Nodes;

/// <summary>Log messages of the node database and the record logins (never with a secret).</summary>
internal static partial class NodesLog
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Warning, Message = "Node DB lock {LockFile} not free after {Seconds:0} s; taking it over as open-iscsi 2.1.8 does")]
    internal static partial void StaleLockTakenOver(ILogger logger, string lockFile, double seconds);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "Could not remove the node DB lock {LockFile}")]
    internal static partial void UnlockFailed(ILogger logger, string lockFile, Exception exception);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "Skipping a malformed record: {Message}")]
    internal static partial void MalformedRecord(ILogger logger, string message);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Debug, Message = "Wrote node record {Path}")]
    internal static partial void RecordWritten(ILogger logger, string path);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Warning, Message = "Login of node {Node} failed")]
    internal static partial void NodeLoginFailed(ILogger logger, string node, Exception exception);
}
