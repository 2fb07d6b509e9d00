namespace IscsiNative.Iscsid;

/// <summary>
/// Feeds iscsid's answers to the session formatter: asks the running iscsid through <see cref="IscsidClient"/>,
/// one bounded question per session, exactly as iscsiadm does.
/// </summary>
internal sealed class IscsidStateSource : IIscsidStateSource
{
    private readonly IscsidClient _client;
    private readonly TimeSpan _timeout;
    private readonly Action<int, IscsidError>? _onFailure;

    /// <summary>Creates a source over a client.</summary>
    /// <param name="client">The iscsid client.</param>
    /// <param name="timeout">Bound on each question.</param>
    /// <param name="onFailure">Called with the sid and the error when iscsid could not answer (iscsiadm prints
    /// <see cref="IscsidError.IscsiadmMessage"/> then); <see langword="null"/> to ignore failures.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    public IscsidStateSource(IscsidClient client, TimeSpan timeout, Action<int, IscsidError>? onFailure = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _timeout = timeout;
        _onFailure = onFailure;
    }

    /// <inheritdoc/>
    public bool TryGetState(int sid, out int connectionState, out int sessionState)
    {
        if (_client.TryGetSessionState(sid, _timeout, out IscsidSessionState state, out IscsidError error))
        {
            connectionState = (int)state.ConnectionState;
            sessionState = (int)state.InternalState;
            return true;
        }

        _onFailure?.Invoke(sid, error);
        connectionState = -1;
        sessionState = -1;
        return false;
    }
}
