using IscsiNative.Netlink;

namespace IscsiNative.Tests.Netlink;

public sealed class IscsiTransportHandleTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("iscsinative-sysfs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void WriteHandle(string text)
    {
        string dir = Path.Combine(_root, "class", "iscsi_transport", "tcp");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "handle"), text);
    }

    [Fact]
    public void Reads_the_decimal_kernel_address_as_UInt64()
    {
        WriteHandle("18446612686511538176\n");
        Assert.Equal(18446612686511538176ul, IscsiTransportHandle.Read(_root));
    }

    [Fact]
    public void A_missing_transport_says_iscsi_tcp_is_not_loaded()
    {
        IscsiKernelException e = Assert.Throws<IscsiKernelException>(() => IscsiTransportHandle.Read(_root));
        Assert.Contains("iscsi_tcp", e.Message, StringComparison.Ordinal);
        Assert.Contains("not loaded", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x1234\n")]
    [InlineData("-5\n")]
    [InlineData("99999999999999999999999\n")]
    public void A_malformed_handle_is_a_typed_error(string text)
    {
        WriteHandle(text);
        Assert.Equal(74, Assert.Throws<IscsiKernelException>(() => IscsiTransportHandle.Read(_root)).Errno);
    }
}
