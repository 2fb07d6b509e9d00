using IscsiNative.Initiator;
using IscsiNative.Sysfs;

namespace IscsiNative.Nodes;

/// <summary>Settings of <see cref="IscsiNodeLogins.AdoptSessionsAsync"/>.</summary>
public sealed record IscsiAdoptionOptions
{
    /// <summary>The default directory of the host ownership lock (<c>owner.lock</c>, flock'ed, holds the owner's pid).</summary>
    public const string DefaultLockDirectory = "/run/lock/iscsinative";

    /// <summary>Where the host-wide ownership lock lives. Default <see cref="DefaultLockDirectory"/>.</summary>
    public string LockDirectory { get; init; } = DefaultLockDirectory;

    /// <summary>
    /// Refuse to adopt while iscsid runs (<see cref="IscsiOwnershipException"/> with <see cref="IscsiSessionOwnerKind.Iscsid"/>).
    /// Default true: iscsid answers the connection errors of the sessions it knows, and two re-logins would fight.
    /// </summary>
    public bool RefuseWhenIscsidRuns { get; init; } = true;

    /// <summary>Start the recovery of a session that is already FAILED (or FREE) at adoption: its CONN_ERROR went to nobody. Default true.</summary>
    public bool RecoverFailedSessions { get; init; } = true;

    /// <summary>How adopted sessions reconnect after a connection error.</summary>
    public SessionRecoveryOptions Recovery { get; init; } = new();

    /// <summary>The abstract unix socket name iscsid listens on (tests use their own).</summary>
    public string IscsidAbstractName { get; init; } = Iscsid.IscsidClient.DefaultAbstractName;

    /// <summary>procfs (for <c>net/unix</c> and iscsid's pid check); tests point it at a fixture.</summary>
    internal string ProcRoot { get; init; } = "/proc";

    /// <summary>iscsid's pid file.</summary>
    internal string IscsidPidFile { get; init; } = "/run/iscsid.pid";
}

/// <summary>What <see cref="IscsiNodeLogins.AdoptSessionsAsync"/> did with one session found in sysfs.</summary>
public enum IscsiAdoptionOutcome
{
    /// <summary>Adopted: its connection errors are recovered by this initiator from now on.</summary>
    Adopted,

    /// <summary>Adopted while FAILED or FREE (its CONN_ERROR was missed); its recovery was started.</summary>
    AdoptedAndRecovering,

    /// <summary>This initiator already owns it (it logged it in, or adopted it before).</summary>
    AlreadyOwned,

    /// <summary>No node record for (target, portal, iface): not adopted (nothing to re-login with).</summary>
    NoRecord,

    /// <summary>A record exists for the target but no longer matches the session (another portal, or another TPGT): not adopted.</summary>
    RecordMismatch,

    /// <summary>Not a session this library can recover (kernel/firmware-created, flash node, or not iscsi_tcp).</summary>
    NotAdoptable,
}

/// <summary>One session found at adoption, and what became of it.</summary>
/// <param name="Sid">The kernel session id.</param>
/// <param name="TargetName">The target IQN from sysfs.</param>
/// <param name="Portal">The persistent portal of connection 0, or null when sysfs has none.</param>
/// <param name="IfaceName">The iface name from sysfs.</param>
/// <param name="State">The session state read at adoption.</param>
/// <param name="Outcome">What was done.</param>
/// <param name="Node">The matching record (<see cref="IscsiAdoptionOutcome.Adopted"/>, <see cref="IscsiAdoptionOutcome.AdoptedAndRecovering"/>), or null.</param>
/// <param name="Reason">Why it was not adopted, or null.</param>
public sealed record IscsiAdoptedSession(
    int Sid, string TargetName, IscsiPortal? Portal, string IfaceName, IscsiSessionState State, IscsiAdoptionOutcome Outcome, IscsiNodeRecord? Node, string? Reason)
{
    /// <summary>Whether this initiator owns the session now.</summary>
    public bool IsOwned => Outcome is IscsiAdoptionOutcome.Adopted or IscsiAdoptionOutcome.AdoptedAndRecovering or IscsiAdoptionOutcome.AlreadyOwned;
}

/// <summary>The outcome of <see cref="IscsiNodeLogins.AdoptSessionsAsync"/>, one entry per session in sysfs (alphasort order).</summary>
/// <param name="Sessions">Every session found.</param>
/// <param name="LockPath">The ownership lock file now held by the initiator.</param>
public sealed record IscsiAdoptionResult(IReadOnlyList<IscsiAdoptedSession> Sessions, string LockPath)
{
    /// <summary>The sessions this initiator owns after the call.</summary>
    public IEnumerable<IscsiAdoptedSession> Owned => Sessions.Where(s => s.IsOwned);

    /// <summary>The sessions it could not take (no record, record mismatch, not adoptable).</summary>
    public IEnumerable<IscsiAdoptedSession> NotOwned => Sessions.Where(s => !s.IsOwned);
}
