using System.Diagnostics;
using System.Globalization;
using System.Text;
using IscsiNative.Benchmarks.Comparison;
using IscsiNative.Sysfs;

namespace IscsiNative.Benchmarks.Enumeration;

/// <summary>
/// The floor's 4 fields read by the library (real device paths after one readlink per session, and through the
/// class links) and by the plain-C floor, interleaved round by round so that a host whose load drifts (a shared,
/// emulated VM) affects all three alike. Usage: <c>enum-ab [--rounds 200] [--out FILE.md]</c> against the live /sys.
/// </summary>
internal static class EnumerationAb
{
    internal static int Run(string[] args)
    {
        int i = Array.IndexOf(args, "--rounds");
        int rounds = i >= 0 ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 200;
        i = Array.IndexOf(args, "--out");
        string? output = i >= 0 ? args[i + 1] : null;
        using var real = new SysfsSessionReader("/sys");
        using var viaClass = new SysfsSessionReader("/sys") { ResolveClassLinks = false };
        int sessions = SysfsFloor.ReadSessions("/sys", out long floorSum);
        long realSum = SessionConsumers.ReadFloorFields(real), classSum = SessionConsumers.ReadFloorFields(viaClass);
        var t = new List<double>[] { [], [], [] };
        var clock = Stopwatch.StartNew();
        for (int r = 0; r < rounds && clock.Elapsed < TimeSpan.FromMinutes(5); r++)
        {
            // Rotate the order each round as well.
            for (int k = 0; k < 3; k++)
            {
                int m = (r + k) % 3;
                long t0 = Stopwatch.GetTimestamp();
                _ = m switch
                {
                    0 => SessionConsumers.ReadFloorFields(real),
                    1 => SessionConsumers.ReadFloorFields(viaClass),
                    _ => SysfsFloor.ReadSessions("/sys", out _),
                };
                t[m].Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        }

        double Median(List<double> v)
        {
            double[] s = [.. v.Order()];
            return s[s.Length / 2];
        }

        double floor = Median(t[2]);
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Interleaved A/B, {t[0].Count} rounds, {sessions} sessions (checksums: library {realSum}/{classSum}, C {floorSum}); median per read of all sessions:");
        sb.AppendLine();
        sb.AppendLine("| Method | Median | vs plain-C floor |");
        sb.AppendLine("|---|---:|---:|");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| IscsiNative, floor's 4 fields (real paths, 1 readlink/session) | {Median(t[0]):F3} ms | {Median(t[0]) / floor:F2}× |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| IscsiNative, floor's 4 fields (through the class links) | {Median(t[1]):F3} ms | {Median(t[1]) / floor:F2}× |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| plain C floor (4 attributes through the class links) | {floor:F3} ms | 1.00× |");
        Console.Write(sb.ToString());
        if (output is not null)
        {
            File.WriteAllText(output, sb.ToString());
        }

        return 0;
    }
}
