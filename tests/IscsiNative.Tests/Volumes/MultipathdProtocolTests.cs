using IscsiNative.Volumes;

namespace IscsiNative.Tests.Volumes;

/// <summary>libmpathcmd framing and the replies the connector reads (golden bytes; no daemon).</summary>
public sealed class MultipathdProtocolTests
{
    [Fact]
    public void Request_is_a_native_size_t_length_then_the_text_with_its_nul()
    {
        byte[] frame = MultipathdProtocol.EncodeRequest("add path sdc");
        Assert.Equal(
            [13, 0, 0, 0, 0, 0, 0, 0, (byte)'a', (byte)'d', (byte)'d', (byte)' ', (byte)'p', (byte)'a', (byte)'t', (byte)'h', (byte)' ', (byte)'s', (byte)'d', (byte)'c', 0],
            frame);
    }

    [Fact]
    public void Requests_longer_than_cmdsize_or_with_nul_are_refused()
    {
        Assert.Throws<ArgumentException>(() => MultipathdProtocol.EncodeRequest(new string('x', 512)));
        Assert.Throws<ArgumentException>(() => MultipathdProtocol.EncodeRequest("a\0b"));
        Assert.Equal(8 + 512, MultipathdProtocol.EncodeRequest(new string('x', 511)).Length);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(32UL * 1024 * 1024)]
    public void Zero_or_huge_reply_lengths_are_errors(ulong length)
    {
        byte[] prefix = BitConverter.GetBytes(length);
        Assert.Throws<IscsiException>(() => MultipathdProtocol.DecodeReplyLength(prefix));
    }

    [Fact]
    public void Fail_replies_carry_their_reason()
    {
        Assert.True(MultipathdProtocol.IsFailure(MultipathdProtocol.DecodeReply("fail\nmap or partition in use\n\0"u8), out string reason));
        Assert.Equal("map or partition in use", reason);
        Assert.False(MultipathdProtocol.IsFailure(MultipathdProtocol.DecodeReply("ok\n\0"u8), out _));
    }

    [Fact]
    public void Raw_path_lines_parse_with_spaces_in_the_checker_state()
    {
        List<MultipathdPath> paths = MultipathdProtocol.ParsePaths("sdc|360014051f0e2c3a1|active|ready\nsdd|360014051f0e2c3a1|failed|i/o pending\n\n");
        Assert.Equal(
            [new MultipathdPath("sdc", "360014051f0e2c3a1", "active", "ready"), new MultipathdPath("sdd", "360014051f0e2c3a1", "failed", "i/o pending")],
            paths);
    }
}
