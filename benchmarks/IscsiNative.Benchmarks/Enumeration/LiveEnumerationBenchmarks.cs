using BenchmarkDotNet.Attributes;
using IscsiNative.Benchmarks.Comparison;
using IscsiNative.Benchmarks.Config;
using IscsiNative.Sysfs;

namespace IscsiNative.Benchmarks.Enumeration;

/// <summary>
/// Enumeration of the live sessions in /sys (inside the VM, LIO targets on loopback logged in by iscsiadm): the
/// library against iscsiadm through Process with regex parsing, libopeniscsiusr and the plain-C floor. The stage
/// logs in the sessions and says how many through <c>ISCSINATIVE_BENCH_SESSIONS</c>; the setup checks it.
/// </summary>
[Config(typeof(BenchConfig))]
public class LiveEnumerationBenchmarks
{
    private SysfsSessionReader? _reader;
    private nint _usrContext;

    /// <summary>The sessions the stage logged in (one value per run).</summary>
    [ParamsSource(nameof(SessionCounts))]
    public int Sessions { get; set; }

    /// <summary>From the environment: the count the stage logged in.</summary>
    public static IEnumerable<int> SessionCounts() =>
        [int.TryParse(Environment.GetEnvironmentVariable("ISCSINATIVE_BENCH_SESSIONS"), out int n) ? n : 1];

    /// <summary>Checks that every reader sees the expected sessions.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _reader = new SysfsSessionReader("/sys");
        _usrContext = LibOpenIscsiUsr.ContextNew();
        int library = _reader.GetSessions().Count;
        int floor = SysfsFloor.ReadSessions("/sys", out _);
        int usr = LibOpenIscsiUsr.ReadSessions(_usrContext, out _);
        int shell = IscsiadmShell.GetSessions().Count;
        int shell3 = IscsiadmShell.GetSessionDetails().Count;
        if (library != Sessions || floor != Sessions || usr != Sessions || shell != Sessions || shell3 != Sessions)
        {
            throw new InvalidOperationException(
                $"expected {Sessions} sessions: library {library}, floor {floor}, libopeniscsiusr {usr}, iscsiadm {shell}/{shell3}");
        }
    }

    /// <summary>Releases the reader and the libopeniscsiusr context.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _reader?.Dispose();
        if (_usrContext != 0)
        {
            LibOpenIscsiUsr.ContextFree(_usrContext);
        }
    }

    /// <summary>The zero-allocation enumeration asking for the same four attributes as the plain-C floor.</summary>
    [Benchmark(Description = "IscsiNative EnumerateSessions (the floor's 4 fields)")]
    public long LibraryFloorFields() => SessionConsumers.ReadFloorFields(_reader!);

    /// <summary>The zero-allocation enumeration of the -P 0 field set (IscsiSessionFields.Flat).</summary>
    [Benchmark(Baseline = true, Description = "IscsiNative EnumerateSessions (-P 0 fields)")]
    public long LibraryP0() => SessionConsumers.ReadP0(_reader!);

    /// <summary>The zero-allocation enumeration, reading everything -P 3 shows.</summary>
    [Benchmark(Description = "IscsiNative EnumerateSessions (-P 3 fields)")]
    public long LibraryP3() => SessionConsumers.ReadP3(_reader!);

    /// <summary>The materialized path.</summary>
    [Benchmark(Description = "IscsiNative GetSessions (materialized)")]
    public long LibraryMaterialized() => SessionConsumers.Materialize(_reader!);

    /// <summary>Plain C: scandir + open/read/close of targetname, tpgt, address, port.</summary>
    [Benchmark(Description = "plain C floor (4 attributes)")]
    public long Floor()
    {
        SysfsFloor.ReadSessions("/sys", out long sum);
        return sum;
    }

    /// <summary>Plain C reading the same files as the library (every attribute, class link, LUNs).</summary>
    [Benchmark(Description = "plain C, same files as the library")]
    public long FloorSameFiles()
    {
        SysfsFloor.ReadSessionsFull("/sys", out long sum);
        return sum;
    }

    /// <summary>libopeniscsiusr: iscsi_sessions_get + getters + iscsi_sessions_free.</summary>
    [Benchmark(Description = "libopeniscsiusr iscsi_sessions_get")]
    public long LibOpenIscsiUsrGet()
    {
        LibOpenIscsiUsr.ReadSessions(_usrContext, out long sum);
        return sum;
    }

    /// <summary><c>iscsiadm -m session</c> through Process, parsed with a regex into records.</summary>
    [Benchmark(Description = "iscsiadm -m session (Process + regex)")]
    public int IscsiadmP0() => IscsiadmShell.GetSessions().Count;

    /// <summary><c>iscsiadm -m session -P 3</c> through Process, parsed with a regex.</summary>
    [Benchmark(Description = "iscsiadm -m session -P 3 (Process + regex)")]
    public int IscsiadmP3() => IscsiadmShell.GetSessionDetails().Count;
}
