using IscsiNative.Protocol;

namespace IscsiNative.TestShared;

/// <summary>
/// Writes the BHS of the PDUs a target sends, for the fake targets and golden-byte tests (the initiator never
/// sends them, so they are not in the product's <see cref="PduEncoder"/>). Every method writes exactly 48 bytes and
/// zeroes reserved fields.
/// </summary>
internal static class TargetPduWriter
{
    public static void WriteLoginResponse(
        Span<byte> bhs, bool transit, bool @continue, LoginStage csg, LoginStage nsg, ulong isid, ushort tsih,
        uint itt, uint statSN, uint expCmdSN, uint maxCmdSN, byte statusClass, byte statusDetail, int dataLength)
    {
        byte flags = (byte)((transit ? Bhs.TransitBit : 0) | (@continue ? Bhs.ContinueBit : 0) | ((byte)csg << 2) | (transit ? (byte)nsg : 0));
        var w = new PduHeaderWriter(bhs, IscsiOpcode.LoginResponse, immediate: false, flags);
        w.SetDataSegmentLength(dataLength);
        w.SetIsid(isid);
        w.SetUInt16(Bhs.OffsetTsih, tsih);
        w.SetUInt32(Bhs.OffsetItt, itt);
        w.SetUInt32(Bhs.OffsetStatSN, statSN);
        w.SetUInt32(Bhs.OffsetExpCmdSN, expCmdSN);
        w.SetUInt32(Bhs.OffsetMaxCmdSN, maxCmdSN);
        w.SetByte(Bhs.OffsetStatusClass, statusClass);
        w.SetByte(Bhs.OffsetStatusDetail, statusDetail);
    }

    public static void WriteTextResponse(
        Span<byte> bhs, bool final, bool @continue, ulong lun, uint itt, uint ttt, uint statSN, uint expCmdSN, uint maxCmdSN, int dataLength)
    {
        var w = new PduHeaderWriter(bhs, IscsiOpcode.TextResponse, immediate: false, (byte)((final ? Bhs.FinalBit : 0) | (@continue ? Bhs.ContinueBit : 0)));
        w.SetDataSegmentLength(dataLength);
        w.SetUInt64(Bhs.OffsetLun, lun);
        w.SetUInt32(Bhs.OffsetItt, itt);
        w.SetUInt32(Bhs.OffsetTtt, ttt);
        w.SetUInt32(Bhs.OffsetStatSN, statSN);
        w.SetUInt32(Bhs.OffsetExpCmdSN, expCmdSN);
        w.SetUInt32(Bhs.OffsetMaxCmdSN, maxCmdSN);
    }

    public static void WriteLogoutResponse(
        Span<byte> bhs, byte response, uint itt, uint statSN, uint expCmdSN, uint maxCmdSN, ushort time2Wait, ushort time2Retain)
    {
        var w = new PduHeaderWriter(bhs, IscsiOpcode.LogoutResponse, immediate: false, Bhs.FinalBit);
        w.SetByte(2, response);
        w.SetUInt32(Bhs.OffsetItt, itt);
        w.SetUInt32(Bhs.OffsetStatSN, statSN);
        w.SetUInt32(Bhs.OffsetExpCmdSN, expCmdSN);
        w.SetUInt32(Bhs.OffsetMaxCmdSN, maxCmdSN);
        w.SetUInt16(40, time2Wait);
        w.SetUInt16(42, time2Retain);
    }

    public static void WriteNopIn(Span<byte> bhs, ulong lun, uint itt, uint ttt, uint statSN, uint expCmdSN, uint maxCmdSN, int dataLength)
    {
        var w = new PduHeaderWriter(bhs, IscsiOpcode.NopIn, immediate: false, Bhs.FinalBit);
        w.SetDataSegmentLength(dataLength);
        w.SetUInt64(Bhs.OffsetLun, lun);
        w.SetUInt32(Bhs.OffsetItt, itt);
        w.SetUInt32(Bhs.OffsetTtt, ttt);
        w.SetUInt32(Bhs.OffsetStatSN, statSN);
        w.SetUInt32(Bhs.OffsetExpCmdSN, expCmdSN);
        w.SetUInt32(Bhs.OffsetMaxCmdSN, maxCmdSN);
    }

    /// <summary>Reject; the data segment carries the rejected PDU's header (48 bytes).</summary>
    public static void WriteReject(Span<byte> bhs, byte reason, uint statSN, uint expCmdSN, uint maxCmdSN, uint dataSNOrR2TSN, int dataLength)
    {
        var w = new PduHeaderWriter(bhs, IscsiOpcode.Reject, immediate: false, Bhs.FinalBit);
        w.SetByte(2, reason);
        w.SetDataSegmentLength(dataLength);
        w.SetUInt32(Bhs.OffsetItt, Bhs.ReservedTag);
        w.SetUInt32(Bhs.OffsetStatSN, statSN);
        w.SetUInt32(Bhs.OffsetExpCmdSN, expCmdSN);
        w.SetUInt32(Bhs.OffsetMaxCmdSN, maxCmdSN);
        w.SetUInt32(36, dataSNOrR2TSN);
    }

    public static void WriteAsyncMessage(
        Span<byte> bhs, ulong lun, uint statSN, uint expCmdSN, uint maxCmdSN, byte asyncEvent, byte asyncVCode,
        ushort parameter1, ushort parameter2, ushort parameter3, int dataLength)
    {
        var w = new PduHeaderWriter(bhs, IscsiOpcode.AsyncMessage, immediate: false, Bhs.FinalBit);
        w.SetDataSegmentLength(dataLength);
        w.SetUInt64(Bhs.OffsetLun, lun);
        w.SetUInt32(Bhs.OffsetItt, Bhs.ReservedTag);
        w.SetUInt32(Bhs.OffsetStatSN, statSN);
        w.SetUInt32(Bhs.OffsetExpCmdSN, expCmdSN);
        w.SetUInt32(Bhs.OffsetMaxCmdSN, maxCmdSN);
        w.SetByte(36, asyncEvent);
        w.SetByte(37, asyncVCode);
        w.SetUInt16(38, parameter1);
        w.SetUInt16(40, parameter2);
        w.SetUInt16(42, parameter3);
    }
}
