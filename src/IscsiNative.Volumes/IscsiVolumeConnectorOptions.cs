using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IscsiNative.Volumes;

/// <summary>Settings of an <see cref="IscsiVolumeConnector"/>.</summary>
public sealed record IscsiVolumeConnectorOptions
{
    /// <summary>Gets the sysfs root. Default <c>/sys</c>.</summary>
    public string SysfsRoot { get; init; } = "/sys";

    /// <summary>Gets the directory of the host-wide lock files (one per target and per volume). Default <c>/run/lock/iscsinative</c>.</summary>
    public string LockDirectory { get; init; } = "/run/lock/iscsinative";

    /// <summary>Gets the bound on one multipathd command. Default 30 s.</summary>
    public TimeSpan MultipathdTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets where log messages go; silent by default. Secrets are never logged.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}
