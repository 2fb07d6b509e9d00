using BenchmarkDotNet.Attributes;
using IscsiNative.Benchmarks.Comparison;
using IscsiNative.Benchmarks.Config;
using IscsiNative.Nodes;

namespace IscsiNative.Benchmarks.Nodes;

/// <summary>
/// Reading every node record of open-iscsi's DB (<c>/etc/iscsi/nodes</c>, filled by <c>nodes-seed</c>): the library's
/// typed query against <c>iscsiadm -m node</c> (one line a record) and <c>-m node -o show</c> (every key of every
/// record) through <c>Process</c>, the way scripts read it. Runs in the VM stage, where iscsiadm owns /etc/iscsi.
/// </summary>
[Config(typeof(BenchConfig))]
public class NodeDatabaseBenchmarks
{
    private readonly IscsiNodeDatabase _db = new();
    private int _expected;

    /// <summary>Checks that the DB holds the records the stage created (ISCSINATIVE_BENCH_NODES).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _expected = int.Parse(Environment.GetEnvironmentVariable("ISCSINATIVE_BENCH_NODES") ?? "256", System.Globalization.CultureInfo.InvariantCulture);
        int found = _db.Query().Nodes.Count;
        if (found != _expected || IscsiadmShell.Run("-m node").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length != _expected)
        {
            throw new InvalidOperationException($"expected {_expected} node records, the library finds {found}");
        }
    }

    /// <summary>Every record parsed into typed <see cref="IscsiNodeRecord"/>s (all keys, unknown ones kept).</summary>
    [Benchmark(Baseline = true, Description = "IscsiNative IscsiNodeDatabase.Query() (typed records)")]
    public int Library() => _db.Query().Nodes.Count;

    /// <summary><c>iscsiadm -m node</c>: one "portal,tpgt target" line a record.</summary>
    [Benchmark(Description = "iscsiadm -m node (Process)")]
    public int IscsiadmList() => IscsiadmShell.Run("-m node").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary><c>iscsiadm -m node -o show</c>: every key of every record, what the library's query also reads.</summary>
    [Benchmark(Description = "iscsiadm -m node -o show (Process)")]
    public int IscsiadmShow() => IscsiadmShell.Run("-m node -o show").Split("# BEGIN RECORD", StringSplitOptions.RemoveEmptyEntries).Length;
}
