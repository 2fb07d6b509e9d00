using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IscsiNative.Hosting;

/// <summary>
/// Health of the host's iSCSI storage as the service sees it: sessions expected (restored startup classes) vs logged in
/// vs in recovery, and whether the service owns them at all. Data: <c>expected</c>, <c>logged_in</c>, <c>in_recovery</c>
/// (counts), <c>missing</c> (the nodes without a logged-in session), <c>not_owned</c> (count) and
/// <c>not_owned_sessions</c> (sessions on the host nobody recovers: no record, record mismatch, not adopted).
/// </summary>
public sealed class IscsiSessionsHealthCheck : IHealthCheck
{
    private readonly IscsiSessionOwnerService _service;

    /// <summary>Creates the check over the service.</summary>
    /// <param name="service">The session owner service.</param>
    public IscsiSessionsHealthCheck(IscsiSessionOwnerService service)
    {
        _service = service;
    }

    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) => Check(_service.Snapshot());

    /// <summary>The result for one snapshot.</summary>
    internal static Task<HealthCheckResult> Check(IscsiSessionsSnapshot s)
    {
        (HealthStatus status, string description) = IscsiSessionsHealth.Evaluate(s);
        var data = new Dictionary<string, object>
        {
            ["expected"] = s.Expected.Count,
            ["logged_in"] = s.LoggedIn.Count,
            ["in_recovery"] = s.InRecovery.Count,
            ["missing"] = string.Join("; ", s.Expected.Except(s.LoggedIn)),
            ["not_owned"] = s.NotOwned.Count,
            ["not_owned_sessions"] = string.Join("; ", s.NotOwned),
        };
        return Task.FromResult(new HealthCheckResult(status, description, null, data));
    }
}
