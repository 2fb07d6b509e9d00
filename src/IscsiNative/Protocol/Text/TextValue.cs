using System.Buffers.Text;

namespace IscsiNative.Protocol;

/// <summary>Parsers for text values (RFC 7143 §6.1, §13): numbers, booleans, lists, ranges and the special answers.</summary>
internal static class TextValue
{
    public static bool IsNotUnderstood(ReadOnlySpan<byte> value) => value.SequenceEqual("NotUnderstood"u8);

    public static bool IsIrrelevant(ReadOnlySpan<byte> value) => value.SequenceEqual("Irrelevant"u8);

    public static bool IsReject(ReadOnlySpan<byte> value) => value.SequenceEqual("Reject"u8);

    /// <summary>Whether the value is one of the special answers NotUnderstood, Irrelevant or Reject.</summary>
    public static bool IsSpecial(ReadOnlySpan<byte> value) => IsNotUnderstood(value) || IsIrrelevant(value) || IsReject(value);

    /// <summary>Parses <c>Yes</c>/<c>No</c>.</summary>
    public static bool TryParseBoolean(ReadOnlySpan<byte> value, out bool result)
    {
        if (value.SequenceEqual("Yes"u8))
        {
            result = true;
            return true;
        }

        result = false;
        return value.SequenceEqual("No"u8);
    }

    /// <summary>Parses a numerical value: decimal, or hexadecimal with a <c>0x</c>/<c>0X</c> prefix (RFC 7143 §6.1).</summary>
    public static bool TryParseNumber(ReadOnlySpan<byte> value, out ulong result)
    {
        result = 0;
        if (value.IsEmpty)
        {
            return false;
        }

        if (value.Length > 2 && value[0] == '0' && (value[1] | 0x20) == 'x')
        {
            ReadOnlySpan<byte> hex = value[2..];
            if (hex.Length > 16)
            {
                return false;
            }

            foreach (byte c in hex)
            {
                int nibble = HexNibble(c);
                if (nibble < 0)
                {
                    return false;
                }

                result = (result << 4) | (uint)nibble;
            }

            return true;
        }

        foreach (byte c in value)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return Utf8Parser.TryParse(value, out result, out int consumed) && consumed == value.Length;
    }

    /// <summary>Parses a number and checks it lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static bool TryParseNumber(ReadOnlySpan<byte> value, ulong min, ulong max, out ulong result) =>
        TryParseNumber(value, out result) && result >= min && result <= max;

    /// <summary>Parses a range <c>low~high</c> (RFC 7143 §6.1); low must not exceed high.</summary>
    public static bool TryParseRange(ReadOnlySpan<byte> value, out ulong low, out ulong high)
    {
        high = 0;
        int tilde = value.IndexOf((byte)'~');
        if (tilde < 0)
        {
            low = 0;
            return false;
        }

        return TryParseNumber(value[..tilde], out low) && TryParseNumber(value[(tilde + 1)..], out high) && low <= high;
    }

    /// <summary>Whether the comma separated list <paramref name="list"/> contains <paramref name="item"/>.</summary>
    public static bool ListContains(ReadOnlySpan<byte> list, ReadOnlySpan<byte> item)
    {
        foreach (Range r in list.Split((byte)','))
        {
            if (list[r].SequenceEqual(item))
            {
                return true;
            }
        }

        return false;
    }

    internal static int HexNibble(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };
}
