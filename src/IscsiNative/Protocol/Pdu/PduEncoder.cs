namespace IscsiNative.Protocol;

/// <summary>
/// Writes the BHS of each PDU the initiator sends (the target's side is in the tests: TargetPduWriter).
/// Every method writes exactly 48 bytes, zeroes reserved fields and allocates nothing.
/// </summary>
internal static class PduEncoder
{
    public static void WriteLoginRequest(
        Span<byte> bhs, bool transit, bool @continue, LoginStage csg, LoginStage nsg, ulong isid, ushort tsih,
        uint itt, ushort cid, uint cmdSN, uint expStatSN, int dataLength)
    {
        byte flags = (byte)((transit ? Bhs.TransitBit : 0) | (@continue ? Bhs.ContinueBit : 0) | ((byte)csg << 2) | (transit ? (byte)nsg : 0));
        var w = new PduHeaderWriter(bhs, IscsiOpcode.LoginRequest, immediate: true, flags);
        w.SetDataSegmentLength(dataLength);
        w.SetIsid(isid);
        w.SetUInt16(Bhs.OffsetTsih, tsih);
        w.SetUInt32(Bhs.OffsetItt, itt);
        w.SetUInt16(Bhs.OffsetCid, cid);
        w.SetUInt32(Bhs.OffsetCmdSN, cmdSN);
        w.SetUInt32(Bhs.OffsetExpStatSN, expStatSN);
    }

    public static void WriteTextRequest(
        Span<byte> bhs, bool immediate, bool final, bool @continue, ulong lun, uint itt, uint ttt, uint cmdSN, uint expStatSN, int dataLength)
    {
        var w = new PduHeaderWriter(bhs, IscsiOpcode.TextRequest, immediate, (byte)((final ? Bhs.FinalBit : 0) | (@continue ? Bhs.ContinueBit : 0)));
        w.SetDataSegmentLength(dataLength);
        w.SetUInt64(Bhs.OffsetLun, lun);
        w.SetUInt32(Bhs.OffsetItt, itt);
        w.SetUInt32(Bhs.OffsetTtt, ttt);
        w.SetUInt32(Bhs.OffsetCmdSN, cmdSN);
        w.SetUInt32(Bhs.OffsetExpStatSN, expStatSN);
    }

    /// <summary>Logout Request; <paramref name="reason"/> 0 closes the session, 1 the connection, 2 removes it for recovery.</summary>
    public static void WriteLogoutRequest(Span<byte> bhs, bool immediate, byte reason, uint itt, ushort cid, uint cmdSN, uint expStatSN)
    {
        var w = new PduHeaderWriter(bhs, IscsiOpcode.LogoutRequest, immediate, (byte)(Bhs.FinalBit | (reason & 0x7F)));
        w.SetUInt32(Bhs.OffsetItt, itt);
        w.SetUInt16(Bhs.OffsetCid, cid);
        w.SetUInt32(Bhs.OffsetCmdSN, cmdSN);
        w.SetUInt32(Bhs.OffsetExpStatSN, expStatSN);
    }

    public static void WriteNopOut(Span<byte> bhs, bool immediate, ulong lun, uint itt, uint ttt, uint cmdSN, uint expStatSN, int dataLength)
    {
        var w = new PduHeaderWriter(bhs, IscsiOpcode.NopOut, immediate, Bhs.FinalBit);
        w.SetDataSegmentLength(dataLength);
        w.SetUInt64(Bhs.OffsetLun, lun);
        w.SetUInt32(Bhs.OffsetItt, itt);
        w.SetUInt32(Bhs.OffsetTtt, ttt);
        w.SetUInt32(Bhs.OffsetCmdSN, cmdSN);
        w.SetUInt32(Bhs.OffsetExpStatSN, expStatSN);
    }
}
