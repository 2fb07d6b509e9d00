using System.Buffers.Binary;
using System.Numerics;

namespace IscsiNative.Protocol;

/// <summary>
/// CRC32C (Castagnoli, reflected, init and final XOR 0xFFFFFFFF) as used for iSCSI header and data digests
/// (RFC 3720 §12.1, test vectors in RFC 3720 B.4). Uses the hardware instruction through
/// <see cref="BitOperations.Crc32C(uint, ulong)"/>. The digest goes on the wire least significant byte first.
/// </summary>
internal static class Crc32C
{
    /// <summary>Computes the digest of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(0xFFFF_FFFF, data);

    /// <summary>Continues a running (un-finalized) CRC; start with 0xFFFFFFFF and complement at the end.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        if (data.Length >= 4)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt32LittleEndian(data));
            data = data[4..];
        }

        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }

    /// <summary>Writes the digest of <paramref name="data"/> in wire order into 4 bytes of <paramref name="destination"/>.</summary>
    public static void Write(ReadOnlySpan<byte> data, Span<byte> destination) =>
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Compute(data));

    /// <summary>Whether the 4 wire bytes in <paramref name="digest"/> match <paramref name="data"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> digest) =>
        BinaryPrimitives.ReadUInt32LittleEndian(digest) == Compute(data);
}
