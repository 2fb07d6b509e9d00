using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using IscsiNative.Netlink;

namespace IscsiNative.Benchmarks.Login;

/// <summary>
/// Collects the library's phase timings (<see cref="PhaseTrace"/>) and the thread pool's queue during one profiled
/// login + logout of N sessions, and renders where the time goes: per phase the count, the median/p95/max duration,
/// the sum of all instances, and how much of the wall time at least one instance was running ("busy"). A phase whose
/// busy share approaches 100 % while its instances do not overlap (Σ/busy ≈ 1) is what serializes.
/// </summary>
internal sealed class LoginProfile : IPhaseSink, IDisposable
{
    private readonly ConcurrentQueue<(string Phase, uint Sid, long Begin, long End)> _records = new();
    private readonly List<(long At, int Threads, long Pending)> _pool = [];
    private readonly Thread _sampler;
    private volatile bool _stop;

    internal LoginProfile()
    {
        PhaseTrace.SetSink(this);
        _sampler = new Thread(Sample) { IsBackground = true, Name = "pool-sampler" };
        _sampler.Start();
    }

    public void Record(string phase, uint sid, long begin, long end) => _records.Enqueue((phase, sid, begin, end));

    public void Dispose()
    {
        PhaseTrace.SetSink(null);
        _stop = true;
        _sampler.Join(TimeSpan.FromSeconds(5));
    }

    /// <summary>A markdown section for the window [<paramref name="from"/>, <paramref name="to"/>] (Stopwatch timestamps).</summary>
    internal string Render(string title, long from, long to)
    {
        double wall = Ms(to - from);
        var rows = _records.Where(r => r.Begin >= from && r.End <= to).GroupBy(r => r.Phase).ToList();
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### {title}: wall {wall:N1} ms");
        sb.AppendLine();
        sb.AppendLine("| Phase | Count | Median | p95 | Max | Σ (all instances) | Busy (≥1 running) | Σ / busy |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var g in rows.OrderBy(g => Order(g.Key)).ThenByDescending(g => g.Sum(r => r.End - r.Begin)))
        {
            double[] d = [.. g.Select(r => Ms(r.End - r.Begin)).Order()];
            double sum = d.Sum();
            double busy = Ms(Union(g.Select(r => (r.Begin, r.End))));
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {g.Key} | {d.Length} | {F(Pct(d, 0.5))} | {F(Pct(d, 0.95))} | {F(d[^1])} | {F(sum)} | {F(busy)} ({busy / wall:P0}) | {(busy > 0 ? sum / busy : 0):F1} |");
        }

        List<(long At, int Threads, long Pending)> pool;
        lock (_pool)
        {
            pool = _pool.Where(p => p.At >= from && p.At <= to).ToList();
        }

        if (pool.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"Thread pool (sampled every 5 ms): threads {pool.Min(p => p.Threads)}–{pool.Max(p => p.Threads)}, queued work items mean {pool.Average(p => p.Pending):F1}, max {pool.Max(p => p.Pending)}.");
        }

        sb.AppendLine();
        return sb.ToString();
    }

    private static int Order(string phase) => phase.StartsWith("login:", StringComparison.Ordinal) ? 0 : phase.StartsWith("logout:", StringComparison.Ordinal) ? 1 : 2;

    private static long Union(IEnumerable<(long Begin, long End)> intervals)
    {
        long total = 0, curBegin = long.MinValue, curEnd = long.MinValue;
        foreach ((long b, long e) in intervals.OrderBy(i => i.Begin))
        {
            if (b > curEnd)
            {
                if (curEnd > curBegin)
                {
                    total += curEnd - curBegin;
                }

                curBegin = b;
                curEnd = e;
            }
            else if (e > curEnd)
            {
                curEnd = e;
            }
        }

        if (curEnd > curBegin)
        {
            total += curEnd - curBegin;
        }

        return total;
    }

    private static double Pct(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static string F(double ms) => ms.ToString("N1", CultureInfo.InvariantCulture) + " ms";

    private void Sample()
    {
        while (!_stop)
        {
            lock (_pool)
            {
                _pool.Add((Stopwatch.GetTimestamp(), ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount));
            }

            Thread.Sleep(5);
        }
    }
}
