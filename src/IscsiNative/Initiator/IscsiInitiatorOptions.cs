using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IscsiNative.Initiator;

/// <summary>Settings shared by every operation of an <see cref="IscsiInitiator"/>.</summary>
public sealed record IscsiInitiatorOptions
{
    /// <summary>Root of the sysfs tree to read; tests point it at a fixture tree. Default <c>/sys</c>.</summary>
    public string SysfsRoot { get; init; } = "/sys";

    /// <summary>Where log messages go; silent by default. Secrets are never logged.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}
