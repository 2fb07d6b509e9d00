using System.Diagnostics;
using System.Globalization;
using System.Text;
using IscsiNative.Volumes;
using static IscsiNative.Benchmarks.Harness.HarnessTools;

namespace IscsiNative.Benchmarks.Volumes;

/// <summary>
/// Attach to a usable device and detach of 1 and N LUNs of one target, timed with a Stopwatch: the library's
/// <see cref="IscsiVolumeConnector"/> (N attaches in parallel, then N detaches in parallel) against the
/// csi-lib-iscsi/os-brick sequence run as a shell script (tests/vm/stages/volume-recipe.sh: one job per LUN).
/// "Usable" is the same on both sides: the LUN's /dev node answers a 4 KiB read. Samples alternate between the two
/// sides; every round starts and ends with no session to the target.
/// </summary>
/// <remarks>
/// Usage: <c>volumes --target IQN --portal 127.0.0.1:3260 --recipe volume-recipe.sh --out FILE.md [--luns 16]
/// [--reps 3]</c>. The target has at least <c>--luns</c> LUNs (0..N-1), open ACLs, and nothing is logged in to it.
/// </remarks>
internal static class VolumeHarness
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(8);

    internal static async Task<int> RunAsync(string[] args)
    {
        string target = Arg(args, "--target") ?? throw new ArgumentException("--target IQN");
        string portal = Arg(args, "--portal") ?? "127.0.0.1:3260";
        string recipe = Arg(args, "--recipe") ?? throw new ArgumentException("--recipe SCRIPT");
        string output = Arg(args, "--out") ?? "volumes-attach.md";
        int luns = int.Parse(Arg(args, "--luns") ?? "16", CultureInfo.InvariantCulture);
        int reps = int.Parse(Arg(args, "--reps") ?? "3", CultureInfo.InvariantCulture);
        using var connector = new IscsiVolumeConnector();
        var clock = Stopwatch.StartNew();

        // Warm-up (not timed): JIT, iscsid's first login, the page cache of iscsiadm and of the target's files.
        ExpectNoSession(target, "before the warm-up");
        await LibraryRoundAsync(connector, target, portal, [0]).ConfigureAwait(false);
        RecipeRound(recipe, target, portal, [0]);
        Console.WriteLine("volumes: warm-up done");

        var samples = new Dictionary<(string Op, int N, bool Library), List<double>>();
        int[] sizes = luns > 1 ? [1, luns] : [1];
        for (int rep = 0; rep < reps && clock.Elapsed < Budget; rep++)
        {
            foreach (int n in sizes)
            {
                int[] set = [.. Enumerable.Range(0, n)];

                // Alternate which side goes first, so drift of the machine does not favour one.
                for (int side = 0; side < 2; side++)
                {
                    bool library = (side + rep) % 2 == 0;
                    (double attach, double detach) = library
                        ? await LibraryRoundAsync(connector, target, portal, set).ConfigureAwait(false)
                        : RecipeRound(recipe, target, portal, set);
                    Add(samples, ("Attach", n, library), attach);
                    Add(samples, ("Detach", n, library), detach);
                    Console.WriteLine($"volumes: rep {rep + 1} {n} LUN(s) {(library ? "library" : "recipe ")}: attach {attach:N1} ms, detach {detach:N1} ms");
                }
            }

            File.WriteAllText(output, Render(samples, sizes));
        }

        File.WriteAllText(output, Render(samples, sizes));
        Console.WriteLine($"volumes: wrote {output} ({clock.Elapsed.TotalSeconds:N0} s)");
        return 0;
    }

    private static async Task<(double Attach, double Detach)> LibraryRoundAsync(IscsiVolumeConnector connector, string target, string portal, int[] set)
    {
        ExpectNoSession(target, "before a library round");
        long t0 = Stopwatch.GetTimestamp();
        AttachedVolume[] volumes = await Task.WhenAll(set.Select(async lun =>
        {
            AttachedVolume v = await connector.AttachAsync(new VolumeSpec { TargetName = target, Portals = [portal], Lun = lun }).ConfigureAwait(false);
            ReadFirstBlock(v.DevicePath);
            return v;
        })).ConfigureAwait(false);
        double attach = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        t0 = Stopwatch.GetTimestamp();
        bool[] detached = await Task.WhenAll(volumes.Select(v => connector.DetachAsync(v))).ConfigureAwait(false);
        double detach = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        if (detached.Any(d => !d))
        {
            throw new InvalidOperationException("a library detach found its volume already gone");
        }

        ExpectNoSession(target, "after a library round");
        return (attach, detach);
    }

    private static (double Attach, double Detach) RecipeRound(string recipe, string target, string portal, int[] set)
    {
        ExpectNoSession(target, "before a recipe round");
        string luns = string.Join(' ', set);
        double attach = Time(() => Run("bash", $"{recipe} attach {target} {portal} {luns}", TimeSpan.FromMinutes(3)));
        double detach = Time(() => Run("bash", $"{recipe} detach {target} {portal} {luns}", TimeSpan.FromMinutes(3)));
        ExpectNoSession(target, "after a recipe round");
        return (attach, detach);
    }

    private static void ReadFirstBlock(string device)
    {
        byte[] block = new byte[4096];
        using var handle = File.OpenHandle(device, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (RandomAccess.Read(handle, block, 0) != block.Length)
        {
            throw new InvalidOperationException($"short read from {device}");
        }
    }

    private static void ExpectNoSession(string target, string when)
    {
        foreach (string s in Directory.EnumerateDirectories("/sys/class/iscsi_session"))
        {
            if (File.ReadAllText(Path.Combine(s, "targetname")).Trim() == target)
            {
                throw new InvalidOperationException($"{when}: {Path.GetFileName(s)} to {target} exists");
            }
        }
    }

    private static string Render(Dictionary<(string Op, int N, bool Library), List<double>> samples, int[] sizes)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| Operation | LUNs | Library (IscsiVolumeConnector) | Recipe (iscsiadm + sysfs scan + /dev poll) | Recipe / library | Samples |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (string op in new[] { "Attach", "Detach" })
        {
            foreach (int n in sizes)
            {
                if (samples.TryGetValue((op, n, true), out List<double>? lib) && samples.TryGetValue((op, n, false), out List<double>? rec))
                {
                    double l = Median(lib), r = Median(rec);
                    sb.AppendLine(CultureInfo.InvariantCulture, $"| {op} | {n} | {l:N1} ms | {r:N1} ms | {r / l:N2}x | {lib.Count} + {rec.Count} |");
                }
            }
        }

        sb.AppendLine();
        sb.AppendLine("Medians. Raw samples (ms):");
        sb.AppendLine();
        foreach (((string op, int n, bool library), List<double> v) in samples.OrderBy(kv => kv.Key.Op).ThenBy(kv => kv.Key.N).ThenBy(kv => kv.Key.Library))
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- {op} {n} LUN(s), {(library ? "library" : "recipe")}: {string.Join(", ", v.Select(x => x.ToString("N1", CultureInfo.InvariantCulture)))}");
        }

        return sb.ToString();
    }

    private static void Add(Dictionary<(string, int, bool), List<double>> samples, (string, int, bool) key, double value)
    {
        if (!samples.TryGetValue(key, out List<double>? list))
        {
            samples[key] = list = [];
        }

        list.Add(value);
    }

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
}
