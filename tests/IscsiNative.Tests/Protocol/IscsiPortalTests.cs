using IscsiNative.Initiator;

namespace IscsiNative.Tests.Protocol;

public sealed class IscsiPortalTests
{
    [Theory]
    [InlineData("10.0.0.1", "10.0.0.1", 3260)]
    [InlineData("10.0.0.1:3261", "10.0.0.1", 3261)]
    [InlineData("[fe80::1]:3262", "fe80::1", 3262)]
    [InlineData("[::1]", "::1", 3260)]
    [InlineData("fe80::2", "fe80::2", 3260)]
    [InlineData("target.example", "target.example", 3260)]
    public void Parse_accepts_ip_port_and_bracketed_ipv6(string text, string address, int port)
    {
        IscsiPortal p = IscsiPortal.Parse(text);
        Assert.Equal(address, p.Address);
        Assert.Equal(port, p.Port);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0.1:")]
    [InlineData("10.0.0.1:0")]
    [InlineData("10.0.0.1:70000")]
    [InlineData("[fe80::1")]
    [InlineData("[fe80::1]x")]
    [InlineData("a b:1")]
    public void TryParse_refuses_bad_portals(string text)
    {
        Assert.False(IscsiPortal.TryParse(text, out _));
        Assert.Throws<FormatException>(() => IscsiPortal.Parse(text));
    }

    [Fact]
    public void ToString_brackets_ipv6()
    {
        Assert.Equal("[fe80::1]:3260", new IscsiPortal("fe80::1").ToString());
        Assert.Equal("10.0.0.1:3261", new IscsiPortal("10.0.0.1", 3261).ToString());
    }

    [Fact]
    public async Task Discovery_refuses_a_non_positive_timeout_before_connecting()
    {
        using var initiator = new IscsiInitiator();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => initiator.DiscoverAsync(
            new IscsiPortal("127.0.0.1", 9), new DiscoveryOptions { LoginTimeout = TimeSpan.Zero }, TestContext.Current.CancellationToken));
    }
}
