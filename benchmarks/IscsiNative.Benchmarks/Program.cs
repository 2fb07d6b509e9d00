using BenchmarkDotNet.Running;
using IscsiNative.Benchmarks.Login;

namespace IscsiNative.Benchmarks;

internal static class Program
{
    /// <summary>
    /// <c>login ...</c> runs the Stopwatch login harness (see <see cref="LoginHarness"/>), <c>volumes ...</c> the volume
    /// attach/detach harness (<see cref="Volumes.VolumeHarness"/>), <c>nodes-seed</c>/<c>nodes-restore</c> the node
    /// restore harness, <c>nodes-read-ab</c> the interleaved record-reading comparison (<see cref="Nodes.NodeReadAb"/>), <c>hosting ...</c> the boot restore and adoption harness (<see cref="Hosting.HostingHarness"/>);
    /// anything else goes to
    /// BenchmarkDotNet (<c>--filter '*HostEnumeration*'</c>, <c>--artifacts DIR</c>).
    /// </summary>
    private static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "enum-ab")
        {
            return Enumeration.EnumerationAb.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "volumes")
        {
            return await Volumes.VolumeHarness.RunAsync(args[1..]).ConfigureAwait(false);
        }

        if (args.Length > 0 && args[0] == "nodes-seed")
        {
            return Nodes.RestoreHarness.Seed(args[1..]);
        }

        if (args.Length > 0 && args[0] == "nodes-read-ab")
        {
            return Nodes.NodeReadAb.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "nodes-restore")
        {
            return await Nodes.RestoreHarness.RestoreAsync(args[1..]).ConfigureAwait(false);
        }

        if (args.Length > 0 && args[0] == "hosting")
        {
            return await Hosting.HostingHarness.RunAsync(args[1..]).ConfigureAwait(false);
        }

        if (args.Length > 0 && args[0] == "login")
        {
            return await LoginHarness.RunAsync(args[1..]).ConfigureAwait(false);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
