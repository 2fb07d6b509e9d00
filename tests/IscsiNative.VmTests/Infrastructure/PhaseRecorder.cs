using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace IscsiNative.VmTests.Infrastructure;

/// <summary>
/// Records the library's phase timings (<see cref="PhaseTrace"/>) while it lives, for a test to print where the time
/// of an operation went (diagnostics in console.log, never asserted). One at a time: the sink is process-wide.
/// </summary>
internal sealed class PhaseRecorder : IPhaseSink, IDisposable
{
    private readonly ConcurrentQueue<(string Phase, uint Sid, long Begin, long End)> _records = new();
    private readonly long _start = Stopwatch.GetTimestamp();

    private PhaseRecorder()
    {
        PhaseTrace.SetSink(this);
    }

    public static PhaseRecorder Start() => new();

    public void Record(string phase, uint sid, long begin, long end) => _records.Enqueue((phase, sid, begin, end));

    /// <summary>One line per phase instance in start order: offset from <see cref="Start"/>, duration, session.</summary>
    public string Render()
    {
        var sb = new StringBuilder();
        foreach (var r in _records.OrderBy(r => r.Begin))
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  +{Ms(r.Begin - _start),9:0.0} ms  {Ms(r.End - r.Begin),9:0.0} ms  sid {r.Sid,-4} {r.Phase}");
        }

        return sb.ToString();
    }

    public void Dispose() => PhaseTrace.SetSink(null);

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
