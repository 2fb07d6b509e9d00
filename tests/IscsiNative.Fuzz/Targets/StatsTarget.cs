using IscsiNative.Netlink;

namespace IscsiNative.Fuzz;

/// <summary>GET_STATS payload decoding (<c>struct iscsi_stats</c> + custom entries). Failure is <c>false</c>, never an exception.</summary>
public static class StatsTarget
{
    public static void Run(ReadOnlySpan<byte> input)
    {
        if (!IscsiStatsLayout.TryDecode(input, out IscsiStatistics? stats))
        {
            FuzzInvariantException.Check(stats is null, "statistics set on failure");
            return;
        }

        FuzzInvariantException.Check(stats is not null, "no statistics on success");
        FuzzInvariantException.Check(stats!.Custom.Count <= IscsiStatsLayout.CustomMax, "too many custom entries");
        FuzzInvariantException.Check(input.Length >= IscsiStatsLayout.Size + (stats.Custom.Count * IscsiStatsLayout.CustomSize), "decoded beyond the payload");
        foreach ((string name, _) in stats.Custom)
        {
            FuzzInvariantException.Check(name.Length <= IscsiStatsLayout.CustomDescMax && !name.Contains('\0'), "custom description");
        }

        GC.KeepAlive(stats.ToString());
    }
}
