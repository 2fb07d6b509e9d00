using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IscsiNative.Hosting;

/// <summary>
/// Health of the host's iSCSI storage as the service sees it: sessions expected (restored startup classes) vs logged in
/// vs in recovery, and whether the service owns them at all. Data: <c>expected</c>, <c>logged_in</c>, <c>in_recovery</c>
/// (counts) and <c>missing</c> (the nodes without a logged-in session).
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
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IscsiSessionsSnapshot s = _service.Snapshot();
        (HealthStatus status, string description) = IscsiSessionsHealth.Evaluate(s);
        var data = new Dictionary<string, object>
        {
            ["expected"] = s.Expected.Count,
            ["logged_in"] = s.LoggedIn.Count,
            ["in_recovery"] = s.InRecovery.Count,
            ["missing"] = string.Join("; ", s.Expected.Except(s.LoggedIn)),
        };
        return Task.FromResult(new HealthCheckResult(status, description, null, data));
    }
}
