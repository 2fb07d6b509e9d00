using System.Diagnostics;
using System.Globalization;
using System.Text;
using IscsiNative.Benchmarks.Comparison;
using IscsiNative.Initiator;
using IscsiNative.Sysfs;

namespace IscsiNative.Benchmarks.Login;

/// <summary>
/// Login and logout of 1 and N sessions, timed with a Stopwatch: the library's kernel login against
/// <c>iscsiadm -m node -T … --login/--logout</c> and <c>-L all</c>/<c>-U all</c>. Each operation takes seconds and
/// needs the opposite operation between samples, so BenchmarkDotNet's pilot and warm-up stages would only multiply
/// the run time without making a few-sample median more useful. Writes a markdown table.
/// </summary>
/// <remarks>
/// Usage: <c>login --portal 127.0.0.1:3260 --targets FILE --out FILE.md [--reps 3] [--sizes 1,64]</c>; FILE holds one
/// target IQN a line, all discovered (node records exist) and none logged in.
/// </remarks>
internal static class LoginHarness
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(3);

    internal static async Task<int> RunAsync(string[] args)
    {
        string portal = Arg(args, "--portal") ?? "127.0.0.1:3260";
        string[] targets = File.ReadAllLines(Arg(args, "--targets") ?? throw new ArgumentException("--targets FILE"))
            .Where(l => l.Length > 0).ToArray();
        string output = Arg(args, "--out") ?? "vm-login.md";
        int reps = int.Parse(Arg(args, "--reps") ?? "3", CultureInfo.InvariantCulture);
        int[] sizes = (Arg(args, "--sizes") ?? "1,64").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();

        using var initiator = new IscsiInitiator();
        var library = new LibraryLogin(initiator);
        Console.WriteLine($"login: library: {LibraryLogin.Signature}");

        var rows = new List<Row>();
        foreach (int n in sizes)
        {
            if (n > targets.Length)
            {
                Console.WriteLine($"login: skipping {n} sessions: only {targets.Length} targets");
                continue;
            }

            string[] set = targets[..n];
            var shellLogin = new List<double>();
            var shellLogout = new List<double>();
            var libLogin = new List<double>();
            var libLogout = new List<double>();
            for (int r = 0; r < reps; r++)
            {
                ExpectSessions(0, "before iscsiadm login");
                shellLogin.Add(Time(() => IscsiadmLogin(portal, set, n == targets.Length)));
                ExpectSessions(n, "after iscsiadm login");
                shellLogout.Add(Time(() => IscsiadmLogout(portal, set, n == targets.Length)));
                ExpectSessions(0, "after iscsiadm logout");
                using var cts = new CancellationTokenSource(Budget);
                var sessions = new IscsiSession[n];
                long t0 = Stopwatch.GetTimestamp();
                await Task.WhenAll(set.Select(async (t, i) => sessions[i] = await library.LoginAsync(portal, t, cts.Token).ConfigureAwait(false)))
                    .ConfigureAwait(false);
                libLogin.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                ExpectSessions(n, "after library login");
                t0 = Stopwatch.GetTimestamp();
                await Task.WhenAll(sessions.Select(s => library.LogoutAsync(s, cts.Token))).ConfigureAwait(false);
                libLogout.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                ExpectSessions(0, "after library logout");

                Console.WriteLine($"login: {n} sessions, rep {r + 1}/{reps}: iscsiadm {shellLogin[^1]:F0}/{shellLogout[^1]:F0} ms"
                    + $", library {libLogin[^1]:F0}/{libLogout[^1]:F0} ms");
            }

            rows.Add(new Row("Login", n, "IscsiNative LoginAsync (concurrent)", libLogin, true));
            rows.Add(new Row("Login", n, n > 1 ? "iscsiadm -m node -L all" : "iscsiadm -m node -T … -p … --login", shellLogin, false));
            rows.Add(new Row("Logout", n, "IscsiNative LogoutAsync (concurrent)", libLogout, true));
            rows.Add(new Row("Logout", n, n > 1 ? "iscsiadm -m node -U all" : "iscsiadm -m node -T … -p … --logout", shellLogout, false));
        }

        File.WriteAllText(output, Render(rows, reps, LibraryLogin.Signature));
        Console.WriteLine($"login: wrote {output}");
        return 0;
    }

    private static string Render(List<Row> rows, int reps, string libraryNote)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Stopwatch harness, {reps} samples per row (median, min, max); each sample starts with no session logged in.");
        sb.AppendLine(CultureInfo.InvariantCulture, $"Library: {libraryNote}.");
        sb.AppendLine();
        sb.AppendLine("| Operation | Sessions | Method | Median | Min | Max | Ratio |");
        sb.AppendLine("|---|---:|---|---:|---:|---:|---:|");
        foreach (Row row in rows)
        {
            Row baseline = rows.First(r => r.Operation == row.Operation && r.Sessions == row.Sessions && r.IsLibrary);
            string ratio = row.IsLibrary ? (row.Samples.Count > 0 ? "1.00" : "n/a")
                : baseline.Samples.Count > 0 ? Trend(Median(row.Samples) / Median(baseline.Samples)) : "n/a";
            sb.AppendLine(row.Samples.Count == 0
                ? $"| {row.Operation} | {row.Sessions} | {row.Method} | not run | | | {ratio} |"
                : $"| {row.Operation} | {row.Sessions} | {row.Method} | {Ms(Median(row.Samples))} | {Ms(row.Samples.Min())} | {Ms(row.Samples.Max())} | {ratio} |");
        }

        return sb.ToString();
    }

    private static string Trend(double ratio) =>
        ratio >= 1 ? $"{ratio:F2}x slower" : $"{1 / ratio:F2}x faster";

    private static string Ms(double ms) => ms.ToString("N1", CultureInfo.InvariantCulture) + " ms";

    private static double Median(List<double> v)
    {
        double[] s = [.. v.Order()];
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[(s.Length / 2) - 1] + s[s.Length / 2]) / 2;
    }

    private static double Time(Action action)
    {
        long t0 = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }

    private static void IscsiadmLogin(string portal, string[] set, bool all)
    {
        if (set.Length > 1 && all)
        {
            IscsiadmShell.Run("-m node -L all");
            return;
        }

        foreach (string t in set)
        {
            IscsiadmShell.Run($"-m node -T {t} -p {portal} --login");
        }
    }

    private static void IscsiadmLogout(string portal, string[] set, bool all)
    {
        if (set.Length > 1 && all)
        {
            IscsiadmShell.Run("-m node -U all");
            return;
        }

        foreach (string t in set)
        {
            IscsiadmShell.Run($"-m node -T {t} -p {portal} --logout");
        }
    }

    private static void ExpectSessions(int expected, string when)
    {
        using var reader = new SysfsSessionReader("/sys");
        int n = 0;
        foreach (ref readonly IscsiSessionEntry s in reader.EnumerateSessions())
        {
            n++;
        }

        if (n != expected)
        {
            throw new InvalidOperationException($"{when}: {n} sessions, expected {expected}");
        }
    }

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private sealed record Row(string Operation, int Sessions, string Method, List<double> Samples, bool IsLibrary);
}
