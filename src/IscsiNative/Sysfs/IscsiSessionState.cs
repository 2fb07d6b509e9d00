namespace IscsiNative.Sysfs;

/// <summary>The kernel's session state, <c>iscsi_session/sessionN/state</c>.</summary>
public enum IscsiSessionState
{
    /// <summary>Unreadable or a value this library does not know.</summary>
    Unknown,

    /// <summary><c>LOGGED_IN</c>.</summary>
    LoggedIn,

    /// <summary><c>FAILED</c>: the connection dropped and recovery is running.</summary>
    Failed,

    /// <summary><c>FREE</c>: recovery timed out or the session is being torn down.</summary>
    Free,
}
