using System.Buffers;
using System.Buffers.Text;

namespace IscsiNative.Protocol;

/// <summary>Binary text values (RFC 7143 §6.1): <c>0x</c> hex (either case) and <c>0b</c> base64.</summary>
internal static class BinaryValue
{
    /// <summary>Upper bound of the decoded length of <paramref name="value"/>, or -1 without a valid prefix.</summary>
    public static int GetMaxDecodedLength(ReadOnlySpan<byte> value)
    {
        if (value.Length < 2 || value[0] != '0')
        {
            return -1;
        }

        return (value[1] | 0x20) switch
        {
            'x' => (value.Length - 2 + 1) / 2,
            'b' => Base64.GetMaxDecodedFromUtf8Length(value.Length - 2),
            _ => -1,
        };
    }

    /// <summary>Decodes into <paramref name="destination"/>; <see langword="false"/> for bad encoding, no prefix, empty or too long.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> value, Span<byte> destination, out int written)
    {
        written = 0;
        int max = GetMaxDecodedLength(value);
        if (max <= 0)
        {
            return false;
        }

        ReadOnlySpan<byte> body = value[2..];
        if ((value[1] | 0x20) == 'x')
        {
            if (destination.Length < max)
            {
                return false;
            }

            int i = 0;
            int o = 0;
            if ((body.Length & 1) == 1)
            {
                int n = TextValue.HexNibble(body[0]);
                if (n < 0)
                {
                    return false;
                }

                destination[o++] = (byte)n;
                i = 1;
            }

            for (; i < body.Length; i += 2)
            {
                int hi = TextValue.HexNibble(body[i]);
                int lo = TextValue.HexNibble(body[i + 1]);
                if ((hi | lo) < 0)
                {
                    return false;
                }

                destination[o++] = (byte)((hi << 4) | lo);
            }

            written = o;
            return true;
        }

        OperationStatus status = Base64.DecodeFromUtf8(body, destination, out int consumed, out written);
        return status == OperationStatus.Done && consumed == body.Length && written > 0;
    }

    /// <summary>Length of the <c>0x</c> + lowercase hex form of <paramref name="length"/> bytes.</summary>
    public static int GetHexEncodedLength(int length) => 2 + (length * 2);

    /// <summary>Writes <c>0x</c> and lowercase hex, as open-iscsi sends CHAP_R and CHAP_C.</summary>
    public static void EncodeHex(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        destination[0] = (byte)'0';
        destination[1] = (byte)'x';
        for (int i = 0; i < bytes.Length; i++)
        {
            destination[2 + (2 * i)] = (byte)"0123456789abcdef"[bytes[i] >> 4];
            destination[3 + (2 * i)] = (byte)"0123456789abcdef"[bytes[i] & 0xF];
        }
    }
}
