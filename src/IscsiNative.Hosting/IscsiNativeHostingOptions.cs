using IscsiNative.Initiator;
using IscsiNative.Nodes;

namespace IscsiNative.Hosting;

/// <summary>
/// Settings of the iSCSI session owner service (<c>services.AddIscsiNative(configuration)</c>),
/// bound from configuration (section <c>IscsiNative</c> by convention) and validated at start.
/// </summary>
public sealed class IscsiNativeHostingOptions
{
    /// <summary>The conventional configuration section name.</summary>
    public const string SectionName = "IscsiNative";

    /// <summary>The node database root (<c>/etc/iscsi</c> on Debian, <c>/var/lib/iscsi</c> for meson builds). Must be absolute.</summary>
    public string DatabaseRoot { get; set; } = IscsiNodeDatabaseOptions.LegacyRoot;

    /// <summary>Where iscsid.conf and initiatorname.iscsi are. Must be absolute.</summary>
    public string ConfigDirectory { get; set; } = "/etc/iscsi";

    /// <summary>The node database lock directory (shared with iscsiadm). Must be absolute.</summary>
    public string DatabaseLockDirectory { get; set; } = "/run/lock/iscsi";

    /// <summary>The host ownership lock directory. Must be absolute.</summary>
    public string OwnershipLockDirectory { get; set; } = IscsiAdoptionOptions.DefaultLockDirectory;

    /// <summary>
    /// Which startup classes to log in at start (iscsiadm's <c>--loginall=MODE</c> for each); null or empty means
    /// <c>[Automatic]</c>. <see cref="IscsiNodeStartupFilter.Manual"/> is refused: it matches every automatic node too.
    /// </summary>
    public IscsiNodeStartupFilter[]? Restore { get; set; }

    /// <summary>Adopt the sessions already in sysfs at start (after a restart or crash). Default true.</summary>
    public bool AdoptExistingSessions { get; set; } = true;

    /// <summary>Logins running at once (1..64). Default 8.</summary>
    public int MaxParallelLogins { get; set; } = 8;

    /// <summary>Bound on the whole restore at start (adoption + logins). Default 5 min; 1 s .. 1 h.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Log out of the owned sessions when the service stops. Default false: storage survives a service restart.</summary>
    public bool LogoutOnStop { get; set; }

    /// <summary>How long each logout at stop waits for the target's answer. Default 15 s; 1 s .. 5 min.</summary>
    public TimeSpan LogoutTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Fail the start (the host does not start) when another owner (iscsid or another process) has the sessions. Default false: report it (health Unhealthy) and do nothing.</summary>
    public bool FailWhenNotOwner { get; set; }

    /// <summary>The startup filters in effect.</summary>
    internal IReadOnlyList<IscsiNodeStartupFilter> EffectiveRestore => Restore is { Length: > 0 } r ? [.. r.Distinct()] : [IscsiNodeStartupFilter.Automatic];
}
