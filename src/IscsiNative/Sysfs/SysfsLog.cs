using Microsoft.Extensions.Logging;

namespace IscsiNative.Sysfs;

/// <summary>Log messages of the sysfs waits (device appearance, host removal).</summary>
internal static partial class SysfsLog
{
    [LoggerMessage(EventId = 1900, Level = LogLevel.Debug, Message = "Kernel uevents unavailable ({Errno}); device and host waits poll sysfs")]
    internal static partial void UeventsUnavailable(ILogger logger, string errno);

    [LoggerMessage(EventId = 1901, Level = LogLevel.Warning, Message = "Reading kernel uevents failed ({Errno}); device and host waits fall back to polling sysfs")]
    internal static partial void UeventsFailed(ILogger logger, string errno);
}
