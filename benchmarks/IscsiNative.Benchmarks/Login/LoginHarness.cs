using System.Diagnostics;
using System.Globalization;
using System.Text;
using IscsiNative.Initiator;
using IscsiNative.Sysfs;
using static IscsiNative.Benchmarks.Harness.HarnessTools;

namespace IscsiNative.Benchmarks.Login;

/// <summary>
/// Login and logout of 1 and N sessions, timed with a Stopwatch: the library's kernel login against
/// <c>iscsiadm -m node -T … --login/--logout</c> and <c>-L all</c>/<c>-U all</c>. Each operation takes seconds and
/// needs the opposite operation between samples, so BenchmarkDotNet's pilot and warm-up stages would only multiply
/// the run time without making a few-sample median more useful. Writes a markdown table, and with <c>--profile</c>
/// one more, separately profiled library login + logout per size (<see cref="LoginProfile"/>).
/// </summary>
/// <remarks>
/// Usage: <c>login --portal 127.0.0.1:3260 --targets FILE --out FILE.md [--reps 3] [--large-reps 1] [--sizes 1,64,256]
/// [--profile FILE.md]</c>; FILE holds one target IQN a line, all discovered (node records exist) and none logged in.
/// Sizes of 128 and more take <c>--large-reps</c> samples (iscsiadm needs minutes for them under emulation). For a
/// size below the number of targets, exactly those nodes are set to <c>node.startup = automatic</c> (the others
/// manual) and iscsiadm logs them in with <c>-L automatic</c>: the same code path as <c>-L all</c>.
/// </remarks>
internal static class LoginHarness
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(10);

    internal static async Task<int> RunAsync(string[] args)
    {
        string portal = Arg(args, "--portal") ?? "127.0.0.1:3260";
        string[] targets = File.ReadAllLines(Arg(args, "--targets") ?? throw new ArgumentException("--targets FILE"))
            .Where(l => l.Length > 0).ToArray();
        string output = Arg(args, "--out") ?? "vm-login.md";
        string? profileOutput = Arg(args, "--profile");
        int reps = int.Parse(Arg(args, "--reps") ?? "3", CultureInfo.InvariantCulture);
        int largeReps = int.Parse(Arg(args, "--large-reps") ?? "1", CultureInfo.InvariantCulture);
        int[] sizes = (Arg(args, "--sizes") ?? "1,64").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();

        await using var initiator = new IscsiInitiator();
        var library = new LibraryLogin(initiator);
        Console.WriteLine($"login: library: {LibraryLogin.Signature}");

        // Warm-up (not timed): JIT and first-use costs of the library, iscsid's first login, page cache.
        ExpectSessions(0, "before the warm-up");
        IscsiadmLogin(portal, targets[..1], all: false);
        IscsiadmLogout(portal, targets[..1]);
        _ = await LibraryRoundAsync(library, portal, targets[..1]).ConfigureAwait(false);
        Console.WriteLine("login: warm-up done");

        var rows = new List<Row>();
        var profile = new StringBuilder();
        foreach (int n in sizes)
        {
            if (n > targets.Length)
            {
                Console.WriteLine($"login: skipping {n} sessions: only {targets.Length} targets");
                continue;
            }

            try
            {
                await RunSizeAsync(library, portal, targets, n, reps, largeReps, rows, profileOutput is null ? null : profile).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or IscsiException or OperationCanceledException)
            {
                // Keep what the smaller sizes measured (the files are rewritten after each size) and say why this one stopped.
                Console.WriteLine($"login: {n} sessions failed: {e.GetType().Name}: {e.Message}");
                rows.Add(new Row("Login", n, $"stopped: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}", [], true));
                break;
            }
            finally
            {
                File.WriteAllText(output, Render(rows, reps, largeReps, LibraryLogin.Signature));
                if (profileOutput is not null)
                {
                    File.WriteAllText(profileOutput, profile.ToString());
                }
            }
        }

        Console.WriteLine($"login: wrote {output}");
        if (profileOutput is not null)
        {
            Console.WriteLine($"login: wrote {profileOutput}");
        }

        return 0;
    }

    /// <summary>The samples of one size (iscsiadm and library side by side), then its profiled round.</summary>
    private static async Task RunSizeAsync(LibraryLogin library, string portal, string[] targets, int n, int reps, int largeReps, List<Row> rows, StringBuilder? profile)
    {
        string[] set = targets[..n];
        bool all = n == targets.Length;
        if (n > 1)
        {
            MarkAutomatic(portal, targets, set, all);
        }

        var shellLogin = new List<double>();
        var shellLogout = new List<double>();
        var libLogin = new List<double>();
        var libLogout = new List<double>();
        int samples = n >= 128 ? largeReps : reps;
        for (int r = 0; r < samples; r++)
        {
            ExpectSessions(0, "before iscsiadm login");
            shellLogin.Add(Time(() => IscsiadmLogin(portal, set, all)));
            ExpectSessions(n, "after iscsiadm login");
            shellLogout.Add(Time(() => IscsiadmLogout(portal, set)));
            ExpectSessions(0, "after iscsiadm logout");
            (double login, double logout) = await LibraryRoundAsync(library, portal, set).ConfigureAwait(false);
            libLogin.Add(login);
            libLogout.Add(logout);
            Console.WriteLine($"login: {n} sessions, rep {r + 1}/{samples}: iscsiadm {shellLogin[^1]:F0}/{shellLogout[^1]:F0} ms"
                + $", library {libLogin[^1]:F0}/{libLogout[^1]:F0} ms");
        }

        string shellLoginName = n == 1 ? "iscsiadm -m node -T … -p … --login" : all ? "iscsiadm -m node -L all" : $"iscsiadm -m node -L automatic (these {n} nodes)";
        rows.Add(new Row("Login", n, "IscsiNative LoginAsync (concurrent)", libLogin, true));
        rows.Add(new Row("Login", n, shellLoginName, shellLogin, false));
        rows.Add(new Row("Logout", n, "IscsiNative LogoutAsync (concurrent)", libLogout, true));
        rows.Add(new Row("Logout", n, n > 1 ? "iscsiadm -m node -U all" : "iscsiadm -m node -T … -p … --logout", shellLogout, false));

        if (profile is not null)
        {
            // A separate round with the phase sink installed, so the timed samples above carry no tracing.
            ExpectSessions(0, "before the profiled round");
            using var trace = new LoginProfile();
            long t0 = Stopwatch.GetTimestamp();
            (double login, double logout) = await LibraryRoundAsync(library, portal, set).ConfigureAwait(false);
            long t2 = Stopwatch.GetTimestamp();
            long t1 = t0 + (long)(login * Stopwatch.Frequency / 1000);
            profile.Append(trace.Render($"{n} concurrent login{(n > 1 ? "s" : "")} (traced: {login:N0} ms)", t0, t1 + 1));
            profile.Append(trace.Render($"{n} concurrent logout{(n > 1 ? "s" : "")} (traced: {logout:N0} ms)", t1, t2));
            Console.WriteLine($"login: {n} sessions, profiled round: library {login:F0}/{logout:F0} ms");
        }
    }

    /// <summary>Logs in to every target of <paramref name="set"/> concurrently, then out of all; returns both wall times (ms).</summary>
    private static async Task<(double Login, double Logout)> LibraryRoundAsync(LibraryLogin library, string portal, string[] set)
    {
        using var cts = new CancellationTokenSource(Budget);
        var sessions = new IscsiSession[set.Length];
        long t0 = Stopwatch.GetTimestamp();
        await Task.WhenAll(set.Select(async (t, i) => sessions[i] = await library.LoginAsync(portal, t, cts.Token).ConfigureAwait(false)))
            .ConfigureAwait(false);
        double login = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        ExpectSessions(set.Length, "after library login");
        t0 = Stopwatch.GetTimestamp();
        await Task.WhenAll(sessions.Select(s => library.LogoutAsync(s, cts.Token))).ConfigureAwait(false);
        double logout = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        ExpectSessions(0, "after library logout");
        return (login, logout);
    }

    private static string Render(List<Row> rows, int reps, int largeReps, string libraryNote)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Stopwatch harness, {reps} samples per row ({largeReps} at 128 sessions and more; median, min, max); each sample starts with no session logged in; one untimed login/logout of each kind warms up first.");
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
        if (set.Length > 1)
        {
            Iscsiadm(all ? "-m node -L all" : "-m node -L automatic");
            return;
        }

        Iscsiadm($"-m node -T {set[0]} -p {portal} --login");
    }

    private static void IscsiadmLogout(string portal, string[] set)
    {
        if (set.Length > 1)
        {
            Iscsiadm("-m node -U all");
            return;
        }

        Iscsiadm($"-m node -T {set[0]} -p {portal} --logout");
    }

    /// <summary>Only the nodes of <paramref name="set"/> log in with <c>-L automatic</c> (not timed).</summary>
    private static void MarkAutomatic(string portal, string[] targets, string[] set, bool all)
    {
        if (all)
        {
            return;
        }

        Iscsiadm("-m node -o update -n node.startup -v manual");
        foreach (string t in set)
        {
            Iscsiadm($"-m node -T {t} -p {portal} -o update -n node.startup -v automatic");
        }

        Console.WriteLine($"login: {set.Length} of {targets.Length} nodes set to node.startup=automatic");
    }

    /// <summary>Runs iscsiadm (bounded: 15 minutes, enough for 256 logins under emulation); 21 (nothing found) is accepted.</summary>
    private static void Iscsiadm(string arguments) => Run("iscsiadm", arguments, TimeSpan.FromMinutes(15), 0, 21);

    private sealed record Row(string Operation, int Sessions, string Method, List<double> Samples, bool IsLibrary);
}
