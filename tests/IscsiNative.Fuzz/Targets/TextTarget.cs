using IscsiNative.Protocol;

namespace IscsiNative.Fuzz;

/// <summary>
/// Text key=value decoding (RFC 7143 §6.1): the input is accumulated in chunks (split at 0xFF bytes, as PDUs of a
/// continued sequence), read as pairs under the default and under tight limits, and every value is run through the
/// number, boolean, range, list and binary parsers. Documented: <see cref="IscsiProtocolException"/>.
/// </summary>
public static class TextTarget
{
    private static readonly TextLimits Tight = new(8, 16, 256, 4);

    public static void Run(ReadOnlySpan<byte> input)
    {
        ReadPairs(input, TextLimits.Default);
        ReadPairs(input, Tight);
        Accumulate(input, TextLimits.Default);
        Accumulate(input, Tight);
    }

    private static void Accumulate(ReadOnlySpan<byte> input, TextLimits limits)
    {
        using var acc = new TextAccumulator(limits);
        try
        {
            int total = 0;
            foreach (Range r in input.Split((byte)0xFF))
            {
                acc.Append(input[r]);
                total += input[r].Length;
                FuzzInvariantException.Check(acc.Text.Length == total && total <= limits.MaxTotalLength, "accumulated length");
            }

            FuzzInvariantException.Check(acc.PduCount <= limits.MaxPduCount, "PDU count beyond the limit");
            ReadPairs(acc.Text, limits);
        }
        catch (IscsiProtocolException)
        {
        }
    }

    private static void ReadPairs(ReadOnlySpan<byte> text, TextLimits limits)
    {
        var reader = new TextKeyValueReader(text, limits);
        try
        {
            int pairs = 0;
            while (reader.TryRead(out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value))
            {
                FuzzInvariantException.Check(++pairs <= text.Length, "more pairs than bytes");
                FuzzInvariantException.Check(key.Length is > 0 && key.Length <= limits.MaxKeyLength, "key length");
                FuzzInvariantException.Check(value.Length <= limits.MaxValueLength, "value length");
                FuzzInvariantException.Check(!key.Contains((byte)0) && !value.Contains((byte)0) && !key.Contains((byte)'='), "NUL or '=' inside a pair");
                Values(value);
            }
        }
        catch (IscsiProtocolException)
        {
        }
    }

    private static void Values(ReadOnlySpan<byte> value)
    {
        _ = TextValue.IsSpecial(value);
        if (TextValue.TryParseBoolean(value, out bool b))
        {
            FuzzInvariantException.Check(value.SequenceEqual(b ? "Yes"u8 : "No"u8), "boolean");
        }

        if (TextValue.TryParseNumber(value, out ulong n) && value.Length < 20 && value[0] != '0')
        {
            FuzzInvariantException.Check(n.ToString(System.Globalization.CultureInfo.InvariantCulture).Length == value.Length, "decimal round trip");
        }

        _ = TextValue.TryParseNumber(value, 512, 16777215, out _);
        if (TextValue.TryParseRange(value, out ulong low, out ulong high))
        {
            FuzzInvariantException.Check(low <= high, "range low > high");
        }

        foreach (Range r in value.Split((byte)','))
        {
            FuzzInvariantException.Check(TextValue.ListContains(value, value[r]), "list item not found in its own list");
        }

        int max = BinaryValue.GetMaxDecodedLength(value);
        if (max >= 0)
        {
            byte[] buffer = new byte[max];
            if (BinaryValue.TryDecode(value, buffer, out int written))
            {
                FuzzInvariantException.Check(written > 0 && written <= max, "binary length");
                byte[] hex = new byte[BinaryValue.GetHexEncodedLength(written)];
                BinaryValue.EncodeHex(buffer.AsSpan(0, written), hex);
                byte[] again = new byte[written];
                FuzzInvariantException.Check(
                    BinaryValue.TryDecode(hex, again, out int w2) && w2 == written && again.AsSpan().SequenceEqual(buffer.AsSpan(0, written)),
                    "binary value does not round-trip through hex");
            }
        }
    }
}
