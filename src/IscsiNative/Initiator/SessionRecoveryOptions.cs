namespace IscsiNative.Initiator;

/// <summary>
/// How the <see cref="IscsiInitiator"/> that logged a session in reconnects it after a connection error (what iscsid
/// does at ERL 0: STOP_CONN(RECOVER), wait DefaultTime2Wait, reconnect, re-login with the same ISID, START_CONN).
/// The defaults mirror open-iscsi: <c>node.session.reopen_max = 0</c> (retry until logout, also after the kernel's
/// recovery_tmo has failed the queued I/O), a first attempt after the negotiated DefaultTime2Wait and 3 s between
/// failed attempts (<c>ISCSI_CONN_ERR_REOPEN_DELAY</c>).
/// </summary>
public sealed record SessionRecoveryOptions
{
    /// <summary>Reconnect the session after a connection error. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Give up after this many failed reconnect attempts; 0 (default) = no limit, as iscsid's reopen_max = 0.</summary>
    public int MaxAttempts { get; init; }

    /// <summary>
    /// Give up when the next attempt would start later than this after the connection error; <see langword="null"/>
    /// (default) = never. A value near <see cref="LoginOptions.RecoveryTimeout"/> stops retrying once the kernel has
    /// failed the queued I/O.
    /// </summary>
    public TimeSpan? GiveUpAfter { get; init; }

    /// <summary>Wait before the first attempt; <see langword="null"/> (default) = the negotiated DefaultTime2Wait (iscsid).</summary>
    public TimeSpan? FirstDelay { get; init; }

    /// <summary>Wait after the first failed attempt. Default 3 s (iscsid's ISCSI_CONN_ERR_REOPEN_DELAY).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Upper bound of the wait between attempts: each failure doubles the wait, from <see cref="RetryDelay"/> up to this.
    /// Default 3 s, i.e. a constant 3 s as iscsid.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>After a successful reconnect, set each LUN back to <c>running</c> if needed and rescan it, as iscsid does. Default true.</summary>
    public bool RescanDevices { get; init; } = true;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count or a time is negative.</exception>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxAttempts);
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryDelay, TimeSpan.Zero);
        if (FirstDelay is { } first)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(first, TimeSpan.Zero, nameof(FirstDelay));
        }

        if (GiveUpAfter is { } giveUp)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(giveUp, TimeSpan.Zero, nameof(GiveUpAfter));
        }
    }
}
