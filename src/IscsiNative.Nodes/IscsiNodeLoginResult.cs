using IscsiNative.Sysfs;

namespace IscsiNative.Nodes;

/// <summary>The outcome of one node in <see cref="IscsiNodeLogins.LoginAllAsync"/>.</summary>
/// <param name="Node">The node record.</param>
/// <param name="Session">The first new session, or null when no login succeeded or the sessions already existed.</param>
/// <param name="Error">Why the login failed, or null.</param>
/// <param name="AlreadyLoggedIn">A session to the node existed, so none was created (iscsiadm's error 15).</param>
public sealed record IscsiNodeLoginResult(IscsiNodeRecord Node, IscsiSession? Session, Exception? Error, bool AlreadyLoggedIn = false)
{
    /// <summary>Whether every login of the node succeeded (or its sessions already existed).</summary>
    public bool Succeeded => Error is null && (Session is not null || AlreadyLoggedIn);

    /// <summary>
    /// Every session created for the node (<c>node.session.nr_sessions</c> minus those that existed), in login order;
    /// with <see cref="Error"/> set, the ones that succeeded before the failure (they stay logged in, as with iscsiadm).
    /// </summary>
    public IReadOnlyList<IscsiSession> Sessions { get; init; } = Session is null ? [] : [Session];

    /// <summary>How long the login (or the failed attempt) took; zero when none was made.</summary>
    public TimeSpan Duration { get; init; }
}
