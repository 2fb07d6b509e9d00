using System.Globalization;
using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Reliability;

/// <summary>
/// tc netem as the root qdisc of <c>lo</c> (every packet of the VM's loopback traffic, both directions, passes it
/// once): delay, loss, or a total outage (loss 100 %). Dispose removes it.
/// </summary>
internal sealed class Netem : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private bool _removed;

    private Netem()
    {
    }

    /// <summary>Installs (or replaces) <c>tc qdisc ... root netem ARGS</c> on lo.</summary>
    public static Netem Apply(params string[] arguments)
    {
        Run(["qdisc", "replace", "dev", "lo", "root", "netem", .. arguments]);
        string shown = Run(["qdisc", "show", "dev", "lo"]);
        Assert.Contains("netem", shown, StringComparison.Ordinal);
        return new Netem();
    }

    /// <summary>Changes the running netem's parameters.</summary>
    public void Change(params string[] arguments) => Run(["qdisc", "change", "dev", "lo", "root", "netem", .. arguments]);

    /// <summary>Removes the qdisc (loopback back to normal).</summary>
    public void Remove()
    {
        if (!_removed)
        {
            _removed = true;
            Run(["qdisc", "del", "dev", "lo", "root"]);
        }
    }

    public void Dispose() => Remove();

    /// <summary>Packets netem dropped so far (the qdisc's <c>dropped</c> counter).</summary>
    public static long Dropped()
    {
        string stats = Run(["-s", "qdisc", "show", "dev", "lo"]);
        int i = stats.IndexOf("dropped ", StringComparison.Ordinal);
        Assert.True(i >= 0, "no dropped counter in: " + stats);
        string number = new([.. stats[(i + 8)..].TakeWhile(char.IsAsciiDigit)]);
        return long.Parse(number, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static string Run(string[] arguments)
    {
        ProcessResult r = ProcessRunner.Run(Bound, "tc", arguments);
        Assert.True(r.ExitCode == 0, $"tc {string.Join(' ', arguments)} failed ({r.ExitCode}): {r.StdErr}");
        return r.StdOut;
    }
}
