namespace IscsiNative.Protocol;

/// <summary>
/// Lays a whole PDU out on the wire and finds PDUs in received bytes: BHS, AHS (skipped), optional header digest,
/// data segment padded to 4 bytes, optional data digest. Allocation-free.
/// </summary>
internal static class PduFraming
{
    /// <summary>Total wire length of a PDU.</summary>
    public static int GetWireLength(int totalAhsLength, int dataSegmentLength, bool headerDigest, bool dataDigest) =>
        Bhs.Size + totalAhsLength + (headerDigest ? Bhs.DigestSize : 0) + Bhs.Pad4(dataSegmentLength)
        + (dataDigest && dataSegmentLength > 0 ? Bhs.DigestSize : 0);

    /// <summary>
    /// Writes BHS (already encoded, its DataSegmentLength must equal <paramref name="data"/>'s length), digests,
    /// data and zero padding into <paramref name="destination"/>; returns the bytes written.
    /// </summary>
    /// <exception cref="ArgumentException">Destination too small or header length mismatch.</exception>
    public static int Write(Span<byte> destination, ReadOnlySpan<byte> bhs, ReadOnlySpan<byte> data, bool headerDigest, bool dataDigest)
    {
        var header = new PduHeader(bhs);
        if (header.DataSegmentLength != data.Length || header.TotalAhsLength != 0)
        {
            throw new ArgumentException("BHS DataSegmentLength does not match the data, or AHS is not supported for sending.", nameof(bhs));
        }

        int length = GetWireLength(0, data.Length, headerDigest, dataDigest);
        if (destination.Length < length)
        {
            throw new ArgumentException("Destination too small for the PDU.", nameof(destination));
        }

        bhs[..Bhs.Size].CopyTo(destination);
        int pos = Bhs.Size;
        if (headerDigest)
        {
            Crc32C.Write(destination[..Bhs.Size], destination[pos..]);
            pos += Bhs.DigestSize;
        }

        if (data.Length > 0)
        {
            data.CopyTo(destination[pos..]);
            int padded = Bhs.Pad4(data.Length);
            destination.Slice(pos + data.Length, padded - data.Length).Clear();
            if (dataDigest)
            {
                Crc32C.Write(destination.Slice(pos, padded), destination[(pos + padded)..]);
            }

            pos += padded + (dataDigest ? Bhs.DigestSize : 0);
        }

        return pos;
    }

    /// <summary>
    /// Tries to find one complete PDU at the start of <paramref name="source"/>. Returns <see langword="false"/> when
    /// more bytes are needed (<paramref name="needed"/> says how many in total, once the BHS is there).
    /// </summary>
    /// <exception cref="IscsiProtocolException">Data segment larger than <paramref name="maxDataSegmentLength"/>, or a digest mismatch.</exception>
    public static bool TryRead(
        ReadOnlySpan<byte> source, bool headerDigest, bool dataDigest, int maxDataSegmentLength,
        out ReadOnlySpan<byte> bhs, out ReadOnlySpan<byte> data, out int needed)
    {
        bhs = default;
        data = default;
        if (source.Length < Bhs.Size)
        {
            needed = Bhs.Size;
            return false;
        }

        var header = new PduHeader(source);
        int dataLength = header.DataSegmentLength;
        CheckDataSegmentLength(dataLength, maxDataSegmentLength);
        needed = GetWireLength(header.TotalAhsLength, dataLength, headerDigest, dataDigest);
        if (source.Length < needed)
        {
            return false;
        }

        int pos = Bhs.Size + header.TotalAhsLength;
        if (headerDigest)
        {
            if (!Crc32C.Verify(source[..pos], source.Slice(pos, Bhs.DigestSize)))
            {
                ThrowHelper.ThrowProtocol("PDU header digest mismatch");
            }

            pos += Bhs.DigestSize;
        }

        int padded = Bhs.Pad4(dataLength);
        if (dataDigest && dataLength > 0 && !Crc32C.Verify(source.Slice(pos, padded), source.Slice(pos + padded, Bhs.DigestSize)))
        {
            ThrowHelper.ThrowProtocol("PDU data digest mismatch");
        }

        bhs = source[..Bhs.Size];
        data = source.Slice(pos, dataLength);
        return true;
    }

    /// <summary>Rejects a DataSegmentLength beyond what the initiator declared it can receive.</summary>
    /// <exception cref="IscsiProtocolException">Too large.</exception>
    public static void CheckDataSegmentLength(int dataLength, int maxDataSegmentLength)
    {
        if (dataLength > maxDataSegmentLength)
        {
            ThrowHelper.ThrowProtocol($"Target sent a data segment of {dataLength} bytes, more than the {maxDataSegmentLength} allowed");
        }
    }
}
