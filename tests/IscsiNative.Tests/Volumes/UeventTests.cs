using System.Text;
using IscsiNative.Volumes;

namespace IscsiNative.Tests.Volumes;

/// <summary>Parsing kernel uevent datagrams (action@devpath, then KEY=VALUE pairs) over spans.</summary>
public sealed class UeventTests
{
    private static byte[] Datagram(params string[] parts) => Encoding.ASCII.GetBytes(string.Join('\0', parts) + "\0");

    [Fact]
    public void Block_disk_add_exposes_action_devpath_and_keys()
    {
        byte[] d = Datagram(
            "add@/devices/platform/host3/session2/target3:0:0/3:0:0:5/block/sdf",
            "ACTION=add",
            "DEVPATH=/devices/platform/host3/session2/target3:0:0/3:0:0:5/block/sdf",
            "SUBSYSTEM=block",
            "MAJOR=8",
            "MINOR=80",
            "DEVNAME=sdf",
            "DEVTYPE=disk",
            "DISKSEQ=12",
            "SEQNUM=4242");

        Assert.True(Uevent.TryParse(d, out Uevent e));
        Assert.Equal("add", Encoding.ASCII.GetString(e.Action));
        Assert.Equal("/devices/platform/host3/session2/target3:0:0/3:0:0:5/block/sdf", Encoding.ASCII.GetString(e.DevPath));
        Assert.Equal("block", Encoding.ASCII.GetString(e.Subsystem));
        Assert.Equal("sdf", Encoding.ASCII.GetString(e.DevName));
        Assert.Equal("disk", Encoding.ASCII.GetString(e.DevType));
        Assert.Equal("4242", Encoding.ASCII.GetString(e.Get("SEQNUM"u8)));
        Assert.True(e.Get("RESIZE"u8).IsEmpty);
    }

    [Fact]
    public void Key_prefixes_do_not_match_longer_keys()
    {
        byte[] d = Datagram("change@/devices/virtual/block/dm-0", "DM_NAME=x", "DM=y", "SUBSYSTEM=block");
        Assert.True(Uevent.TryParse(d, out Uevent e));
        Assert.Equal("y", Encoding.ASCII.GetString(e.Get("DM"u8)));
        Assert.Equal("x", Encoding.ASCII.GetString(e.Get("DM_NAME"u8)));
    }

    [Theory]
    [InlineData("libudev")]
    [InlineData("add")]
    [InlineData("@/devices/x")]
    [InlineData("add@")]
    [InlineData("")]
    public void Non_kernel_or_malformed_headers_are_rejected(string header)
    {
        Assert.False(Uevent.TryParse(Datagram(header, "SUBSYSTEM=block"), out _));
    }

    [Fact]
    public void A_datagram_without_a_trailing_nul_still_parses()
    {
        byte[] d = Encoding.ASCII.GetBytes("remove@/devices/x\0SUBSYSTEM=scsi");
        Assert.True(Uevent.TryParse(d, out Uevent e));
        Assert.Equal("scsi", Encoding.ASCII.GetString(e.Subsystem));
    }
}
