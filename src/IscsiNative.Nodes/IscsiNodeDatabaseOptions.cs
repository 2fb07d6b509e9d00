using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IscsiNative.Nodes;

/// <summary>Where the node database lives and how its lock behaves.</summary>
public sealed record IscsiNodeDatabaseOptions
{
    /// <summary>The DB root of open-iscsi up to 2.1.8 (Debian 12): <c>/etc/iscsi</c>.</summary>
    public const string LegacyRoot = "/etc/iscsi";

    /// <summary>The DB root of open-iscsi meson builds from 2.1.9: <c>/var/lib/iscsi</c>.</summary>
    public const string MesonRoot = "/var/lib/iscsi";

    /// <summary>The directory holding <c>nodes/</c>, <c>send_targets/</c> and <c>ifaces/</c>. Default <see cref="LegacyRoot"/>.</summary>
    public string Root { get; init; } = LegacyRoot;

    /// <summary>The directory holding <c>iscsid.conf</c> and <c>initiatorname.iscsi</c> (always /etc/iscsi in open-iscsi).</summary>
    public string ConfigDirectory { get; init; } = "/etc/iscsi";

    /// <summary>open-iscsi's lock directory (<c>/run/lock/iscsi</c> since 2.1.0).</summary>
    public string LockDirectory { get; init; } = "/run/lock/iscsi";

    /// <summary>How long to wait for the lock: open-iscsi tries 3000 times every 10 ms (30 s).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After <see cref="LockTimeout"/>, proceed as if locked, as open-iscsi 2.1.8 does (a lock left by a killed
    /// process is stolen); false fails with <see cref="IscsiNodeDatabaseException"/> as open-iscsi 2.1.10 does. Default true.
    /// </summary>
    public bool TakeOverStaleLock { get; init; } = true;

    /// <summary>The sysfs root for the live-session check of <see cref="IscsiNodeDatabase.Delete"/>. Default <c>/sys</c>.</summary>
    public string SysfsRoot { get; init; } = "/sys";

    /// <summary>Logger factory; never receives secrets.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>
    /// The root the installed open-iscsi uses: <see cref="MesonRoot"/> when <c>/var/lib/iscsi/nodes</c> exists and
    /// <c>/etc/iscsi/nodes</c> does not, else <see cref="LegacyRoot"/>.
    /// </summary>
    /// <returns>Options with that root.</returns>
    public static IscsiNodeDatabaseOptions ForInstalledOpenIscsi() =>
        new() { Root = Directory.Exists(Path.Combine(MesonRoot, "nodes")) && !Directory.Exists(Path.Combine(LegacyRoot, "nodes")) ? MesonRoot : LegacyRoot };
}
