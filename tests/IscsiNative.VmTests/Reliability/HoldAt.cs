using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace IscsiNative.VmTests.Reliability;

/// <summary>
/// Blocks the login (the thread that reports the phase) once, at the end of the named phase. Every phase reported
/// while installed is kept with its time since the hold was made and the reporting thread, so a test that stalls can
/// say where (<see cref="Timeline"/>).
/// </summary>
internal sealed class HoldAt(string phase) : IPhaseSink, IDisposable
{
    private readonly ManualResetEventSlim _release = new(false);
    private readonly long _created = Stopwatch.GetTimestamp();
    private readonly ConcurrentQueue<string> _events = new();
    private int _fired;

    public ManualResetEventSlim Reached { get; } = new(false);

    /// <summary>The phases reported so far and the hold's own steps, each with its time and thread.</summary>
    public string Timeline => string.Join("; ", _events);

    public void Record(string name, uint sid, long begin, long end)
    {
        Note($"{name} (sid {sid.ToString(CultureInfo.InvariantCulture)}, {Stopwatch.GetElapsedTime(begin, end).TotalMilliseconds:0} ms)");
        if (name == phase && Interlocked.Exchange(ref _fired, 1) == 0)
        {
            Reached.Set();
            bool released = _release.Wait(TimeSpan.FromSeconds(120));
            Note(released ? "hold released" : "hold timed out after 120 s");
        }
    }

    /// <summary>Adds a step of the test to the timeline.</summary>
    public void Note(string what) =>
        _events.Enqueue($"+{Stopwatch.GetElapsedTime(_created).TotalSeconds:0.000} s [{Environment.CurrentManagedThreadId.ToString(CultureInfo.InvariantCulture)}{(Thread.CurrentThread.IsThreadPoolThread ? " pool" : string.Empty)}] {what}");

    public void Release()
    {
        Note("releasing");
        _release.Set();
    }

    public void Dispose()
    {
        _release.Dispose();
        Reached.Dispose();
    }
}
