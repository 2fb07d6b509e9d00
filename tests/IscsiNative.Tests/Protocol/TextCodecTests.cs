using System.Text;
using IscsiNative.Protocol;

namespace IscsiNative.Tests.Protocol;

public sealed class TextCodecTests
{
    [Fact]
    public void Reader_returns_pairs_and_skips_extra_nuls()
    {
        var r = new TextKeyValueReader("A=1\0\0B=x=y\0C=\0"u8, TextLimits.Default);
        var pairs = new List<string>();
        while (r.TryRead(out ReadOnlySpan<byte> k, out ReadOnlySpan<byte> v))
        {
            pairs.Add(Encoding.ASCII.GetString(k) + "|" + Encoding.ASCII.GetString(v));
        }

        Assert.Equal(["A|1", "B|x=y", "C|"], pairs);
    }

    [Theory]
    [InlineData("novalue\0")]
    [InlineData("=v\0")]
    [InlineData("Bad Key=v\0")]
    public void Reader_rejects_malformed_pairs(string text)
    {
        byte[] data = Encoding.ASCII.GetBytes(text);
        Assert.Throws<IscsiProtocolException>(() =>
        {
            var r = new TextKeyValueReader(data, TextLimits.Default);
            while (r.TryRead(out _, out _))
            {
            }
        });
    }

    [Fact]
    public void Reader_enforces_key_and_value_limits()
    {
        byte[] longKey = Encoding.ASCII.GetBytes(new string('k', 64) + "=v\0");
        byte[] longValue = Encoding.ASCII.GetBytes("k=" + new string('v', 101) + "\0");
        Assert.Throws<IscsiProtocolException>(() => new TextKeyValueReader(longKey, TextLimits.Default).TryRead(out _, out _));
        Assert.Throws<IscsiProtocolException>(() => new TextKeyValueReader(longValue, TextLimits.Default with { MaxValueLength = 100 }).TryRead(out _, out _));
    }

    [Fact]
    public void Accumulator_joins_a_pair_split_across_pdus_and_caps_growth()
    {
        using var acc = new TextAccumulator(TextLimits.Default with { MaxTotalLength = 16, MaxPduCount = 3 });
        acc.Append("Target"u8);
        acc.Append("Name=a\0"u8);
        Assert.Equal("TargetName=a\0", Encoding.ASCII.GetString(acc.Text));
        Assert.Throws<IscsiProtocolException>(() => acc.Append("0123456789"u8));
        acc.Reset();
        acc.Append(""u8);
        acc.Append(""u8);
        acc.Append(""u8);
        Assert.Throws<IscsiProtocolException>(() => acc.Append(""u8));
    }

    [Fact]
    public void Writer_writes_numbers_booleans_and_strings()
    {
        byte[] buf = new byte[64];
        var w = new TextKeyValueWriter(buf);
        w.Write("A"u8, 262144L);
        w.Write("B"u8, true);
        w.Write("C"u8, "iqn.x");
        Assert.Equal("A=262144\0B=Yes\0C=iqn.x\0", Encoding.ASCII.GetString(w.Written));
        var small = new TextKeyValueWriter(new byte[4]);
        bool threw = false;
        try
        {
            small.Write("Key"u8, "Value"u8);
        }
        catch (InvalidOperationException)
        {
            threw = true;
        }

        Assert.True(threw);
    }

    [Theory]
    [InlineData("8192", true, 8192UL)]
    [InlineData("0x2000", true, 8192UL)]
    [InlineData("0X1f", true, 31UL)]
    [InlineData("", false, 0UL)]
    [InlineData("-1", false, 0UL)]
    [InlineData("12a", false, 0UL)]
    public void Numbers_parse_decimal_and_hex(string text, bool ok, ulong value)
    {
        Assert.Equal(ok, TextValue.TryParseNumber(Encoding.ASCII.GetBytes(text), out ulong v));
        Assert.Equal(value, ok ? v : 0);
    }

    [Fact]
    public void Lists_ranges_booleans_and_special_values()
    {
        Assert.True(TextValue.ListContains("CRC32C,None"u8, "None"u8));
        Assert.False(TextValue.ListContains("CRC32C,None"u8, "CRC"u8));
        Assert.True(TextValue.TryParseRange("1~5"u8, out ulong lo, out ulong hi));
        Assert.Equal((1UL, 5UL), (lo, hi));
        Assert.False(TextValue.TryParseRange("5~1"u8, out _, out _));
        Assert.True(TextValue.TryParseBoolean("No"u8, out bool b) && !b);
        Assert.False(TextValue.TryParseBoolean("yes"u8, out _));
        Assert.True(TextValue.IsSpecial("NotUnderstood"u8));
        Assert.True(TextValue.IsSpecial("Irrelevant"u8));
        Assert.True(TextValue.IsSpecial("Reject"u8));
    }

    [Theory]
    [InlineData("0x0aFF", "0aff")]
    [InlineData("0xabc", "0abc")]
    [InlineData("0bAQID", "010203")]
    public void Binary_values_decode_hex_and_base64(string text, string hex)
    {
        byte[] dest = new byte[16];
        Assert.True(BinaryValue.TryDecode(Encoding.ASCII.GetBytes(text), dest, out int n));
        Assert.Equal(hex, Convert.ToHexStringLower(dest.AsSpan(0, n)));
    }

    [Theory]
    [InlineData("0x")]
    [InlineData("0xG1")]
    [InlineData("0b!!")]
    [InlineData("1234")]
    public void Bad_binary_values_are_refused(string text)
    {
        Assert.False(BinaryValue.TryDecode(Encoding.ASCII.GetBytes(text), new byte[16], out _));
    }
}
