using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using IscsiNative.Hosting;
using IscsiNative.Initiator;
using IscsiNative.Nodes;
using IscsiNative.VmTests.Adoption;
using IscsiNative.VmTests.Infrastructure;
using IscsiNative.VmTests.Login;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IscsiNative.VmTests.Hosting;

/// <summary>
/// The hosted session owner (IscsiNative.Hosting) on the real kernel, iscsid stopped unless a test says otherwise: a
/// "reboot" (start, stop, start again), two owners at once, sessions it cannot own, and systemd readiness through a
/// NOTIFY_SOCKET the test binds. Node records live in a per-test database, the ownership lock in a per-test directory.
/// </summary>
[Collection(VmCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostedServiceVmTests(VmFixture vm) : IDisposable
{
    // A liveness bound for starts and helper processes (dotnet start plus logins under TCG), not a speed check. Two
    // child hosts starting at once, first in a run (cold JIT) on a loaded build machine, were seen needing ~150 s to
    // reach their logins (and a target-side 15 s login timeout then cost a retry): generous on purpose.
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(300);

    private readonly string _root = Directory.CreateTempSubdirectory("hosted-").FullName;

    private string DbRoot => Path.Combine(_root, "db");

    private string LockDir => Path.Combine(_root, "lock");

    [VmFact]
    public async Task Reboot_start_loads_iscsi_tcp_and_logs_in_exactly_the_automatic_nodes_stop_leaves_them_the_next_start_adopts_and_with_iscsid_running_it_stands_aside()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        IDisposable? noIscsid = vm.SuspendIscsid();
        using LioTarget auto1 = LoginVm.Target("hosted-auto1");
        using LioTarget auto2 = LoginVm.Target("hosted-auto2");
        using LioTarget connAuto = LoginVm.Target("hosted-connauto");
        using LioTarget manual = LoginVm.Target("hosted-manual");
        using LioTarget onBoot = LoginVm.Target("hosted-onboot");
        Record(auto1.Iqn, IscsiNodeStartup.Automatic);
        Record(auto2.Iqn, IscsiNodeStartup.Automatic);
        Record(connAuto.Iqn, IscsiNodeStartup.Manual, IscsiNodeStartup.Automatic);   // --loginall=automatic matches conn[0].startup too
        Record(manual.Iqn, IscsiNodeStartup.Manual);
        Record(onBoot.Iqn, IscsiNodeStartup.OnBoot);
        string[] automatic = [.. new[] { auto1.Iqn, auto2.Iqn, connAuto.Iqn }.Order(StringComparer.Ordinal)];
        string[] all = [.. automatic, manual.Iqn, onBoot.Iqn];
        try
        {
            Assert.Empty(SysfsProbe.Sessions());
            ProcessResult rmmod = ProcessRunner.Run(TimeSpan.FromSeconds(30), "rmmod", "iscsi_tcp", "libiscsi_tcp");
            Assert.True(rmmod.ExitCode == 0, rmmod.ToString());
            Assert.False(Directory.Exists("/sys/module/iscsi_tcp"));

            // First start: module loaded, exactly the automatic nodes logged in, healthy, counted.
            Dictionary<string, int> sids;
            using (IHost host = BuildHost())
            using (var meters = new MeterCapture(host))
            {
                IscsiSessionOwnerService service = host.Services.GetRequiredService<IscsiSessionOwnerService>();
                await host.StartAsync(ct).WaitAsync(Bounded, ct);
                Assert.True(Directory.Exists("/sys/module/iscsi_tcp"), "the start did not load iscsi_tcp");
                Assert.Equal(IscsiServicePhase.Running, service.Phase);
                Assert.Equal(automatic, LoggedInTargets(all));
                Assert.All(automatic, iqn => Assert.NotEmpty(SysfsProbe.BlockDevices(Probe(iqn))));
                Assert.NotNull(service.Adoption);
                Assert.Empty(service.Adoption.Sessions);
                Assert.Equal(automatic, service.Logins.Where(r => r.Session is not null).Select(r => r.Node.TargetName).Order(StringComparer.Ordinal));
                Assert.Equal(3, service.Logins.Count);

                HealthReportEntry health = await HealthAsync(host, ct);
                Assert.Equal((HealthStatus.Healthy, "3/3 expected sessions logged in, 0 in recovery"), (health.Status, health.Description));
                Assert.Equal((3, 3, 0, 0), ((int)health.Data["expected"], (int)health.Data["logged_in"], (int)health.Data["in_recovery"], (int)health.Data["not_owned"]));
                meters.Observe();
                Assert.Equal((3, 0, 3), (meters.Sum("iscsi.logins"), meters.Sum("iscsi.login.failures"), meters.Count("iscsi.login.duration")));
                Assert.Equal(new[] { ("iscsi.session.state=logged_in", 3.0) }, meters.ObservedSessions());

                sids = automatic.ToDictionary(iqn => iqn, Probe);
                await host.StopAsync(ct).WaitAsync(Bounded, ct);
                Assert.Equal(IscsiServicePhase.Stopped, service.Phase);
            }

            // Stop left the sessions running.
            Assert.Equal(automatic, LoggedInTargets(all));
            Assert.Equal(sids, automatic.ToDictionary(iqn => iqn, Probe));

            // Second start: adopts them, logs in nothing (same SIDs, same count, no login counted).
            using (IHost host = BuildHost())
            using (var meters = new MeterCapture(host))
            {
                IscsiSessionOwnerService service = host.Services.GetRequiredService<IscsiSessionOwnerService>();
                await host.StartAsync(ct).WaitAsync(Bounded, ct);
                Assert.Equal(IscsiServicePhase.Running, service.Phase);
                Assert.Equal(
                    sids.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value, IscsiAdoptionOutcome.Adopted)),
                    service.Adoption!.Sessions.OrderBy(s => s.TargetName, StringComparer.Ordinal).Select(s => (s.TargetName, s.Sid, s.Outcome)));
                Assert.Equal(3, service.Logins.Count);
                Assert.All(service.Logins, r => Assert.True(r.AlreadyLoggedIn, r.Node.TargetName + " logged in again"));
                Assert.Equal(3, SysfsProbe.Sessions().Count);
                Assert.Equal(sids, automatic.ToDictionary(iqn => iqn, Probe));

                HealthReportEntry health = await HealthAsync(host, ct);
                Assert.Equal((HealthStatus.Healthy, "3/3 expected sessions logged in, 0 in recovery"), (health.Status, health.Description));
                meters.Observe();
                Assert.Equal((0, 0, 3, 0), (meters.Sum("iscsi.logins"), meters.Count("iscsi.login.duration"), meters.Sum("iscsi.adoptions", "iscsi.adoption.outcome=adopted"), meters.Sum("iscsi.recoveries")));
                Assert.Equal(new[] { ("iscsi.session.state=logged_in", 3.0) }, meters.ObservedSessions());
                await host.StopAsync(ct).WaitAsync(Bounded, ct);
            }

            Assert.Equal(sids, automatic.ToDictionary(iqn => iqn, Probe));

            // iscsid back (after a logout: a restarted iscsid re-logs in what it finds): the service stands aside.
            await LogoutAsync(all, ct);
            noIscsid.Dispose();
            noIscsid = null;
            int iscsid = Pids("iscsid").Min();
            string iscsidLockDir = Path.Combine(_root, "lock-iscsid");
            using (IHost host = BuildHost(o => o.OwnershipLockDirectory = iscsidLockDir))
            using (var meters = new MeterCapture(host))
            {
                IscsiSessionOwnerService service = host.Services.GetRequiredService<IscsiSessionOwnerService>();
                await host.StartAsync(ct).WaitAsync(Bounded, ct);
                Assert.Equal(IscsiServicePhase.NotOwner, service.Phase);
                HealthReportEntry health = await HealthAsync(host, ct);
                Assert.Equal(
                    (HealthStatus.Unhealthy, string.Create(CultureInfo.InvariantCulture, $"not the session owner: iscsid (pid {iscsid}) owns the sessions")),
                    (health.Status, health.Description));
                Assert.Empty(LoggedInTargets(all));
                Assert.Empty(service.Logins);
                Assert.False(Directory.Exists(iscsidLockDir), "the ownership lock was taken although iscsid runs");
                meters.Observe();
                Assert.Equal((0, 0), (meters.Count("iscsi.logins"), meters.Count("iscsi.adoptions")));
                Assert.Empty(meters.ObservedSessions());
                await host.StopAsync(ct).WaitAsync(Bounded, ct);
            }

            Assert.Empty(LoggedInTargets(all));
        }
        finally
        {
            await LogoutAsync(all, CancellationToken.None);
            noIscsid?.Dispose();
        }
    }

    [VmFact]
    public async Task Two_hosted_owners_started_at_once_exactly_one_logs_in_and_owns_and_the_other_reports_its_pid()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using IDisposable noIscsid = vm.SuspendIscsid();
        using LioTarget a = LoginVm.Target("hosted-two-a");
        using LioTarget b = LoginVm.Target("hosted-two-b");
        Record(a.Iqn, IscsiNodeStartup.Automatic);
        Record(b.Iqn, IscsiNodeStartup.Automatic);
        string[] iqns = [a.Iqn, b.Iqn];
        try
        {
            using HelperProcess first = HelperProcess.StartHelper("host", DbRoot, LockDir);
            using HelperProcess second = HelperProcess.StartHelper("host", DbRoot, LockDir);
            List<string>[] answers = await Task.WhenAll(first.ReadUntilAsync("ready", Bounded), second.ReadUntilAsync("ready", Bounded));
            HelperProcess[] hosts = [first, second];
            int owner = Array.FindIndex(answers, l => l.FirstOrDefault() == "phase Running");
            Assert.True(owner >= 0, "nobody owns: " + string.Join(" / ", answers.Select(l => string.Join(" | ", l))));
            Assert.Equal(["phase Running", "health Healthy 2/2 expected sessions logged in, 0 in recovery"], answers[owner]);
            Assert.Equal(
                ["phase NotOwner", string.Create(CultureInfo.InvariantCulture, $"health Unhealthy not the session owner: process {hosts[owner].Process.Id} owns the sessions")],
                answers[1 - owner]);
            Assert.All(iqns, iqn => Assert.Equal("LOGGED_IN", Assert.Single(SysfsProbe.SessionsTo(iqn)).State));
            Dictionary<string, int> sids = iqns.ToDictionary(iqn => iqn, Probe);

            foreach (HelperProcess host in new[] { hosts[1 - owner], hosts[owner] })
            {
                host.Process.StandardInput.Close();
                Assert.Empty(await host.ReadUntilAsync("stopped", Bounded));
                Assert.Equal(0, host.WaitForExit(Bounded));
            }

            Assert.Equal(sids, iqns.ToDictionary(iqn => iqn, Probe));
        }
        finally
        {
            await LogoutAsync(iqns, CancellationToken.None);
        }
    }

    [VmFact]
    public async Task Sessions_without_a_matching_record_are_reported_not_owned_and_with_AdoptExistingSessions_false_nothing_is_adopted()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using IDisposable noIscsid = vm.SuspendIscsid();
        using LioTarget a = LoginVm.Target("hosted-bad-a");
        using LioTarget b = LoginVm.Target("hosted-bad-b");
        using LioTarget c = LoginVm.Target("hosted-bad-c");
        IscsiNodeDatabase db = Record(a.Iqn, IscsiNodeStartup.Automatic);
        Record(b.Iqn, IscsiNodeStartup.Automatic);
        Record(c.Iqn, IscsiNodeStartup.Automatic);
        string[] iqns = [a.Iqn, b.Iqn, c.Iqn];
        try
        {
            // A previous owner logged them in and went away (dispose leaves the sessions, as an exiting iscsid).
            Dictionary<string, int> sids = [];
            using (var previous = new IscsiInitiator())
            {
                foreach (string iqn in iqns)
                {
                    sids[iqn] = (await previous.LoginNodeAsync(db.Find(iqn, LoginVm.Portal)!, ct)).Sid;
                }
            }

            // Bad input behind the sessions' back: b's record now names another portal (and is manual), c's is gone.
            Directory.Delete(Path.Combine(DbRoot, "nodes", b.Iqn), recursive: true);
            db.Create(b.Iqn, new IscsiPortal("127.0.0.2", 3260));
            Directory.Delete(Path.Combine(DbRoot, "nodes", c.Iqn), recursive: true);
            string mismatch = string.Create(CultureInfo.InvariantCulture, $"session {sids[b.Iqn]} {b.Iqn} 127.0.0.1:3260 (RecordMismatch: the records of {b.Iqn} are for 127.0.0.2:3260 iface default, the session is to 127.0.0.1:3260 iface default)");
            string noRecord = string.Create(CultureInfo.InvariantCulture, $"session {sids[c.Iqn]} {c.Iqn} 127.0.0.1:3260 (NoRecord: no node record for {c.Iqn})");

            using (IHost host = BuildHost())
            using (var meters = new MeterCapture(host))
            {
                IscsiSessionOwnerService service = host.Services.GetRequiredService<IscsiSessionOwnerService>();
                await host.StartAsync(ct).WaitAsync(Bounded, ct);
                Assert.Equal(IscsiServicePhase.Running, service.Phase);
                Assert.Equal(
                    new[] { (sids[a.Iqn], IscsiAdoptionOutcome.Adopted), (sids[b.Iqn], IscsiAdoptionOutcome.RecordMismatch), (sids[c.Iqn], IscsiAdoptionOutcome.NoRecord) }.Order(),
                    service.Adoption!.Sessions.Select(s => (s.Sid, s.Outcome)).Order());
                HealthReportEntry health = await HealthAsync(host, ct);
                Assert.Equal(HealthStatus.Degraded, health.Status);
                // b logged in before c, so its SID is lower: the report lists by SID.
                Assert.Equal($"1/1 expected sessions logged in, 0 in recovery; 2 session(s) not owned, nobody recovers them: {mismatch}; {noRecord}", health.Description);
                Assert.Equal((1, 1, 2), ((int)health.Data["expected"], (int)health.Data["logged_in"], (int)health.Data["not_owned"]));
                meters.Observe();
                Assert.Equal(
                    (1, 1, 1, 0),
                    (meters.Sum("iscsi.adoptions", "iscsi.adoption.outcome=adopted"), meters.Sum("iscsi.adoptions", "iscsi.adoption.outcome=record_mismatch"),
                        meters.Sum("iscsi.adoptions", "iscsi.adoption.outcome=no_record"), meters.Count("iscsi.logins")));
                await host.StopAsync(ct).WaitAsync(Bounded, ct);
            }

            // AdoptExistingSessions=false: the host lock is taken, but nothing is adopted; all three are reported.
            using (IHost host = BuildHost(o => o.AdoptExistingSessions = false))
            using (var meters = new MeterCapture(host))
            {
                IscsiSessionOwnerService service = host.Services.GetRequiredService<IscsiSessionOwnerService>();
                await host.StartAsync(ct).WaitAsync(Bounded, ct);
                Assert.Equal(IscsiServicePhase.Running, service.Phase);
                Assert.Null(service.Adoption);
                Assert.True(Assert.Single(service.Logins).AlreadyLoggedIn);
                HealthReportEntry health = await HealthAsync(host, ct);
                Assert.Equal(HealthStatus.Degraded, health.Status);
                Assert.Equal(3, (int)health.Data["not_owned"]);
                Assert.Equal(
                    iqns.Select(iqn => string.Create(CultureInfo.InvariantCulture, $"session {sids[iqn]} {iqn} 127.0.0.1:3260 (not adopted: AdoptExistingSessions is false)")).Order(StringComparer.Ordinal),
                    ((string)health.Data["not_owned_sessions"]).Split("; ").Order(StringComparer.Ordinal));
                meters.Observe();
                Assert.Equal((0, 0), (meters.Count("iscsi.adoptions"), meters.Count("iscsi.logins")));

                // It owns the host all the same: an adopter is refused with this process's pid.
                using (var other = new IscsiInitiator())
                {
                    IscsiOwnershipException refused = await Assert.ThrowsAsync<IscsiOwnershipException>(() => other.AdoptSessionsAsync(db, new IscsiAdoptionOptions { LockDirectory = LockDir }, ct));
                    Assert.Equal((IscsiSessionOwnerKind.IscsiNative, (int?)Environment.ProcessId), (refused.Owner, refused.OwnerPid));
                }

                await host.StopAsync(ct).WaitAsync(Bounded, ct);
            }

            Assert.Equal(sids, iqns.ToDictionary(iqn => iqn, Probe));
        }
        finally
        {
            await LogoutAsync(iqns, CancellationToken.None);
        }
    }

    [VmFact]
    public async Task Under_systemd_the_sample_worker_sends_READY_only_once_the_automatic_sessions_exist_and_STOPPING_at_SIGTERM_leaving_them()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using IDisposable noIscsid = vm.SuspendIscsid();
        using LioTarget a = LoginVm.Target("hosted-notify-a");
        using LioTarget b = LoginVm.Target("hosted-notify-b");
        using LioTarget m = LoginVm.Target("hosted-notify-m");
        Record(a.Iqn, IscsiNodeStartup.Automatic);
        Record(b.Iqn, IscsiNodeStartup.Automatic);
        Record(m.Iqn, IscsiNodeStartup.Manual);
        string[] automatic = [.. new[] { a.Iqn, b.Iqn }.Order(StringComparer.Ordinal)];
        string[] all = [.. automatic, m.Iqn];
        string sample = Path.Combine(Environment.GetEnvironmentVariable("VM_REPO") ?? "/work/main", "samples", "IscsiNative.HostedSample", "bin", Environment.GetEnvironmentVariable("CONFIG") ?? "Release", "net10.0", "iscsinative-hosted.dll");
        Assert.True(File.Exists(sample), sample + " is not built");
        string socketPath = Path.Combine(_root, "notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        try
        {
            // Microsoft.Extensions.Hosting.Systemd treats a process as a systemd service when its parent's comm is "systemd"
            // (or it is pid 1 with NOTIFY_SOCKET set); only then does AddSystemd() register the notifier and the lifetime.
            // The parent here is a shell started through a symlink named "systemd" (comm = the name it was run by) that
            // runs the worker as its child and waits for it, as systemd does; NOTIFY_SOCKET is where to notify.
            string systemd = Path.Combine(_root, "bin", "systemd");
            Directory.CreateDirectory(Path.GetDirectoryName(systemd)!);
            File.CreateSymbolicLink(systemd, "/bin/sh");
            using HelperProcess unit = HelperProcess.Start(
                systemd,
                ["-c", "\"$@\" & wait $!", "systemd", "dotnet", sample, "--IscsiNative:DatabaseRoot=" + DbRoot, "--IscsiNative:DatabaseLockDirectory=" + Path.Combine(DbRoot, ".lock"), "--IscsiNative:OwnershipLockDirectory=" + LockDir],
                new Dictionary<string, string>
                {
                    ["NOTIFY_SOCKET"] = socketPath,

                    // The content root is the working directory (the repository here, a 9p share): no recursive file watcher on it.
                    ["DOTNET_hostBuilder__reloadConfigOnChange"] = "false",
                });
            Assert.True(Wait.Until(() => ReadComm(unit.Process.Id.ToString(CultureInfo.InvariantCulture)) == "systemd", TimeSpan.FromSeconds(10)), "the parent is not named systemd");
            int worker = 0;
            Assert.True(Wait.Until(() => (worker = ChildOf(unit.Process.Id)) > 0, TimeSpan.FromSeconds(10)), "the worker did not start");
            var messages = new List<string>();
            Dictionary<string, (int Sid, string State, int Disks)>? atReady = null;
            using (var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                bounded.CancelAfter(Bounded);
                byte[] buffer = new byte[4096];
                while (atReady is null)
                {
                    int n;
                    try
                    {
                        n = await socket.ReceiveAsync(buffer, SocketFlags.None, bounded.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        throw new TimeoutException($"no READY: messages {string.Join(" | ", messages)}; stderr: {unit.StdErr}; {HelperProcess.ProcDump(worker)}");
                    }

                    string message = Encoding.UTF8.GetString(buffer, 0, n);
                    messages.Add(message);
                    if (message.Split('\n').Contains("READY=1"))
                    {
                        // Read the kernel's state the moment READY arrives.
                        atReady = all.Where(iqn => SysfsProbe.SessionsTo(iqn).Count > 0).ToDictionary(iqn => iqn, iqn =>
                        {
                            ProbedSession s = Assert.Single(SysfsProbe.SessionsTo(iqn));
                            return (s.Sid, s.State, SysfsProbe.BlockDevices(s.Sid).Count);
                        });
                    }
                }
            }

            Assert.Equal(automatic, atReady.Keys.Order(StringComparer.Ordinal));
            Assert.All(atReady.Values, s => Assert.Equal(("LOGGED_IN", 1), (s.State, s.Disks)));
            Assert.Equal(["STATUS=Restoring iSCSI sessions", "STATUS=Owning 2 iSCSI session(s)", "READY=1"], messages);

            ProcessResult term = ProcessRunner.Run(TimeSpan.FromSeconds(10), "kill", "-TERM", worker.ToString(CultureInfo.InvariantCulture));
            Assert.True(term.ExitCode == 0, term.ToString());
            using (var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                bounded.CancelAfter(Bounded);
                byte[] buffer = new byte[4096];
                int n = await socket.ReceiveAsync(buffer, SocketFlags.None, bounded.Token);
                Assert.Equal("STOPPING=1", Encoding.UTF8.GetString(buffer, 0, n));
            }

            Assert.Equal(0, unit.WaitForExit(Bounded));   // the shell's exit code is the worker's
            Assert.Equal(atReady.ToDictionary(kv => kv.Key, kv => kv.Value.Sid), automatic.ToDictionary(iqn => iqn, Probe));
            Assert.Equal(automatic, LoggedInTargets(all));
        }
        finally
        {
            await LogoutAsync(all, CancellationToken.None);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<HealthReportEntry> HealthAsync(IHost host, CancellationToken ct)
    {
        HealthReport report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(ct);
        return report.Entries[IscsiNativeServiceCollectionExtensions.HealthCheckName];
    }

    private static int Probe(string iqn)
    {
        ProbedSession s = Assert.Single(SysfsProbe.SessionsTo(iqn));
        Assert.Equal("LOGGED_IN", s.State);
        return s.Sid;
    }

    private static string[] LoggedInTargets(IEnumerable<string> iqns) =>
        [.. iqns.Where(iqn => SysfsProbe.SessionsTo(iqn).Any(s => s.State == "LOGGED_IN")).Order(StringComparer.Ordinal)];

    private static async Task LogoutAsync(IEnumerable<string> iqns, CancellationToken ct)
    {
        using var initiator = new IscsiInitiator();
        foreach (string iqn in iqns)
        {
            foreach (ProbedSession s in SysfsProbe.SessionsTo(iqn))
            {
                await initiator.LogoutAsync(s.Sid, TimeSpan.FromSeconds(10), ct);
            }
        }
    }

    private static IEnumerable<int> Pids(string comm) => Directory.EnumerateDirectories("/proc").Select(Path.GetFileName)
        .Where(n => n!.All(char.IsAsciiDigit) && ReadComm(n!) == comm).Select(n => HelperProcess.ParsePid(n!));

    /// <summary>The first child of <paramref name="pid"/>, or 0.</summary>
    private static int ChildOf(int pid)
    {
        try
        {
            string children = File.ReadAllText($"/proc/{pid}/task/{pid}/children").Trim();
            return children.Length == 0 ? 0 : HelperProcess.ParsePid(children.Split(' ')[0]);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static string? ReadComm(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>A host as a service would build it (Host.CreateApplicationBuilder + AddIscsiNative), on this test's database and lock.</summary>
    private IHost BuildHost(Action<IscsiNativeHostingOptions>? more = null)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = _root });
        builder.Logging.ClearProviders();
        builder.Services.AddIscsiNative(o =>
        {
            o.DatabaseRoot = DbRoot;
            o.DatabaseLockDirectory = Path.Combine(DbRoot, ".lock");
            o.OwnershipLockDirectory = LockDir;
            o.StartTimeout = TimeSpan.FromMinutes(2);
            more?.Invoke(o);
        });
        return builder.Build();
    }

    /// <summary>A node record at the test portal with the given startup (and conn[0].startup), in this test's database.</summary>
    private IscsiNodeDatabase Record(string iqn, IscsiNodeStartup startup, IscsiNodeStartup connectionStartup = IscsiNodeStartup.Manual)
    {
        var db = new IscsiNodeDatabase(new IscsiNodeDatabaseOptions { Root = DbRoot, LockDirectory = Path.Combine(DbRoot, ".lock") });
        db.Create(iqn, LoginVm.Portal, 1);
        db.Update(iqn, LoginVm.Portal, "default", n =>
        {
            n.Startup = startup;
            n.ConnectionStartup = connectionStartup;
            n.LoginTimeout = 15;
        });
        return db;
    }

    /// <summary>The IscsiNative meter of one host (meters are scoped to the host's IMeterFactory), through a MeterListener.</summary>
    private sealed class MeterCapture : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string Name, double Value, string Tags)> _measurements = [];
        private List<(string Tags, double Value)> _observed = [];

        public MeterCapture(IHost host)
        {
            IMeterFactory factory = host.Services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == IscsiNativeMetrics.MeterName && ReferenceEquals(i.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(i);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
            _listener.SetMeasurementEventCallback<int>((i, v, t, _) => Add(i, v, t));
            _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
            _listener.Start();
        }

        /// <summary>Sum of the measurements of <paramref name="name"/> (with <paramref name="tag"/> among the tags, if given).</summary>
        public int Sum(string name, string? tag = null) => (int)Select(name, tag).Sum();

        /// <summary>Number of measurements of <paramref name="name"/>.</summary>
        public int Count(string name, string? tag = null) => Select(name, tag).Count();

        /// <summary>The last observation of <c>iscsi.session.count</c>, as (tags, value).</summary>
        public List<(string Tags, double Value)> ObservedSessions()
        {
            lock (_measurements)
            {
                return [.. _observed];
            }
        }

        /// <summary>Collects the observable instruments now.</summary>
        public void Observe()
        {
            lock (_measurements)
            {
                int before = _measurements.Count;
                _listener.RecordObservableInstruments();
                _observed = [.. _measurements.Skip(before).Where(m => m.Name == "iscsi.session.count").Select(m => (m.Tags, m.Value))];
            }
        }

        public void Dispose() => _listener.Dispose();

        private IEnumerable<double> Select(string name, string? tag)
        {
            lock (_measurements)
            {
                return [.. _measurements.Where(m => m.Name == name && (tag is null || m.Tags.Split(',').Contains(tag))).Select(m => m.Value)];
            }
        }

        private void Add(Instrument i, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string text = string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"));
            lock (_measurements)
            {
                _measurements.Add((i.Name, value, text));
            }
        }
    }
}
