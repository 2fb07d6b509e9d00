using System.Globalization;
using IscsiNative.Initiator;
using IscsiNative.Protocol;

namespace IscsiNative.Volumes;

/// <summary>
/// What to attach: one LUN of one target, reached through one or more portals (one session per portal), with
/// optional session and discovery CHAP and dm-multipath. <see cref="Validate"/> checks it; the connector calls it.
/// </summary>
public sealed record VolumeSpec
{
    /// <summary>The largest LUN accepted (SAM flat space, as udev's path_id handles it).</summary>
    public const int MaxLun = 16383;

    /// <summary>Gets the target IQN (or eui./naa. name).</summary>
    public required string TargetName { get; init; }

    /// <summary>Gets the portals: <c>IPv4[:port]</c>, <c>[IPv6]:port</c> or <c>hostname[:port]</c> (resolved at attach).</summary>
    public required IReadOnlyList<string> Portals { get; init; }

    /// <summary>Gets the LUN.</summary>
    public required int Lun { get; init; }

    /// <summary>Gets the session CHAP credentials (one-way or mutual); null for none. The caller keeps ownership.</summary>
    public ChapCredentials? Credentials { get; init; }

    /// <summary>
    /// Gets the discovery CHAP credentials. When set, or when <see cref="Discover"/> is true, each portal is asked
    /// (SendTargets) whether it has the target before the login.
    /// </summary>
    public ChapCredentials? DiscoveryCredentials { get; init; }

    /// <summary>Gets a value indicating whether a SendTargets discovery checks each portal first. Default false.</summary>
    public bool Discover { get; init; }

    /// <summary>Gets a value indicating whether the paths are assembled by multipathd into a dm device. Default false (one portal only).</summary>
    public bool Multipath { get; init; }

    /// <summary>
    /// Gets a value indicating whether a multipath attach may succeed with fewer paths than portals (at least one).
    /// </summary>
    /// <remarks>
    /// <para>
    /// Default false: every portal must give a path. When one does not (connection refused or timed out after
    /// <see cref="ConnectTimeout"/>, login refused, CHAP failure, no such LUN there), the attach throws that portal's
    /// <see cref="IscsiVolumeException"/> (<see cref="VolumeError.LoginFailed"/>, <see cref="VolumeError.AuthenticationFailed"/>,
    /// ...) after removing what the other portals created: their disks and the sessions this attach logged in.
    /// </para>
    /// <para>
    /// True: the portals that give a path are assembled into the map (multipathd sees only those), the others are
    /// listed in <see cref="AttachedVolume.FailedPortals"/> and logged as warnings; the attach still fails when no
    /// portal gives a path, when it is cancelled, or when its deadline passes. Only with <see cref="Multipath"/>.
    /// </para>
    /// </remarks>
    public bool AllowDegraded { get; init; }

    /// <summary>Gets the iface name (sysfs <c>ifacename</c>); default <c>default</c>.</summary>
    public string IfaceName { get; init; } = "default";

    /// <summary>Gets the initiator IQN; null reads /etc/iscsi/initiatorname.iscsi.</summary>
    public string? InitiatorName { get; init; }

    /// <summary>Gets the bound on one portal's TCP connect. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the bound on one portal's login exchange. Default 15 s.</summary>
    public TimeSpan LoginTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets the deadline of the whole attach (logins, scans, devices, map). Default 60 s.</summary>
    public TimeSpan AttachTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets the deadline of a detach (flush, map removal, device deletes, logouts). Default 60 s.</summary>
    public TimeSpan DetachTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Gets the session recovery timeout (replacement_timeout) for sessions this connector creates. Default 120 s;
    /// with multipath, 5–15 s lets the map fail over quickly (open-iscsi README §8.1.4).
    /// </summary>
    public int RecoveryTimeout { get; init; } = 120;

    /// <summary>Checks every field.</summary>
    /// <exception cref="IscsiVolumeException">With <see cref="VolumeError.InvalidSpec"/>, naming the field.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(TargetName) || TargetName.Length > 223
            || !(TargetName.StartsWith("iqn.", StringComparison.Ordinal) || TargetName.StartsWith("eui.", StringComparison.Ordinal) || TargetName.StartsWith("naa.", StringComparison.Ordinal))
            || TargetName.AsSpan().IndexOfAny(" \t\r\n\0,") >= 0)
        {
            throw Invalid(nameof(TargetName), "must be an iqn., eui. or naa. name of at most 223 characters without spaces");
        }

        if (Portals is null || Portals.Count == 0)
        {
            throw Invalid(nameof(Portals), "at least one portal is needed");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string portal in Portals)
        {
            if (!TryParsePortal(portal, out IscsiPortal? parsed))
            {
                throw Invalid(nameof(Portals), $"'{portal}' is not IP[:PORT], [IPv6]:PORT or HOSTNAME[:PORT]");
            }

            if (!seen.Add(parsed.ToString()))
            {
                throw Invalid(nameof(Portals), $"'{portal}' is listed twice");
            }
        }

        if (!Multipath && Portals.Count > 1)
        {
            throw Invalid(nameof(Portals), "more than one portal needs Multipath = true");
        }

        if (Lun is < 0 or > MaxLun)
        {
            throw Invalid(nameof(Lun), string.Create(CultureInfo.InvariantCulture, $"must be 0..{MaxLun}"));
        }

        if (string.IsNullOrWhiteSpace(IfaceName) || IfaceName.AsSpan().IndexOfAny(" /\t\r\n\0") >= 0)
        {
            throw Invalid(nameof(IfaceName), "must be a non-empty name without spaces or slashes");
        }

        if (InitiatorName is not null && (InitiatorName.Length == 0 || InitiatorName.AsSpan().IndexOfAny(" \t\r\n\0") >= 0))
        {
            throw Invalid(nameof(InitiatorName), "must be an IQN without spaces");
        }

        Positive(ConnectTimeout, nameof(ConnectTimeout));
        Positive(LoginTimeout, nameof(LoginTimeout));
        Positive(AttachTimeout, nameof(AttachTimeout));
        Positive(DetachTimeout, nameof(DetachTimeout));
        if (RecoveryTimeout is 0 or < -1)
        {
            throw Invalid(nameof(RecoveryTimeout), "must be positive seconds or -1 (forever)");
        }
    }

    /// <summary>The portal with its port (3260 when none was given); the address may still be a host name.</summary>
    internal static bool TryParsePortal(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IscsiPortal? portal)
    {
        if (!IscsiPortal.TryParse(text, out portal))
        {
            return false;
        }

        if (System.Net.IPAddress.TryParse(portal.Address, out _))
        {
            return true;
        }

        // A host name: letters, digits, '-' and '.', not starting with '-' or '.'.
        string host = portal.Address;
        bool valid = host.Length <= 253 && !host.StartsWith('-') && !host.StartsWith('.');
        foreach (char c in host)
        {
            valid &= char.IsAsciiLetterOrDigit(c) || c is '-' or '.';
        }

        portal = valid ? portal : null;
        return valid;
    }

    private static IscsiVolumeException Invalid(string field, string why) =>
        new(VolumeError.InvalidSpec, $"Invalid volume spec: {field} {why}.");

    private static void Positive(TimeSpan value, string field)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromHours(1))
        {
            throw Invalid(field, "must be more than 0 and at most 1 h");
        }
    }
}
