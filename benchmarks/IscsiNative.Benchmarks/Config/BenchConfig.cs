using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace IscsiNative.Benchmarks.Config;

/// <summary>
/// One job for a noisy 2-core machine and for software emulation inside the VM: one in-process launch (the VM
/// root is a read-only 9p share with a tmpfs overlay, and rebuilding a project per benchmark under emulation
/// would take minutes), two warm-up and six measured iterations of about 100 ms each, no overhead stage (the operations measured
/// take tens of microseconds at least; under emulation the overhead stage costs more time than it corrects).
/// </summary>
internal sealed class BenchConfig : ManualConfig
{
    /// <summary>Creates the configuration (BenchmarkDotNet instantiates it from <c>[Config]</c>).</summary>
    public BenchConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(6)
            .WithEvaluateOverhead(false)
            .WithIterationTime(TimeInterval.FromMilliseconds(100))
            .WithId("short"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddExporter(MarkdownExporter.GitHub);
        WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend));
        WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
        WithOptions(ConfigOptions.DisableLogFile | ConfigOptions.JoinSummary);
    }
}
