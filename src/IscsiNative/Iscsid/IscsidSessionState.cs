namespace IscsiNative.Iscsid;

/// <summary>
/// What iscsid reports about one session: the leading connection's state and iscsid's internal recovery stage,
/// with the names iscsiadm 2.1.8 prints for them (<c>usr/session_info.c</c> <c>print_iscsi_state</c>).
/// </summary>
/// <remarks>
/// The numbers are kept as iscsid sent them, so an out-of-range value survives as an undefined enum value whose name
/// is <c>Unknown</c>. <see cref="Unknown"/> is what to print when iscsid could not be asked. Note that
/// <see langword="default"/> is <c>FREE</c> / <c>NO CHANGE</c> (both zero), not <see cref="Unknown"/>.
/// </remarks>
internal readonly struct IscsidSessionState : IEquatable<IscsidSessionState>
{
    /// <summary>The text iscsiadm prints for a state it has no name for, or when iscsid did not answer.</summary>
    public const string UnknownName = "Unknown";

    /// <summary>Creates a state from the two numbers of an iscsid reply.</summary>
    /// <param name="connectionState">The <c>conn_state</c> field, any value.</param>
    /// <param name="internalState">The <c>session_state</c> field (<c>r_stage</c>), any value.</param>
    public IscsidSessionState(IscsidConnectionState connectionState, IscsidInternalSessionState internalState)
    {
        ConnectionState = connectionState;
        InternalState = internalState;
    }

    /// <summary>Both states unknown (-1): iscsiadm prints <c>Unknown</c> for both lines.</summary>
    public static IscsidSessionState Unknown { get; } =
        new((IscsidConnectionState)(-1), (IscsidInternalSessionState)(-1));

    /// <summary>The leading connection's state as iscsid sent it (possibly out of range).</summary>
    public IscsidConnectionState ConnectionState { get; }

    /// <summary>iscsid's recovery stage for the session as it sent it (possibly out of range).</summary>
    public IscsidInternalSessionState InternalState { get; }

    /// <summary>The <c>iSCSI Connection State:</c> text, e.g. <c>LOGGED IN</c>, <c>TRANSPORT WAIT</c> or <c>Unknown</c>.</summary>
    public string ConnectionStateName => GetConnectionStateName(ConnectionState);

    /// <summary>The <c>Internal iscsid Session State:</c> text, e.g. <c>NO CHANGE</c>, <c>REOPEN</c> or <c>Unknown</c>.</summary>
    public string InternalStateName => GetInternalStateName(InternalState);

    /// <summary>Returns iscsiadm's name for a connection state: the table is FREE .. CLEANUP WAIT (0..6).</summary>
    /// <param name="state">Any value.</param>
    /// <returns>The printed name, or <c>Unknown</c> outside 0..6.</returns>
    public static string GetConnectionStateName(IscsidConnectionState state) => state switch
    {
        IscsidConnectionState.Free => "FREE",
        IscsidConnectionState.TransportWait => "TRANSPORT WAIT",
        IscsidConnectionState.InLogin => "IN LOGIN",
        IscsidConnectionState.LoggedIn => "LOGGED IN",
        IscsidConnectionState.InLogout => "IN LOGOUT",
        IscsidConnectionState.LogoutRequested => "LOGOUT REQUESTED",
        IscsidConnectionState.CleanupWait => "CLEANUP WAIT",
        _ => UnknownName,
    };

    /// <summary>Returns iscsiadm's name for an internal session state: the table is NO CHANGE .. REDIRECT (0..3).</summary>
    /// <param name="state">Any value.</param>
    /// <returns>The printed name, or <c>Unknown</c> outside 0..3 (including <see cref="IscsidInternalSessionState.Destroyed"/>).</returns>
    public static string GetInternalStateName(IscsidInternalSessionState state) => state switch
    {
        IscsidInternalSessionState.NoChange => "NO CHANGE",
        IscsidInternalSessionState.Cleanup => "CLEANUP",
        IscsidInternalSessionState.Reopen => "REOPEN",
        IscsidInternalSessionState.Redirect => "REDIRECT",
        _ => UnknownName,
    };

    /// <summary>Compares two states by their raw numbers.</summary>
    /// <param name="left">The first state.</param>
    /// <param name="right">The second state.</param>
    /// <returns><see langword="true"/> when both numbers match.</returns>
    public static bool operator ==(IscsidSessionState left, IscsidSessionState right) => left.Equals(right);

    /// <summary>Compares two states by their raw numbers.</summary>
    /// <param name="left">The first state.</param>
    /// <param name="right">The second state.</param>
    /// <returns><see langword="true"/> when a number differs.</returns>
    public static bool operator !=(IscsidSessionState left, IscsidSessionState right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(IscsidSessionState other) =>
        ConnectionState == other.ConnectionState && InternalState == other.InternalState;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is IscsidSessionState other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ConnectionState, InternalState);

    /// <summary>Both names as iscsiadm prints them, e.g. <c>LOGGED IN / NO CHANGE</c>.</summary>
    /// <returns>The two names separated by a slash.</returns>
    public override string ToString() => ConnectionStateName + " / " + InternalStateName;
}
