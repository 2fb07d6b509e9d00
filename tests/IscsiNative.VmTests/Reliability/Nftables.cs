using System.Globalization;
using System.Text.RegularExpressions;
using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Reliability;

/// <summary>
/// An nftables table of its own (family inet) whose output chain drops every TCP segment to or from one port: a
/// per-portal outage on loopback (every loopback packet passes the output hook once, so both directions of the
/// portal's connections are dropped and nothing else). Dispose deletes the table.
/// </summary>
internal sealed partial class Nftables : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly string _table;
    private bool _removed;

    private Nftables(string table, int port)
    {
        _table = table;
        Port = port;
    }

    /// <summary>The dropped port.</summary>
    public int Port { get; }

    /// <summary>Adds the table with <c>tcp dport PORT drop</c> and <c>tcp sport PORT drop</c> in its output chain.</summary>
    public static Nftables DropTcpPort(int port)
    {
        string p = port.ToString(CultureInfo.InvariantCulture);
        string table = "iscsinative_drop_" + p;

        // A table left by an earlier, crashed test run would make 'add chain' fail on a duplicate: start clean.
        if (Run(["list", "tables"]).Contains(table, StringComparison.Ordinal))
        {
            Run(["delete", "table", "inet", table]);
        }

        Run(["add", "table", "inet", table]);
        var rules = new Nftables(table, port);
        try
        {
            Run(["add", "chain", "inet", table, "output", "{ type filter hook output priority 0 ; policy accept ; }"]);
            Run(["add", "rule", "inet", table, "output", "tcp", "dport", p, "counter", "drop"]);
            Run(["add", "rule", "inet", table, "output", "tcp", "sport", p, "counter", "drop"]);
            string shown = Run(["list", "table", "inet", table]);
            Assert.Contains("tcp dport " + p, shown, StringComparison.Ordinal);
            Assert.Contains("tcp sport " + p, shown, StringComparison.Ordinal);
            return rules;
        }
        catch
        {
            rules.Dispose();
            throw;
        }
    }

    /// <summary>Packets the two rules dropped so far.</summary>
    public long Dropped()
    {
        string shown = Run(["list", "table", "inet", _table]);
        long sum = 0;
        foreach (Match m in CounterPackets().Matches(shown))
        {
            sum += long.Parse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        }

        return sum;
    }

    /// <summary>Deletes the table (the port's traffic flows again).</summary>
    public void Remove()
    {
        if (!_removed)
        {
            _removed = true;
            Run(["delete", "table", "inet", _table]);
        }
    }

    public void Dispose() => Remove();

    private static string Run(string[] arguments)
    {
        ProcessResult r = ProcessRunner.Run(Bound, "nft", arguments);
        Assert.True(r.ExitCode == 0, $"nft {string.Join(' ', arguments)} failed ({r.ExitCode}): {r.StdErr}");
        return r.StdOut;
    }

    [GeneratedRegex(@"counter packets (\d+) bytes")]
    private static partial Regex CounterPackets();
}
