using IscsiNative.Sysfs;

namespace IscsiNative.Nodes;

/// <summary>The outcome of one node in <see cref="IscsiNodeLogins.LoginAllAsync"/>.</summary>
/// <param name="Node">The node record.</param>
/// <param name="Session">The new session, or null when the login failed or a session already existed.</param>
/// <param name="Error">Why the login failed, or null.</param>
/// <param name="AlreadyLoggedIn">A session to the node existed, so none was created (iscsiadm's error 15).</param>
public sealed record IscsiNodeLoginResult(IscsiNodeRecord Node, IscsiSession? Session, Exception? Error, bool AlreadyLoggedIn = false)
{
    /// <summary>Whether the node has a session now.</summary>
    public bool Succeeded => Session is not null || AlreadyLoggedIn;

    /// <summary>How long the login (or the failed attempt) took; zero when none was made.</summary>
    public TimeSpan Duration { get; init; }
}
