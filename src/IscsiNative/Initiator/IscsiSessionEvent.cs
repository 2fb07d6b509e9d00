using System.Globalization;
using System.Text;
using IscsiNative.Protocol;

namespace IscsiNative.Initiator;

/// <summary>
/// A session event streamed by <see cref="IscsiInitiator.WatchEventsAsync"/>: a kernel iSCSI event of any session on the
/// system (<see cref="IscsiSessionEventKind.Created"/>, <see cref="IscsiSessionEventKind.Unbound"/>,
/// <see cref="IscsiSessionEventKind.Destroyed"/>, <see cref="IscsiSessionEventKind.ConnectionError"/>), or a step of the
/// recovery of this initiator's own sessions (<see cref="IscsiSessionEventKind.RecoveryStarted"/>,
/// <see cref="IscsiSessionEventKind.Recovered"/>, <see cref="IscsiSessionEventKind.RecoveryFailed"/>).
/// </summary>
/// <remarks>
/// One type for every kind: <see cref="Kind"/> says what happened and which of the nullable properties are set (each
/// kind's documentation lists them); the others are <see langword="null"/>. Switch on <see cref="Kind"/>, or use a
/// property pattern such as <c>e is { Kind: IscsiSessionEventKind.Recovered, Elapsed: TimeSpan took }</c>.
/// </remarks>
public sealed class IscsiSessionEvent
{
    private IscsiSessionEvent(
        IscsiSessionEventKind kind,
        int sid,
        int? hostNumber = null,
        int? cid = null,
        IscsiConnectionError? error = null,
        int? attempts = null,
        TimeSpan? elapsed = null,
        NegotiatedParameters? parameters = null,
        Exception? lastError = null)
    {
        Kind = kind;
        Sid = sid;
        HostNumber = hostNumber;
        Cid = cid;
        Error = error;
        Attempts = attempts;
        Elapsed = elapsed;
        Parameters = parameters;
        LastError = lastError;
    }

    /// <summary>What happened.</summary>
    public IscsiSessionEventKind Kind { get; }

    /// <summary>The session id (every kind).</summary>
    public int Sid { get; }

    /// <summary>
    /// The session's SCSI host: <see cref="IscsiSessionEventKind.Created"/>, <see cref="IscsiSessionEventKind.Unbound"/>,
    /// <see cref="IscsiSessionEventKind.Destroyed"/> (the former host); otherwise <see langword="null"/>.
    /// </summary>
    public int? HostNumber { get; }

    /// <summary>The connection id: <see cref="IscsiSessionEventKind.ConnectionError"/>; otherwise <see langword="null"/>.</summary>
    public int? Cid { get; }

    /// <summary>
    /// Why the connection failed, e.g. <see cref="IscsiConnectionError.TcpConnClose"/> or a NOP timeout:
    /// <see cref="IscsiSessionEventKind.ConnectionError"/> and <see cref="IscsiSessionEventKind.RecoveryStarted"/> (the
    /// error that started it); otherwise <see langword="null"/>.
    /// </summary>
    public IscsiConnectionError? Error { get; }

    /// <summary>
    /// Reconnect attempts: <see cref="IscsiSessionEventKind.Recovered"/> (1 = the first one succeeded) and
    /// <see cref="IscsiSessionEventKind.RecoveryFailed"/> (attempts made); otherwise <see langword="null"/>.
    /// </summary>
    public int? Attempts { get; }

    /// <summary>
    /// Time from the connection error to START_CONN: <see cref="IscsiSessionEventKind.Recovered"/>; otherwise
    /// <see langword="null"/>.
    /// </summary>
    public TimeSpan? Elapsed { get; }

    /// <summary>
    /// What the new login negotiated (the target may assign a new TSIH): <see cref="IscsiSessionEventKind.Recovered"/>;
    /// otherwise <see langword="null"/>.
    /// </summary>
    public NegotiatedParameters? Parameters { get; }

    /// <summary>
    /// Why the last reconnect attempt failed: <see cref="IscsiSessionEventKind.RecoveryFailed"/> when an attempt was made;
    /// otherwise <see langword="null"/>.
    /// </summary>
    public Exception? LastError { get; }

    /// <summary>The kind, the sid and the properties the kind sets, e.g. <c>ConnectionError sid 3 cid 0 error TcpConnClose</c>.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Kind} sid {Sid}");
        if (HostNumber is int host)
        {
            text.Append(CultureInfo.InvariantCulture, $" host {host}");
        }

        if (Cid is int cid)
        {
            text.Append(CultureInfo.InvariantCulture, $" cid {cid}");
        }

        if (Error is IscsiConnectionError error)
        {
            text.Append(CultureInfo.InvariantCulture, $" error {error}");
        }

        if (Attempts is int attempts)
        {
            text.Append(CultureInfo.InvariantCulture, $" attempts {attempts}");
        }

        if (Elapsed is TimeSpan elapsed)
        {
            text.Append(CultureInfo.InvariantCulture, $" elapsed {elapsed.TotalMilliseconds:0} ms");
        }

        if (LastError is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" last error {LastError.GetType().Name}: {LastError.Message}");
        }

        return text.ToString();
    }

    internal static IscsiSessionEvent Created(int sid, int hostNumber) => new(IscsiSessionEventKind.Created, sid, hostNumber: hostNumber);

    internal static IscsiSessionEvent Unbound(int sid, int hostNumber) => new(IscsiSessionEventKind.Unbound, sid, hostNumber: hostNumber);

    internal static IscsiSessionEvent Destroyed(int sid, int hostNumber) => new(IscsiSessionEventKind.Destroyed, sid, hostNumber: hostNumber);

    internal static IscsiSessionEvent ConnectionError(int sid, int cid, IscsiConnectionError error) =>
        new(IscsiSessionEventKind.ConnectionError, sid, cid: cid, error: error);

    internal static IscsiSessionEvent RecoveryStarted(int sid, IscsiConnectionError error) =>
        new(IscsiSessionEventKind.RecoveryStarted, sid, error: error);

    internal static IscsiSessionEvent Recovered(int sid, int attempts, TimeSpan elapsed, NegotiatedParameters parameters) =>
        new(IscsiSessionEventKind.Recovered, sid, attempts: attempts, elapsed: elapsed, parameters: parameters);

    internal static IscsiSessionEvent RecoveryFailed(int sid, int attempts, Exception? lastError) =>
        new(IscsiSessionEventKind.RecoveryFailed, sid, attempts: attempts, lastError: lastError);
}
