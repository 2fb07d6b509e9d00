namespace IscsiNative.Netlink;

/// <summary>The fields of a unicast reply's <c>struct iscsi_uevent</c> that callers read.</summary>
/// <param name="Type"><c>ev.type</c>: the request type, or 103 (IF_ERROR).</param>
/// <param name="IfError"><c>ev.iferror</c> as a negative errno (IF_ERROR only).</param>
/// <param name="R0">u32 at offset 40: retcode, or the first field of the result union (sid).</param>
/// <param name="R1">u32 at offset 44: second result field (host_no / cid).</param>
internal readonly record struct IscsiUeventReply(IscsiUeventType Type, int IfError, uint R0, uint R1)
{
    /// <summary><c>r.retcode</c>.</summary>
    internal int RetCode => (int)R0;

    internal static IscsiUeventReply From(in IscsiNetlinkMessage message) => new(
        message.EventType,
        message.IfError,
        message.ReadUInt32(IscsiUeventLayout.RetCode),
        message.ReadUInt32(IscsiUeventLayout.CSessionRetHostNo));
}
