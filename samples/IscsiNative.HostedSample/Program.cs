using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// The session owner of this host: restores the automatic nodes at start, adopts what a previous run left, recovers
// connection errors, and tells systemd READY=1 only once the restore finished (Type=notify in the unit).
HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
builder.Services.AddSystemd();
builder.Services.AddIscsiNative(builder.Configuration.GetSection("IscsiNative"));
using IHost host = builder.Build();
await host.StartAsync();

// Report health once a minute (a real service would expose it over HTTP or a file for its orchestrator).
HealthCheckService health = host.Services.GetRequiredService<HealthCheckService>();
ILogger logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("iscsinative-hosted");
IHostApplicationLifetime lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
while (!lifetime.ApplicationStopping.IsCancellationRequested)
{
    HealthReport report = await health.CheckHealthAsync(lifetime.ApplicationStopping);
    foreach ((string name, HealthReportEntry entry) in report.Entries)
    {
        logger.LogInformation("health {Name}: {Status} {Description}", name, entry.Status, entry.Description);
    }

    try
    {
        await Task.Delay(TimeSpan.FromMinutes(1), lifetime.ApplicationStopping);
    }
    catch (OperationCanceledException)
    {
    }
}

await host.WaitForShutdownAsync();
