using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using IscsiNative.Benchmarks.Comparison;
using IscsiNative.Nodes;

namespace IscsiNative.Benchmarks.Nodes;

/// <summary>
/// Reading every node record, interleaved round by round (the order rotates) so that a host whose load drifts (a
/// shared, emulated VM) affects every method alike: <see cref="IscsiNodeDatabase.Query"/>, <c>iscsiadm -m node</c>
/// through <c>Process</c>, and, with <c>--baseline DIR</c>, the <c>Query()</c> of another build of
/// IscsiNative.Nodes.dll (loaded into its own AssemblyLoadContext, e.g. main's before a change), so before/after
/// ratios come from one run. Usage: <c>nodes-read-ab [--rounds 40] [--baseline DIR] [--out FILE.md]</c>.
/// </summary>
internal static class NodeReadAb
{
    internal static int Run(string[] args)
    {
        int rounds = int.Parse(Arg(args, "--rounds") ?? "40", CultureInfo.InvariantCulture);
        string? baselineDir = Arg(args, "--baseline");
        string output = Arg(args, "--out") ?? "nodes-read-ab.md";
        var db = new IscsiNodeDatabase();
        var methods = new List<(string Name, Func<int> Read)>
        {
            ("IscsiNative `IscsiNodeDatabase.Query()` (this build)", () => db.Query().Nodes.Count),
            ("`iscsiadm -m node` (Process)", () => IscsiadmShell.Run("-m node").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length),
        };
        if (baselineDir is not null)
        {
            methods.Add(("IscsiNative `Query()`, baseline build", Baseline(baselineDir)));
        }

        int expected = methods[0].Read();
        long allocated = 0;
        foreach ((string name, Func<int> read) in methods)
        {
            for (int w = 0; w < 3; w++)
            {
                long a0 = GC.GetAllocatedBytesForCurrentThread();
                int n = read();
                if (n != expected)
                {
                    throw new InvalidOperationException($"{name} finds {n} records, the library {expected}");
                }

                if (name == methods[0].Name)
                {
                    allocated = GC.GetAllocatedBytesForCurrentThread() - a0;
                }
            }
        }

        long baselineAllocated = 0;
        if (baselineDir is not null)
        {
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            methods[2].Read();
            baselineAllocated = GC.GetAllocatedBytesForCurrentThread() - a0;
        }

        var times = methods.Select(_ => new List<double>()).ToArray();
        var clock = Stopwatch.StartNew();
        int done = 0;
        for (int r = 0; r < rounds && clock.Elapsed < TimeSpan.FromMinutes(6); r++, done++)
        {
            for (int k = 0; k < methods.Count; k++)
            {
                int m = (r + k) % methods.Count;
                long t0 = Stopwatch.GetTimestamp();
                methods[m].Read();
                times[m].Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        }

        double libMedian = Median(times[0]);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{expected} node records, {done} interleaved rounds (order rotating), after 3 untimed rounds each; ratio = method / this build's `Query()` (median of the per-round ratios: both sides of a ratio ran back to back).\n\n");
        sb.Append("| Method | Median | Min | Max | Ratio (per-round median) | Allocated |\n|---|---:|---:|---:|---:|---:|\n");
        for (int m = 0; m < methods.Count; m++)
        {
            List<double> perRound = [.. times[m].Zip(times[0], (a, b) => a / b)];
            string alloc = m == 0 ? Kb(allocated) : m == 2 ? Kb(baselineAllocated) : "(child process)";
            sb.Append(CultureInfo.InvariantCulture,
                $"| {methods[m].Name} | {Median(times[m]):F1} ms | {times[m].Min():F1} ms | {times[m].Max():F1} ms | {(m == 0 ? "1.00" : Median(perRound).ToString("F2", CultureInfo.InvariantCulture) + "×")} | {alloc} |\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"\nMedian of this build's `Query()`: {libMedian:F1} ms for {expected} records ({libMedian * 1000 / expected:F0} µs a record).\n");
        File.WriteAllText(output, sb.ToString());
        Console.Write(sb.ToString());
        return 0;
    }

    /// <summary>Query() of another IscsiNative.Nodes.dll; IscsiNative.dll and the rest come from this process.</summary>
    private static Func<int> Baseline(string directory)
    {
        var context = new AssemblyLoadContext("nodes-baseline");
        context.Resolving += (ctx, name) => name.Name == "IscsiNative.Nodes" ? ctx.LoadFromAssemblyPath(Path.Combine(directory, "IscsiNative.Nodes.dll")) : null;
        Assembly nodes = context.LoadFromAssemblyPath(Path.GetFullPath(Path.Combine(directory, "IscsiNative.Nodes.dll")));
        Type type = nodes.GetType("IscsiNative.Nodes.IscsiNodeDatabase", throwOnError: true)!;
        object db = Activator.CreateInstance(type, [null])!;
        MethodInfo query = type.GetMethod("Query")!;
        object?[] arguments = [null, null, null, CancellationToken.None];
        return () =>
        {
            object result = query.Invoke(db, arguments)!;
            var list = (System.Collections.ICollection)result.GetType().GetProperty("Nodes")!.GetValue(result)!;
            return list.Count;
        };
    }

    private static string Kb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KB");

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
