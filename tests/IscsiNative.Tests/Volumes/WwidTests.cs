using IscsiNative.Volumes;

namespace IscsiNative.Tests.Volumes;

/// <summary>WWIDs in multipath's form from the kernel's wwid attribute and from VPD page 0x83 bytes.</summary>
public sealed class WwidTests
{
    [Theory]
    [InlineData("naa.6001405ABCDEF0123456789abcdef012\n", "36001405abcdef0123456789abcdef012")]
    [InlineData("eui.0011223344556677", "20011223344556677")]
    [InlineData("t10.LIO-ORG vol1", "1LIO-ORG vol1")]
    [InlineData("something else", null)]
    [InlineData("", null)]
    public void Kernel_wwid_prefixes_map_to_type_digits(string text, string? expected)
    {
        Assert.Equal(expected, Wwid.FromKernelWwid(text));
    }

    [Fact]
    public void Vpd_page_prefers_naa_over_t10_and_ignores_port_designators()
    {
        byte[] t10 = [0x02, 0x01, 0x00, 0x08, .. "LIO-ORG "u8];
        byte[] naa = [0x01, 0x03, 0x00, 0x10, 0x60, 0x01, 0x40, 0x5a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x12];
        byte[] portNaa = [0x01, 0x13, 0x00, 0x08, 0x50, 0x01, 0x40, 0x50, 0, 0, 0, 1]; // association 1 (target port)
        byte[] body = [.. t10, .. portNaa, .. naa];
        byte[] page = [0x00, 0x83, 0x00, (byte)body.Length, .. body];

        Assert.Equal("36001405abcdef0123456789abcdef012", Wwid.FromVpdPage83(page));
    }

    [Fact]
    public void Truncated_or_foreign_pages_give_no_wwid()
    {
        Assert.Null(Wwid.FromVpdPage83([0x00, 0x80, 0x00, 0x00]));
        Assert.Null(Wwid.FromVpdPage83([0x00, 0x83, 0x00, 0x20, 0x01, 0x03, 0x00, 0x10, 0x60]));
    }
}
