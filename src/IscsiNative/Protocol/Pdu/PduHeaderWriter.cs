using System.Buffers.Binary;

namespace IscsiNative.Protocol;

/// <summary>Writes the fields of a 48-byte Basic Header Segment in place. Starts from a zeroed header.</summary>
internal readonly ref struct PduHeaderWriter
{
    private readonly Span<byte> _bhs;

    /// <summary>Wraps and clears the first 48 bytes of <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">Fewer than 48 bytes.</exception>
    public PduHeaderWriter(Span<byte> destination, IscsiOpcode opcode, bool immediate, byte flags)
    {
        if (destination.Length < Bhs.Size)
        {
            throw new ArgumentException("A BHS needs 48 bytes.", nameof(destination));
        }

        _bhs = destination[..Bhs.Size];
        _bhs.Clear();
        _bhs[0] = (byte)((byte)opcode | (immediate ? Bhs.ImmediateBit : 0));
        _bhs[1] = flags;
    }

    public Span<byte> Span => _bhs;

    public void SetByte(int offset, byte value) => _bhs[offset] = value;

    public void SetUInt16(int offset, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(_bhs[offset..], value);

    public void SetUInt32(int offset, uint value) => BinaryPrimitives.WriteUInt32BigEndian(_bhs[offset..], value);

    public void SetUInt64(int offset, ulong value) => BinaryPrimitives.WriteUInt64BigEndian(_bhs[offset..], value);

    /// <summary>Sets TotalAHSLength from a byte count that must be a multiple of 4 and at most 1020.</summary>
    public void SetTotalAhsLength(int bytes)
    {
        if ((uint)bytes > 1020 || (bytes & 3) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bytes));
        }

        _bhs[Bhs.OffsetTotalAhsLength] = (byte)(bytes / 4);
    }

    /// <summary>Sets the 24-bit DataSegmentLength.</summary>
    public void SetDataSegmentLength(int length)
    {
        if ((uint)length > Bhs.MaxDataSegmentLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length));
        }

        _bhs[Bhs.OffsetDataSegmentLength] = (byte)(length >> 16);
        _bhs[Bhs.OffsetDataSegmentLength + 1] = (byte)(length >> 8);
        _bhs[Bhs.OffsetDataSegmentLength + 2] = (byte)length;
    }

    /// <summary>Writes a 48-bit ISID at bytes 8-13.</summary>
    public void SetIsid(ulong isid)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_bhs[Bhs.OffsetIsid..], (ushort)(isid >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(_bhs[(Bhs.OffsetIsid + 2)..], (uint)isid);
    }
}
