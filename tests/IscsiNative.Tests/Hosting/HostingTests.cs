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
            ["IscsiNative:AdoptExistingSessions"] = "false",
            ["IscsiNative:FailWhenNotOwner"] = "true",
        });
        using ServiceProvider sp = new ServiceCollection().AddLogging().AddIscsiNative(config.GetSection("IscsiNative")).BuildServiceProvider();
        IscsiNativeHostingOptions o = sp.GetRequiredService<IOptions<IscsiNativeHostingOptions>>().Value;
        Assert.Equal("/var/lib/iscsi", o.DatabaseRoot);
        Assert.Equal([IscsiNodeStartupFilter.Automatic, IscsiNodeStartupFilter.OnBoot], o.EffectiveRestore);
        Assert.Equal(16, o.MaxParallelLogins);
        Assert.Equal(TimeSpan.FromMinutes(2), o.StartTimeout);
        Assert.True(o.LogoutOnStop);
        Assert.False(o.AdoptExistingSessions);
        Assert.True(o.FailWhenNotOwner);
        Assert.True(new IscsiNativeHostingOptions().AdoptExistingSessions);
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
    public async Task Options_set_in_code_are_validated_at_start_too_lock_directories_and_unknown_startup_values_included()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddIscsiNative(o =>
        {
            o.OwnershipLockDirectory = "";
            o.DatabaseLockDirectory = "run/lock";
            o.ConfigDirectory = "~/iscsi";
            o.Restore = [IscsiNodeStartupFilter.Automatic, (IscsiNodeStartupFilter)42];
            o.MaxParallelLogins = 65;
        });
        using IHost host = builder.Build();
        OptionsValidationException e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Equal(
            [
                "IscsiNative:ConfigDirectory must be an absolute path (got '~/iscsi').",
                "IscsiNative:DatabaseLockDirectory must be an absolute path (got 'run/lock').",
                "IscsiNative:OwnershipLockDirectory must be an absolute path (got '').",
                "IscsiNative:MaxParallelLogins must be 1..64 (got 65).",
                "IscsiNative:Restore has an unknown startup class (42); use Automatic, OnBoot or All.",
            ],
            e.Failures);
    }

    [Fact]
    public void Valid_options_pass_the_validator_at_the_limits()
    {
        var options = new IscsiNativeHostingOptions
        {
            MaxParallelLogins = 64,
            StartTimeout = TimeSpan.FromHours(1),
            LogoutTimeout = TimeSpan.FromSeconds(1),
            Restore = [IscsiNodeStartupFilter.OnBoot, IscsiNodeStartupFilter.All],
            AdoptExistingSessions = false,
        };
        Assert.True(new IscsiNativeHostingOptionsValidator().Validate(null, options).Succeeded);
        var low = new IscsiNativeHostingOptions { MaxParallelLogins = 1, StartTimeout = TimeSpan.FromSeconds(1), LogoutTimeout = TimeSpan.FromMinutes(5), Restore = [] };
        Assert.True(new IscsiNativeHostingOptionsValidator().Validate(null, low).Succeeded);
        Assert.Equal([IscsiNodeStartupFilter.Automatic], low.EffectiveRestore);
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
    [InlineData(IscsiServicePhase.NotOwner, 0, 0, 0, HealthStatus.Unhealthy, "not the session owner: iscsid (pid 42) owns the sessions", 1)]
    [InlineData(IscsiServicePhase.Running, 2, 2, 0, HealthStatus.Degraded, "2/2 expected sessions logged in, 0 in recovery; 1 session(s) not owned, nobody recovers them: session 7 iqn.x 10.0.0.9:3260 (NoRecord: no node record for iqn.x)", 1)]
    [InlineData(IscsiServicePhase.Running, 0, 0, 0, HealthStatus.Degraded, "0/0 expected sessions logged in, 0 in recovery; 2 session(s) not owned, nobody recovers them: session 7 iqn.x 10.0.0.9:3260 (NoRecord: no node record for iqn.x); session 8 iqn.y 10.0.0.9:3260 (RecordMismatch: the records of iqn.y are for 10.0.0.2:3260 iface default, the session is to 10.0.0.9:3260 iface default)", 2)]
    [InlineData(IscsiServicePhase.Running, 2, 0, 0, HealthStatus.Unhealthy, "0/2 expected sessions logged in, 0 in recovery; 1 session(s) not owned, nobody recovers them: session 7 iqn.x 10.0.0.9:3260 (NoRecord: no node record for iqn.x)", 1)]
    public void Health_compares_expected_logged_in_and_recovering_sessions_and_reports_sessions_nobody_owns(
        IscsiServicePhase phase, int expected, int loggedIn, int recovering, HealthStatus status, string description, int notOwned = 0)
    {
        string[] nodes = [.. Enumerable.Range(0, expected).Select(i => $"iqn.t{i} 10.0.0.1:3260 default")];
        string[] unowned =
        [
            "session 7 iqn.x 10.0.0.9:3260 (NoRecord: no node record for iqn.x)",
            "session 8 iqn.y 10.0.0.9:3260 (RecordMismatch: the records of iqn.y are for 10.0.0.2:3260 iface default, the session is to 10.0.0.9:3260 iface default)",
        ];
        var snapshot = new IscsiSessionsSnapshot(phase, nodes, nodes[..loggedIn], nodes[loggedIn..(loggedIn + recovering)], "iscsid (pid 42)", "boom") { NotOwned = unowned[..notOwned] };
        Assert.Equal((status, description), IscsiSessionsHealth.Evaluate(snapshot));
    }

    [Fact]
    public async Task The_health_check_reports_counts_missing_nodes_and_unowned_sessions_as_data()
    {
        var snapshot = new IscsiSessionsSnapshot(IscsiServicePhase.Running, ["a p default", "b p default"], ["a p default"], [])
        {
            NotOwned = ["session 9 iqn.z 10.0.0.9:3260 (NoRecord: no node record for iqn.z)"],
        };
        HealthCheckResult r = await IscsiSessionsHealthCheck.Check(snapshot);
        Assert.Equal(HealthStatus.Degraded, r.Status);
        Assert.Equal(
            [("expected", (object)2), ("in_recovery", 0), ("logged_in", 1), ("missing", "b p default"), ("not_owned", 1), ("not_owned_sessions", "session 9 iqn.z 10.0.0.9:3260 (NoRecord: no node record for iqn.z)")],
            r.Data.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value)));
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
