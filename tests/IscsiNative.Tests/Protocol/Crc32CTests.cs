using IscsiNative.Protocol;

namespace IscsiNative.Tests.Protocol;

/// <summary>RFC 3720 Appendix B.4 CRC32C test vectors, in wire byte order.</summary>
public sealed class Crc32CTests
{
    [Fact]
    public void Rfc3720_vectors_match()
    {
        byte[] zeros = new byte[32];
        byte[] ones = Enumerable.Repeat((byte)0xff, 32).ToArray();
        byte[] inc = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        byte[] dec = Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray();
        byte[] read =
        [
            0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18,
            0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        ];
        Assert.Equal("aa36918a", Digest(zeros));
        Assert.Equal("43aba862", Digest(ones));
        Assert.Equal("4e79dd46", Digest(inc));
        Assert.Equal("5cdb3f11", Digest(dec));
        Assert.Equal("563a96d9", Digest(read));
    }

    [Fact]
    public void Verify_accepts_the_written_digest_only()
    {
        byte[] d = new byte[4];
        Crc32C.Write("123456789"u8, d);
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.True(Crc32C.Verify("123456789"u8, d));
        Assert.False(Crc32C.Verify("123456780"u8, d));
    }

    private static string Digest(byte[] data)
    {
        byte[] d = new byte[4];
        Crc32C.Write(data, d);
        return Convert.ToHexStringLower(d);
    }
}
