using System.Diagnostics.Metrics;
using IscsiNative.Hosting;
using IscsiNative.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IscsiNative.Tests.Hosting;

/// <summary>Options binding and validation at start, the health rule, and the metrics instruments.</summary>
public sealed class HostingTests
{
    [Fact]
    public void Options_bind_from_configuration_with_enums_timespans_and_defaults()
    {
        IConfiguration config = Config(new()
        {
            ["IscsiNative:DatabaseRoot"] = "/var/lib/iscsi",
            ["IscsiNative:Restore:0"] = "Automatic",
            ["IscsiNative:Restore:1"] = "OnBoot",
            ["IscsiNative:MaxParallelLogins"] = "16",
            ["IscsiNative:StartTimeout"] = "00:02:00",
            ["IscsiNative:LogoutOnStop"] = "true",
        });
        using ServiceProvider sp = new ServiceCollection().AddLogging().AddIscsiNative(config.GetSection("IscsiNative")).BuildServiceProvider();
        IscsiNativeHostingOptions o = sp.GetRequiredService<IOptions<IscsiNativeHostingOptions>>().Value;
        Assert.Equal("/var/lib/iscsi", o.DatabaseRoot);
        Assert.Equal([IscsiNodeStartupFilter.Automatic, IscsiNodeStartupFilter.OnBoot], o.EffectiveRestore);
        Assert.Equal(16, o.MaxParallelLogins);
        Assert.Equal(TimeSpan.FromMinutes(2), o.StartTimeout);
        Assert.True(o.LogoutOnStop);
        Assert.Equal("/run/lock/iscsinative", o.OwnershipLockDirectory);
        Assert.Equal([IscsiNodeStartupFilter.Automatic], new IscsiNativeHostingOptions().EffectiveRestore);
    }

    [Fact]
    public async Task Bad_options_fail_the_host_start_with_one_clear_message_per_key_before_anything_touches_the_kernel()
    {
        IConfiguration config = Config(new()
        {
            ["IscsiNative:DatabaseRoot"] = "relative/dir",
            ["IscsiNative:Restore:0"] = "Manual",
            ["IscsiNative:MaxParallelLogins"] = "0",
            ["IscsiNative:StartTimeout"] = "00:00:00",
            ["IscsiNative:LogoutTimeout"] = "01:00:00",
        });
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddIscsiNative(config.GetSection("IscsiNative"));
        using IHost host = builder.Build();
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Equal(
            [
                "IscsiNative:DatabaseRoot must be an absolute path (got 'relative/dir').",
                "IscsiNative:MaxParallelLogins must be 1..64 (got 0).",
                "IscsiNative:StartTimeout must be between 00:00:01 and 01:00:00 (got 00:00:00).",
                "IscsiNative:LogoutTimeout must be between 00:00:01 and 00:05:00 (got 01:00:00).",
                "IscsiNative:Restore must not contain Manual: it matches every node (conn[0].startup defaults to manual); use Automatic, OnBoot or All.",
            ],
            e.Failures);
    }

    [Fact]
    public void Unknown_enum_text_in_configuration_is_a_binding_error_at_start()
    {
        IConfiguration config = Config(new() { ["IscsiNative:Restore:0"] = "Sometimes" });
        using ServiceProvider sp = new ServiceCollection().AddLogging().AddIscsiNative(config.GetSection("IscsiNative")).BuildServiceProvider();
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => sp.GetRequiredService<IOptions<IscsiNativeHostingOptions>>().Value);
        Assert.Contains("Sometimes", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(IscsiServicePhase.Running, 3, 3, 0, HealthStatus.Healthy, "3/3 expected sessions logged in, 0 in recovery")]
    [InlineData(IscsiServicePhase.Running, 0, 0, 0, HealthStatus.Healthy, "0/0 expected sessions logged in, 0 in recovery")]
    [InlineData(IscsiServicePhase.Running, 3, 2, 1, HealthStatus.Degraded, "2/3 expected sessions logged in, 1 in recovery")]
    [InlineData(IscsiServicePhase.Running, 3, 0, 3, HealthStatus.Unhealthy, "0/3 expected sessions logged in, 3 in recovery")]
    [InlineData(IscsiServicePhase.Starting, 0, 0, 0, HealthStatus.Unhealthy, "restoring sessions")]
    [InlineData(IscsiServicePhase.NotOwner, 0, 0, 0, HealthStatus.Unhealthy, "not the session owner: iscsid (pid 42) owns the sessions")]
    [InlineData(IscsiServicePhase.Failed, 0, 0, 0, HealthStatus.Unhealthy, "start failed: boom")]
    public void Health_compares_expected_logged_in_and_recovering_sessions(IscsiServicePhase phase, int expected, int loggedIn, int recovering, HealthStatus status, string description)
    {
        string[] nodes = [.. Enumerable.Range(0, expected).Select(i => $"iqn.t{i} 10.0.0.1:3260 default")];
        var snapshot = new IscsiSessionsSnapshot(phase, nodes, nodes[..loggedIn], nodes[loggedIn..(loggedIn + recovering)], "iscsid (pid 42)", "boom");
        Assert.Equal((status, description), IscsiSessionsHealth.Evaluate(snapshot));
    }

    [Fact]
    public void Metrics_record_logins_failures_durations_adoptions_recoveries_and_sessions_by_state()
    {
        using ServiceProvider sp = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var metrics = new IscsiNativeMetrics(sp.GetRequiredService<IMeterFactory>());
        var seen = new List<(string Name, double Value, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == IscsiNativeMetrics.MeterName)
            {
                l.EnableMeasurementEvents(i);
            }
        };
        void Add(Instrument i, double v, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            seen.Add((i.Name, v, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"))));
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Add(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
        listener.Start();

        metrics.Login(true, TimeSpan.FromMilliseconds(1500));
        metrics.Login(false, TimeSpan.FromSeconds(2));
        metrics.Adoption("adopted_and_recovering");
        metrics.Recovery("started");
        metrics.Recovery("recovered", TimeSpan.FromSeconds(7));
        metrics.ObserveSessionsWith(() => [new("logged_in", 2), new("failed", 1)]);
        listener.RecordObservableInstruments();

        Assert.Equal(
            [
                ("iscsi.logins", 1, ""),
                ("iscsi.login.duration", 1.5, "iscsi.login.outcome=success"),
                ("iscsi.login.failures", 1, ""),
                ("iscsi.login.duration", 2, "iscsi.login.outcome=failure"),
                ("iscsi.adoptions", 1, "iscsi.adoption.outcome=adopted_and_recovering"),
                ("iscsi.recoveries", 1, "iscsi.recovery.outcome=started"),
                ("iscsi.recoveries", 1, "iscsi.recovery.outcome=recovered"),
                ("iscsi.recovery.duration", 7, ""),
                ("iscsi.session.count", 2, "iscsi.session.state=logged_in"),
                ("iscsi.session.count", 1, "iscsi.session.state=failed"),
            ],
            seen);
    }

    private static IConfiguration Config(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
