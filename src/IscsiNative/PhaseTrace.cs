using System.Diagnostics;

namespace IscsiNative;

/// <summary>
/// Optional per-phase timing of logins and logouts for the benchmark harness (benchmarks/…/Login/LoginProfile.cs):
/// off unless a sink is installed, and then one null check per phase. Phases are named by the caller; the netlink
/// layer also reports how long each request waited for the socket, its sendmsg (kernel work, including the kernel's
/// global rx mutex) and the hop from the reply to the waiting caller.
/// </summary>
internal static class PhaseTrace
{
    private static IPhaseSink? _sink;

    /// <summary>Installs (or, with null, removes) the sink.</summary>
    internal static void SetSink(IPhaseSink? sink) => Volatile.Write(ref _sink, sink);

    /// <summary>Whether a sink is installed.</summary>
    internal static bool Enabled => Volatile.Read(ref _sink) is not null;

    /// <summary>A timestamp when tracing, else 0 (then <see cref="End"/> does nothing).</summary>
    internal static long Begin() => Volatile.Read(ref _sink) is null ? 0 : Stopwatch.GetTimestamp();

    /// <summary>Records <paramref name="phase"/> of session <paramref name="sid"/> from <paramref name="begin"/> to now.</summary>
    internal static void End(string phase, uint sid, long begin)
    {
        if (begin != 0 && Volatile.Read(ref _sink) is { } sink)
        {
            sink.Record(phase, sid, begin, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>Records a phase with explicit timestamps.</summary>
    internal static void Record(string phase, uint sid, long begin, long end)
    {
        if (begin != 0 && Volatile.Read(ref _sink) is { } sink)
        {
            sink.Record(phase, sid, begin, end);
        }
    }
}

/// <summary>Receives phase timings (Stopwatch timestamps); called concurrently.</summary>
internal interface IPhaseSink
{
    /// <summary>One phase of one session (sid 0 when not known yet).</summary>
    void Record(string phase, uint sid, long begin, long end);
}
