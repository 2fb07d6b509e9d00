namespace IscsiNative.Fuzz;

/// <summary>One fuzz entry point: consumes arbitrary bytes, catches only the library's documented exception types.</summary>
public delegate void FuzzTarget(ReadOnlySpan<byte> input);

/// <summary>The fuzz targets by name (the name is also the corpus directory under tests/fuzz/corpus).</summary>
public static class FuzzTargets
{
    /// <summary>Every target, selected by name on the command line and in the corpus replay tests.</summary>
    public static IReadOnlyDictionary<string, FuzzTarget> All { get; } = new SortedDictionary<string, FuzzTarget>(StringComparer.Ordinal)
    {
        ["pdu"] = PduTarget.Run,
        ["text"] = TextTarget.Run,
        ["login"] = LoginTarget.Run,
        ["sendtargets"] = SendTargetsTarget.Run,
        ["chap"] = ChapTarget.Run,
        ["netlink"] = NetlinkTarget.Run,
        ["stats"] = StatsTarget.Run,
        ["sysfs-value"] = SysfsValueTarget.Run,
        ["sysfs-tree"] = SysfsTreeTarget.Run,
        ["initiatorname"] = InitiatorNameTarget.Run,
        ["portal"] = PortalTarget.Run,
        ["node-record"] = NodeRecordTarget.Run,
        ["iscsid-conf"] = IscsidConfTarget.Run,
        ["uevent"] = UeventTarget.Run,
    };
}
