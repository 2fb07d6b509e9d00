using System.Buffers.Binary;

namespace IscsiNative.Protocol;

/// <summary>
/// Zero-copy reader of a 48-byte Basic Header Segment. Field accessors are named after RFC 7143; which ones are
/// meaningful depends on <see cref="Opcode"/>.
/// </summary>
internal readonly ref struct PduHeader
{
    private readonly ReadOnlySpan<byte> _bhs;

    /// <summary>Wraps the first 48 bytes of <paramref name="bhs"/>.</summary>
    /// <exception cref="IscsiProtocolException">Fewer than 48 bytes.</exception>
    public PduHeader(ReadOnlySpan<byte> bhs)
    {
        if (bhs.Length < Bhs.Size)
        {
            ThrowHelper.ThrowProtocol("PDU header shorter than 48 bytes");
        }

        _bhs = bhs[..Bhs.Size];
    }

    public ReadOnlySpan<byte> Span => _bhs;

    public IscsiOpcode Opcode => (IscsiOpcode)(_bhs[0] & Bhs.OpcodeMask);

    public bool IsImmediate => (_bhs[0] & Bhs.ImmediateBit) != 0;

    public byte Flags => _bhs[Bhs.OffsetFlags];

    public bool IsFinal => (_bhs[Bhs.OffsetFlags] & Bhs.FinalBit) != 0;

    public bool IsContinue => (_bhs[Bhs.OffsetFlags] & Bhs.ContinueBit) != 0;

    /// <summary>Login: the T (transit) bit.</summary>
    public bool IsTransit => (_bhs[Bhs.OffsetFlags] & Bhs.TransitBit) != 0;

    /// <summary>Login: CSG, bits 2-3 of byte 1.</summary>
    public LoginStage CurrentStage => (LoginStage)((_bhs[Bhs.OffsetFlags] >> 2) & 3);

    /// <summary>Login: NSG, bits 0-1 of byte 1.</summary>
    public LoginStage NextStage => (LoginStage)(_bhs[Bhs.OffsetFlags] & 3);

    /// <summary>Byte 2: Version-max (login), Response (logout), Reason (reject).</summary>
    public byte Byte2 => _bhs[2];

    /// <summary>Byte 3: Version-min (login request) or Version-active (login response).</summary>
    public byte Byte3 => _bhs[3];

    /// <summary>TotalAHSLength in bytes (the wire counts 4-byte words).</summary>
    public int TotalAhsLength => _bhs[Bhs.OffsetTotalAhsLength] * 4;

    public int DataSegmentLength =>
        (_bhs[Bhs.OffsetDataSegmentLength] << 16) | (_bhs[Bhs.OffsetDataSegmentLength + 1] << 8) | _bhs[Bhs.OffsetDataSegmentLength + 2];

    public ulong Lun => BinaryPrimitives.ReadUInt64BigEndian(_bhs[Bhs.OffsetLun..]);

    /// <summary>Login: the 6-byte ISID as a 48-bit number.</summary>
    public ulong Isid => ((ulong)BinaryPrimitives.ReadUInt16BigEndian(_bhs[Bhs.OffsetIsid..]) << 32) | BinaryPrimitives.ReadUInt32BigEndian(_bhs[(Bhs.OffsetIsid + 2)..]);

    public ushort Tsih => BinaryPrimitives.ReadUInt16BigEndian(_bhs[Bhs.OffsetTsih..]);

    public uint InitiatorTaskTag => BinaryPrimitives.ReadUInt32BigEndian(_bhs[Bhs.OffsetItt..]);

    public uint TargetTransferTag => BinaryPrimitives.ReadUInt32BigEndian(_bhs[Bhs.OffsetTtt..]);

    public ushort Cid => BinaryPrimitives.ReadUInt16BigEndian(_bhs[Bhs.OffsetCid..]);

    public uint CmdSN => BinaryPrimitives.ReadUInt32BigEndian(_bhs[Bhs.OffsetCmdSN..]);

    public uint StatSN => BinaryPrimitives.ReadUInt32BigEndian(_bhs[Bhs.OffsetStatSN..]);

    public uint ExpStatSN => BinaryPrimitives.ReadUInt32BigEndian(_bhs[Bhs.OffsetExpStatSN..]);

    public uint ExpCmdSN => BinaryPrimitives.ReadUInt32BigEndian(_bhs[Bhs.OffsetExpCmdSN..]);

    public uint MaxCmdSN => BinaryPrimitives.ReadUInt32BigEndian(_bhs[Bhs.OffsetMaxCmdSN..]);

    /// <summary>Login response: Status-Class.</summary>
    public byte StatusClass => _bhs[Bhs.OffsetStatusClass];

    /// <summary>Login response: Status-Detail.</summary>
    public byte StatusDetail => _bhs[Bhs.OffsetStatusDetail];

    /// <summary>Async message: AsyncEvent.</summary>
    public byte AsyncEvent => _bhs[36];

    /// <summary>Async message: AsyncVCode.</summary>
    public byte AsyncVCode => _bhs[37];

    /// <summary>Reads the big-endian 16-bit field at <paramref name="offset"/> (e.g. Time2Wait at 40).</summary>
    public ushort ReadUInt16(int offset) => BinaryPrimitives.ReadUInt16BigEndian(_bhs[offset..]);

    /// <summary>Reads the big-endian 32-bit field at <paramref name="offset"/>.</summary>
    public uint ReadUInt32(int offset) => BinaryPrimitives.ReadUInt32BigEndian(_bhs[offset..]);
}
