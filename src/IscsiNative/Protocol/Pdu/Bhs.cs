namespace IscsiNative.Protocol;

/// <summary>Sizes, offsets and flag bits of the 48-byte Basic Header Segment (RFC 7143 §11.2).</summary>
internal static class Bhs
{
    internal const int Size = 48;
    internal const int DigestSize = 4;
    internal const int MaxDataSegmentLength = 0xFF_FFFF;
    internal const uint ReservedTag = 0xFFFF_FFFF;

    internal const byte ImmediateBit = 0x40;
    internal const byte OpcodeMask = 0x3F;
    internal const byte FinalBit = 0x80;
    internal const byte ContinueBit = 0x40;
    internal const byte TransitBit = 0x80;

    internal const int OffsetOpcode = 0;
    internal const int OffsetFlags = 1;
    internal const int OffsetTotalAhsLength = 4;
    internal const int OffsetDataSegmentLength = 5;
    internal const int OffsetLun = 8;
    internal const int OffsetIsid = 8;
    internal const int OffsetTsih = 14;
    internal const int OffsetItt = 16;
    internal const int OffsetTtt = 20;
    internal const int OffsetCid = 20;
    internal const int OffsetCmdSN = 24;
    internal const int OffsetStatSN = 24;
    internal const int OffsetExpStatSN = 28;
    internal const int OffsetExpCmdSN = 28;
    internal const int OffsetMaxCmdSN = 32;
    internal const int OffsetStatusClass = 36;
    internal const int OffsetStatusDetail = 37;

    /// <summary>Rounds a data segment length up to the 4-byte boundary the wire uses.</summary>
    internal static int Pad4(int length) => (length + 3) & ~3;
}
