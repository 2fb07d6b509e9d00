using System.Diagnostics.Metrics;

namespace IscsiNative.Hosting;

/// <summary>
/// The service's <see cref="System.Diagnostics.Metrics"/> instruments, meter <see cref="MeterName"/> (OpenTelemetry naming:
/// dotted lowercase, UCUM units, no units or <c>_total</c> in names):
/// <list type="bullet">
/// <item><c>iscsi.session.count</c> {session}, observable up-down counter, tag <c>iscsi.session.state</c> (logged_in, failed, free, unknown): the host's sessions in sysfs.</item>
/// <item><c>iscsi.logins</c> {login} and <c>iscsi.login.failures</c> {login}: logins made by the service (start restore).</item>
/// <item><c>iscsi.login.duration</c> s histogram, tag <c>iscsi.login.outcome</c> (success, failure).</item>
/// <item><c>iscsi.adoptions</c> {session}, tag <c>iscsi.adoption.outcome</c> (adopted, adopted_and_recovering, no_record, ...).</item>
/// <item><c>iscsi.recoveries</c> {recovery}, tag <c>iscsi.recovery.outcome</c> (started, recovered, failed).</item>
/// <item><c>iscsi.recovery.duration</c> s histogram: connection error to session back (recovered ones only).</item>
/// </list>
/// </summary>
public sealed class IscsiNativeMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "IscsiNative";

    private readonly Meter _meter;
    private readonly Counter<long> _logins;
    private readonly Counter<long> _loginFailures;
    private readonly Histogram<double> _loginDuration;
    private readonly Counter<long> _adoptions;
    private readonly Counter<long> _recoveries;
    private readonly Histogram<double> _recoveryDuration;
    private Func<IEnumerable<KeyValuePair<string, int>>>? _sessionsByState;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    /// <param name="meterFactory">The host's meter factory.</param>
    public IscsiNativeMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _logins = _meter.CreateCounter<long>("iscsi.logins", "{login}", "Logins made by the service.");
        _loginFailures = _meter.CreateCounter<long>("iscsi.login.failures", "{login}", "Logins that failed.");
        _loginDuration = _meter.CreateHistogram<double>("iscsi.login.duration", "s", "Duration of one login, disks ready.");
        _adoptions = _meter.CreateCounter<long>("iscsi.adoptions", "{session}", "Sessions found at adoption, by outcome.");
        _recoveries = _meter.CreateCounter<long>("iscsi.recoveries", "{recovery}", "Session recoveries, by outcome.");
        _recoveryDuration = _meter.CreateHistogram<double>("iscsi.recovery.duration", "s", "Connection error to session recovered.");
        _meter.CreateObservableUpDownCounter("iscsi.session.count", ObserveSessions, "{session}", "The host's iSCSI sessions, by state.");
    }

    /// <summary>Records a login.</summary>
    internal void Login(bool succeeded, TimeSpan duration)
    {
        var outcome = new KeyValuePair<string, object?>("iscsi.login.outcome", succeeded ? "success" : "failure");
        (succeeded ? _logins : _loginFailures).Add(1);
        _loginDuration.Record(duration.TotalSeconds, outcome);
    }

    /// <summary>Records one session's adoption outcome.</summary>
    internal void Adoption(string outcome) => _adoptions.Add(1, new KeyValuePair<string, object?>("iscsi.adoption.outcome", outcome));

    /// <summary>Records a recovery step; <paramref name="duration"/> for a recovered session.</summary>
    internal void Recovery(string outcome, TimeSpan? duration = null)
    {
        _recoveries.Add(1, new KeyValuePair<string, object?>("iscsi.recovery.outcome", outcome));
        if (duration is { } d)
        {
            _recoveryDuration.Record(d.TotalSeconds);
        }
    }

    /// <summary>Sets the callback that counts the sessions by state (the supervisor's sysfs read).</summary>
    internal void ObserveSessionsWith(Func<IEnumerable<KeyValuePair<string, int>>>? sessionsByState) => _sessionsByState = sessionsByState;

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<int>> ObserveSessions()
    {
        if (_sessionsByState is not { } source)
        {
            yield break;
        }

        foreach ((string state, int count) in source())
        {
            yield return new Measurement<int>(count, new KeyValuePair<string, object?>("iscsi.session.state", state));
        }
    }
}
