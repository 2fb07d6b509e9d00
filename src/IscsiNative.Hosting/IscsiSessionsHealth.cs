namespace IscsiNative.Hosting;

/// <summary>What the service owns and expects, at one moment (input of the health check).</summary>
/// <param name="Phase">Where the service is.</param>
/// <param name="Expected">Node records the service restores (its startup classes), as <c>target portal iface</c>.</param>
/// <param name="LoggedIn">Of <paramref name="Expected"/>, those with a LOGGED_IN session.</param>
/// <param name="InRecovery">Of <paramref name="Expected"/>, those whose session is FAILED (recovering).</param>
/// <param name="Owner">When not the owner: who is (e.g. "iscsid (pid 123)").</param>
/// <param name="Error">Why the start failed, if it did.</param>
public sealed record IscsiSessionsSnapshot(
    IscsiServicePhase Phase, IReadOnlyList<string> Expected, IReadOnlyList<string> LoggedIn, IReadOnlyList<string> InRecovery, string? Owner = null, string? Error = null)
{
    /// <summary>
    /// Sessions in sysfs the service does not own, so nobody answers their connection errors, each as
    /// <c>session SID target portal (why)</c>: no node record or a record that no longer matches at adoption,
    /// <see cref="IscsiNativeHostingOptions.AdoptExistingSessions"/> off, or logged in by someone else after the start.
    /// </summary>
    public IReadOnlyList<string> NotOwned { get; init; } = [];
}

/// <summary>The service's phase.</summary>
public enum IscsiServicePhase
{
    /// <summary>Not started, or restoring.</summary>
    Starting,

    /// <summary>Restore done; the service owns the sessions and recovers them.</summary>
    Running,

    /// <summary>Another owner (iscsid, or another process) has the sessions; this service does nothing.</summary>
    NotOwner,

    /// <summary>The start failed.</summary>
    Failed,

    /// <summary>Stopped.</summary>
    Stopped,
}

/// <summary>The health rule, separate from the check for testing.</summary>
internal static class IscsiSessionsHealth
{
    /// <summary>
    /// Healthy: running, every expected node logged in, and every session on the host owned. Degraded: running, some
    /// expected nodes recovering or missing but at least one logged in, or sessions nobody owns (no record, record
    /// mismatch, not adopted). Unhealthy: not the owner, start failed, still starting, or none of the expected nodes is
    /// logged in.
    /// </summary>
    internal static (Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus Status, string Description) Evaluate(IscsiSessionsSnapshot s)
    {
        int expected = s.Expected.Count, loggedIn = s.LoggedIn.Count, recovering = s.InRecovery.Count;
        string counts = $"{loggedIn}/{expected} expected sessions logged in, {recovering} in recovery"
            + (s.NotOwned.Count == 0 ? "" : $"; {s.NotOwned.Count} session(s) not owned, nobody recovers them: {string.Join("; ", s.NotOwned)}");
        return s.Phase switch
        {
            IscsiServicePhase.NotOwner => (Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, $"not the session owner: {s.Owner} owns the sessions"),
            IscsiServicePhase.Failed => (Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, $"start failed: {s.Error}"),
            IscsiServicePhase.Starting => (Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, "restoring sessions"),
            IscsiServicePhase.Stopped => (Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, "stopped"),
            _ when loggedIn == expected && s.NotOwned.Count == 0 => (Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, counts),
            _ when expected > 0 && loggedIn == 0 => (Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, counts),
            _ => (Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, counts),
        };
    }
}
