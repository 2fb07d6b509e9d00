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

    /// <summary>
    /// How many recovery reconnects of this initiator may run against one portal (address and port) at the same time;
    /// the others wait for a slot. When a target with many sessions comes back, reconnecting all of them in the same
    /// instant swamps its login thread and the kernel's event path, and the attempts fail and retry together (256
    /// sessions did not converge in 180 s without a bound; with 8 they all recovered in 8–23 s). Default 8; at least 1.
    /// </summary>
    public int MaxConcurrentReconnectsPerPortal { get; init; } = 8;
}
