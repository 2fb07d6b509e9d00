using BenchmarkDotNet.Attributes;
using IscsiNative.Benchmarks.Comparison;
using IscsiNative.Benchmarks.Config;
using IscsiNative.Sysfs;
using IscsiNative.Tests.Sysfs;

namespace IscsiNative.Benchmarks.Enumeration;

/// <summary>
/// Enumeration on generated fixture trees (tmpfs/ext4 files shaped like the kernel's sysfs, one LUN per session):
/// the library against the plain-C floor. libopeniscsiusr and iscsiadm only read the real /sys, so they run in
/// the VM (<see cref="LiveEnumerationBenchmarks"/>).
/// </summary>
[Config(typeof(BenchConfig))]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class HostEnumerationBenchmarks
{
    private SysfsTreeBuilder? _tree;
    private SysfsSessionReader? _reader;
    private string _root = string.Empty;

    /// <summary>Sessions in the fixture tree.</summary>
    [Params(1, 16, 64, 256)]
    public int Sessions { get; set; }

    /// <summary>Generates the tree and warms the reader's buffers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _tree = SysfsTreeBuilder.Generate(Sessions, luns: 1);
        _root = _tree.Root;
        _reader = new SysfsSessionReader(_root);
        if (SessionConsumers.ReadP0(_reader) == 0 || SysfsFloor.ReadSessions(_root, out _) != Sessions)
        {
            throw new InvalidOperationException($"the fixture tree under {_root} does not hold {Sessions} sessions");
        }
    }

    /// <summary>Removes the tree.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _reader?.Dispose();
        _tree?.Dispose();
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
        SysfsFloor.ReadSessions(_root, out long sum);
        return sum;
    }

    /// <summary>Plain C reading the same files as the library (every attribute, class link, LUNs).</summary>
    [Benchmark(Description = "plain C, same files as the library")]
    public long FloorSameFiles()
    {
        SysfsFloor.ReadSessionsFull(_root, out long sum);
        return sum;
    }
}
