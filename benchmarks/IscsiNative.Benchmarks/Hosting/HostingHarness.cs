using System.Diagnostics;
using System.Globalization;
using System.Text;
using IscsiNative.Hosting;
using IscsiNative.Initiator;
using IscsiNative.Sysfs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using static IscsiNative.Benchmarks.Harness.HarnessTools;

namespace IscsiNative.Benchmarks.Hosting;

/// <summary>
/// Boot restore, timed with a Stopwatch: from the hosted session owner's start (<c>IHost.StartAsync</c> with
/// <c>AddIscsiNative</c>, iscsid stopped) to "every automatic node logged in with its disk", against
/// <c>iscsiadm -m node --loginall=automatic</c> (iscsid running) until every session has its disk; then the next
/// start of the service, which adopts the N live sessions instead of logging in. Samples are interleaved (iscsiadm,
/// service, service adopting) so that the machine's noise hits each method alike.
/// </summary>
/// <remarks>
/// Usage: <c>hosting --targets FILE --out FILE.md [--reps 3] [--db /etc/iscsi]</c>; FILE holds one target IQN a line,
/// every one discovered into the node DB with <c>node.startup = automatic</c>, none logged in, iscsid running or not.
/// The harness starts and stops iscsid itself (<c>iscsid</c>, then SIGTERM to the pid in /run/iscsid.pid).
/// </remarks>
internal static class HostingHarness
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(5);

    internal static async Task<int> RunAsync(string[] args)
    {
        string[] targets = [.. File.ReadAllLines(Arg(args, "--targets") ?? throw new ArgumentException("--targets FILE")).Where(l => l.Length > 0)];
        string output = Arg(args, "--out") ?? "hosting.md";
        string db = Arg(args, "--db") ?? "/etc/iscsi";
        int reps = int.Parse(Arg(args, "--reps") ?? "3", CultureInfo.InvariantCulture);
        int n = targets.Length;
        string lockDir = Path.Combine(Path.GetTempPath(), "iscsinative-bench-lock");

        // Warm-up (not timed): JIT of the host and the library (a start that restores nothing: no on-boot node), and
        // iscsiadm's first run.
        StopIscsid();
        using (IHost warm = Build(db, lockDir, restoreOnBoot: true))
        {
            await warm.StartAsync().ConfigureAwait(false);
            await warm.StopAsync().ConfigureAwait(false);
        }

        StartIscsid();
        Iscsiadm("-m node");
        Console.WriteLine($"hosting: {n} automatic nodes, warm-up done");

        var shell = new List<double>();
        var service = new List<double>();
        var adopt = new List<double>();
        for (int r = 0; r < reps; r++)
        {
            // iscsiadm with iscsid, until every session has its disk (iscsid scans asynchronously after the login).
            ExpectSessions(0, "before iscsiadm");
            long t0 = Stopwatch.GetTimestamp();
            Iscsiadm("-m node --loginall=automatic");
            WaitForDisks(n);
            shell.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            Iscsiadm("-m node -U all");
            ExpectSessions(0, "after iscsiadm logout");
            StopIscsid();

            // The service: restore from nothing, then a restart that adopts.
            using (IHost host = Build(db, lockDir, restoreOnBoot: false))
            {
                t0 = Stopwatch.GetTimestamp();
                await host.StartAsync().ConfigureAwait(false);
                service.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                Check(host, n, adopted: 0, loggedIn: n);
                WaitForDisks(n);
                await host.StopAsync().ConfigureAwait(false);
            }

            using (IHost host = Build(db, lockDir, restoreOnBoot: false))
            {
                t0 = Stopwatch.GetTimestamp();
                await host.StartAsync().ConfigureAwait(false);
                adopt.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                Check(host, n, adopted: n, loggedIn: 0);
                await host.StopAsync().ConfigureAwait(false);
            }

            await LogoutAllAsync().ConfigureAwait(false);
            StartIscsid();
            Console.WriteLine($"hosting: rep {r + 1}/{reps}: iscsiadm {shell[^1]:F0} ms, service start {service[^1]:F0} ms, service start adopting {adopt[^1]:F0} ms");
            File.WriteAllText(output, Render(n, reps, shell, service, adopt));
        }

        Console.WriteLine($"hosting: wrote {output}");
        return 0;
    }

    private static IHost Build(string db, string lockDir, bool restoreOnBoot)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddIscsiNative(o =>
        {
            o.DatabaseRoot = db;
            o.ConfigDirectory = db;
            o.OwnershipLockDirectory = lockDir;
            o.StartTimeout = Budget;
            o.MaxParallelLogins = 64;
            o.Restore = restoreOnBoot ? [global::IscsiNative.Nodes.IscsiNodeStartupFilter.OnBoot] : null;
        });
        return builder.Build();
    }

    /// <summary>Not timed: the start did what it should (owner, adopted and logged-in counts, every session LOGGED_IN).</summary>
    private static void Check(IHost host, int n, int adopted, int loggedIn)
    {
        IscsiSessionOwnerService service = host.Services.GetRequiredService<IscsiSessionOwnerService>();
        int owned = service.Adoption?.Owned.Count() ?? -1;
        int logins = service.Logins.Count(l => l.Session is not null);
        if (service.Phase != IscsiServicePhase.Running || owned != adopted || logins != loggedIn || service.Logins.Count != n)
        {
            throw new InvalidOperationException($"service start: phase {service.Phase}, {owned} adopted, {logins} logged in, {service.Logins.Count(l => l.Error is not null)} failed; expected {adopted} adopted and {loggedIn} logged in of {n}");
        }

        ExpectSessions(n, "after the service start");
    }

    private static async Task LogoutAllAsync()
    {
        using var cts = new CancellationTokenSource(Budget);
        await using var initiator = new IscsiInitiator();
        await Task.WhenAll(initiator.GetSessions().Select(s => initiator.LogoutAsync(s.Sid, TimeSpan.FromSeconds(30), cts.Token))).ConfigureAwait(false);
        ExpectSessions(0, "after the library logout");
    }

    private static string Render(int n, int reps, List<double> shell, List<double> service, List<double> adopt)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Stopwatch harness, {reps} interleaved samples per row (median, min, max); each login sample starts with no session, iscsid runs only for iscsiadm. Ready = every automatic node has a LOGGED_IN session with its disk.");
        sb.AppendLine("Service: Host.CreateApplicationBuilder + AddIscsiNative (MaxParallelLogins 64), timed IHost.StartAsync (the restore runs inside it; ApplicationStarted and systemd's READY=1 follow it); the host is built before the clock starts.");
        sb.AppendLine();
        sb.AppendLine("| Operation | Sessions | Method | Median | Min | Max | Ratio |");
        sb.AppendLine("|---|---:|---|---:|---:|---:|---:|");
        Row(sb, "Boot restore", n, "IscsiNative.Hosting start (iscsid stopped)", service, service);
        Row(sb, "Boot restore", n, "iscsiadm -m node --loginall=automatic + disks (iscsid running)", shell, service);
        Row(sb, "Restart", n, "IscsiNative.Hosting start adopting the live sessions", adopt, adopt);
        Row(sb, "Restart", n, "vs the service's boot restore", service, adopt);
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, string op, int n, string method, List<double> samples, List<double> baseline)
    {
        double ratio = Median(samples) / Median(baseline);
        string r = ReferenceEquals(samples, baseline) ? "1.00" : ratio >= 1 ? $"{ratio:F2}x slower" : $"{1 / ratio:F2}x faster";
        sb.AppendLine(CultureInfo.InvariantCulture, $"| {op} | {n} | {method} | {Ms(Median(samples))} | {Ms(samples.Min())} | {Ms(samples.Max())} | {r} |");
    }

    private static string Ms(double ms) => ms.ToString("N1", CultureInfo.InvariantCulture) + " ms";

    private static double Median(List<double> v)
    {
        double[] s = [.. v.Order()];
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[(s.Length / 2) - 1] + s[s.Length / 2]) / 2;
    }

    private static void WaitForDisks(int n)
    {
        long t0 = Stopwatch.GetTimestamp();
        while (true)
        {
            int sessions = 0, disks = 0;
            using (var reader = new SysfsSessionReader("/sys"))
            {
                foreach (ref readonly IscsiSessionEntry s in reader.EnumerateSessions())
                {
                    sessions++;
                }
            }

            foreach (string dir in Directory.EnumerateDirectories("/sys/class/iscsi_session"))
            {
                string device = Path.Combine(dir, "device");
                disks += Directory.Exists(device) ? Directory.EnumerateDirectories(device, "target*").SelectMany(t => Directory.EnumerateDirectories(t, "*:*")).Count(l => Directory.Exists(Path.Combine(l, "block"))) : 0;
            }

            if (sessions == n && disks >= n)
            {
                return;
            }

            if (Stopwatch.GetElapsedTime(t0) > Budget)
            {
                throw new TimeoutException($"{sessions} sessions, {disks} disks of {n} after {Budget}");
            }

            Thread.Sleep(20);
        }
    }

    private static void StartIscsid()
    {
        Run("iscsid", "", TimeSpan.FromMinutes(1));
        WaitFor(() => IscsidListens(), "iscsid did not start listening");
    }

    private static void StopIscsid()
    {
        if (File.Exists("/run/iscsid.pid") && File.ReadAllText("/run/iscsid.pid").Trim() is { Length: > 0 } pid && Directory.Exists("/proc/" + pid))
        {
            Run("kill", "-TERM " + pid, TimeSpan.FromMinutes(1));
        }

        WaitFor(() => !IscsidListens(), "iscsid did not stop");
    }

    private static bool IscsidListens() => File.ReadLines("/proc/net/unix").Any(l => l.EndsWith("@ISCSIADM_ABSTRACT_NAMESPACE", StringComparison.Ordinal));

    private static void WaitFor(Func<bool> condition, string what)
    {
        for (int i = 0; i < 300; i++)
        {
            if (condition())
            {
                return;
            }

            Thread.Sleep(50);
        }

        throw new TimeoutException(what);
    }

    /// <summary>Runs iscsiadm (bounded: 10 minutes); 21 (nothing found) is accepted.</summary>
    private static void Iscsiadm(string arguments) => Run("iscsiadm", arguments, TimeSpan.FromMinutes(10), 0, 21);
}
