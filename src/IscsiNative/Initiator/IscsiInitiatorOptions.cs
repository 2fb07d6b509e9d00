using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IscsiNative.Initiator;

/// <summary>Settings shared by every operation of an <see cref="IscsiInitiator"/>.</summary>
public sealed record IscsiInitiatorOptions
{
    /// <summary>Root of the sysfs tree to read; tests point it at a fixture tree. Default <c>/sys</c>.</summary>
    public string SysfsRoot { get; init; } = "/sys";

    /// <summary>Directory of device nodes, checked when waiting for block devices; tests point it at a fixture. Default <c>/dev</c>.</summary>
    public string DevRoot { get; init; } = "/dev";

    /// <summary>Where log messages go; silent by default. Secrets are never logged.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}
