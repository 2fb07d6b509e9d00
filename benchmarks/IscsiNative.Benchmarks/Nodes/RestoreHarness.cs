using System.Diagnostics;
using System.Globalization;
using System.Text;
using IscsiNative.Initiator;
using IscsiNative.Nodes;
using IscsiNative.Sysfs;

namespace IscsiNative.Benchmarks.Nodes;

/// <summary>
/// The node-DB commands of the benchmark executable:
/// <c>nodes-seed N</c> writes N node records (manual startup, targets that need not exist) to /etc/iscsi with the
/// library, for <see cref="NodeDatabaseBenchmarks"/>;
/// <c>nodes-restore --out FILE.md [--reps 2]</c> times the boot restore of every automatic node: the library's
/// <c>LoginAllAsync(Automatic)</c> (default parallelism 8, and 64) against <c>iscsiadm -m node --loginall=automatic</c>
/// until every session has its disk (the library returns only then). Each sample starts with no session and ends with a
/// logout that is not timed; the first round of each is an untimed warm-up. Stopwatch, not BenchmarkDotNet: a sample
/// takes seconds and needs the opposite operation in between.
/// </summary>
internal static class RestoreHarness
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(5);

    internal static int Seed(string[] args)
    {
        int n = int.Parse(args[0], CultureInfo.InvariantCulture);
        var db = new IscsiNodeDatabase();
        for (int i = 1; i <= n; i++)
        {
            db.Create(string.Create(CultureInfo.InvariantCulture, $"iqn.2003-01.org.linux-iscsi.bench:seed{i}"), new IscsiPortal("127.0.0.1", 3260), 1);
        }

        Console.WriteLine($"nodes-seed: {db.Query().Nodes.Count} records in {db.Options.Root}");
        return 0;
    }

    internal static async Task<int> RestoreAsync(string[] args)
    {
        string output = Arg(args, "--out") ?? "nodes-restore.md";
        int reps = int.Parse(Arg(args, "--reps") ?? "2", CultureInfo.InvariantCulture);
        var db = new IscsiNodeDatabase();
        int n = db.Query().Nodes.Count(n => n.Startup == IscsiNodeStartup.Automatic || n.ConnectionStartup == IscsiNodeStartup.Automatic);
        Console.WriteLine($"nodes-restore: {n} automatic nodes");
        var lib8 = new List<double>();
        var lib64 = new List<double>();
        var shell = new List<double>();
        for (int r = 0; r <= reps; r++)
        {
            double a = await LibraryAsync(db, n, 8).ConfigureAwait(false);
            double b = Iscsiadm(n);
            double c = await LibraryAsync(db, n, 64).ConfigureAwait(false);
            Console.WriteLine($"nodes-restore: round {r}{(r == 0 ? " (warm-up)" : "")}: library(8) {a:F0} ms, iscsiadm {b:F0} ms, library(64) {c:F0} ms");
            if (r > 0)
            {
                lib8.Add(a);
                shell.Add(b);
                lib64.Add(c);
            }
        }

        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Boot restore of {n} automatic nodes (LIO on loopback, one 4 MiB LUN each), {reps} samples per row after one untimed warm-up round, interleaved; each sample starts with no session and ends when every session has its disk. iscsid runs (iscsiadm needs it; the library does not use it).");
        sb.AppendLine();
        sb.AppendLine("| Method | Median | Min | Max | Ratio |");
        sb.AppendLine("|---|---:|---:|---:|---:|");
        Row(sb, "IscsiNative `LoginAllAsync(Automatic)` (maxParallel 8, default)", lib8, lib8);
        Row(sb, "IscsiNative `LoginAllAsync(Automatic, maxParallel: 64)`", lib64, lib8);
        Row(sb, "`iscsiadm -m node --loginall=automatic` + disks", shell, lib8);
        File.WriteAllText(output, sb.ToString());
        Console.Write(sb.ToString());
        return 0;
    }

    private static async Task<double> LibraryAsync(IscsiNodeDatabase db, int n, int parallel)
    {
        ExpectSessions(0);
        using var cts = new CancellationTokenSource(Budget);
        using var initiator = new IscsiInitiator();
        long t0 = Stopwatch.GetTimestamp();
        IReadOnlyList<IscsiNodeLoginResult> results = await initiator.LoginAllAsync(db, IscsiNodeStartupFilter.Automatic, parallel, cts.Token).ConfigureAwait(false);
        double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        if (results.Count != n || results.Any(r => !r.Succeeded || r.Session!.Devices.Count == 0))
        {
            throw new InvalidOperationException($"LoginAllAsync: {results.Count(r => r.Succeeded)} of {n} nodes logged in; first error: {results.FirstOrDefault(r => r.Error is not null)?.Error}");
        }

        await Task.WhenAll(results.Select(r => initiator.LogoutAsync(r.Session!, cts.Token))).ConfigureAwait(false);
        ExpectSessions(0);
        return ms;
    }

    private static double Iscsiadm(int n)
    {
        ExpectSessions(0);
        long t0 = Stopwatch.GetTimestamp();
        Run("-m node --loginall=automatic");
        long deadline = Stopwatch.GetTimestamp() + (long)(Budget.TotalSeconds * Stopwatch.Frequency);
        while (Disks() < n)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"iscsiadm: {Disks()} of {n} disks after {Budget.TotalSeconds:0} s");
            }

            Thread.Sleep(20);
        }

        double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        Run("-m node -U all");
        ExpectSessions(0);
        return ms;
    }

    private static int Disks() =>
        Directory.Exists("/sys/class/iscsi_session")
            ? Directory.GetDirectories("/sys/class/iscsi_session").Count(s => Directory.EnumerateDirectories(Path.Combine(s, "device")).Any(t =>
                Path.GetFileName(t).StartsWith("target", StringComparison.Ordinal)
                && Directory.EnumerateDirectories(t).Any(l => Directory.Exists(Path.Combine(l, "block")))))
            : 0;

    private static void ExpectSessions(int n)
    {
        long deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        int now;
        while ((now = Directory.Exists("/sys/class/iscsi_session") ? Directory.GetDirectories("/sys/class/iscsi_session").Length : 0) != n)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new InvalidOperationException($"{now} sessions, expected {n}");
            }

            Thread.Sleep(50);
        }
    }

    private static void Run(string arguments)
    {
        var psi = new ProcessStartInfo("iscsiadm", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("iscsiadm did not start");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(Budget))
        {
            p.Kill();
            throw new TimeoutException("iscsiadm " + arguments);
        }

        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"iscsiadm {arguments} exited with {p.ExitCode}: {stderr.Result}{stdout.Result}");
        }
    }

    private static void Row(StringBuilder sb, string name, List<double> samples, List<double> baseline)
    {
        double m = Median(samples);
        double ratio = m / Median(baseline);
        string r = ReferenceEquals(samples, baseline) ? "1.00" : ratio >= 1 ? $"{ratio:F2}x slower" : $"{1 / ratio:F2}x faster";
        sb.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {Ms(m)} | {Ms(samples.Min())} | {Ms(samples.Max())} | {r} |");
    }

    private static string Ms(double ms) => ms.ToString("N0", CultureInfo.InvariantCulture) + " ms";

    private static double Median(List<double> v)
    {
        double[] s = [.. v.Order()];
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[(s.Length / 2) - 1] + s[s.Length / 2]) / 2;
    }

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
