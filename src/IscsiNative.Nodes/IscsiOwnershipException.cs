using IscsiNative.Initiator;

namespace IscsiNative.Nodes;

/// <summary>Who already owns the sessions of this host, when an adoption (<see cref="IscsiNodeLogins.AdoptSessionsAsync"/>) was refused.</summary>
public enum IscsiSessionOwnerKind
{
    /// <summary>Another process (or another <see cref="IscsiInitiator"/>) of this library holds the host ownership lock.</summary>
    IscsiNative,

    /// <summary>iscsid runs (it listens on <c>@ISCSIADM_ABSTRACT_NAMESPACE</c>) and recovers the sessions it knows.</summary>
    Iscsid,
}

/// <summary>
/// The sessions of this host already have an owner, so <see cref="IscsiNodeLogins.AdoptSessionsAsync"/> did not take them:
/// another adopter holds the host-wide lock (<see cref="IscsiInitiator.OwnsHost"/> of its initiator), or iscsid runs. Two
/// owners would both answer a connection error with their own re-login and fight over the session.
/// </summary>
public sealed class IscsiOwnershipException : IscsiException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="owner">Who owns the sessions.</param>
    /// <param name="ownerPid">The owner's process id, when known.</param>
    /// <param name="message">What was refused and why.</param>
    public IscsiOwnershipException(IscsiSessionOwnerKind owner, int? ownerPid, string message)
        : base(message)
    {
        Owner = owner;
        OwnerPid = ownerPid;
    }

    /// <summary>Who owns the sessions.</summary>
    public IscsiSessionOwnerKind Owner { get; }

    /// <summary>The owner's process id (from the lock file, or iscsid's pid file); null when it could not be read.</summary>
    public int? OwnerPid { get; }
}
