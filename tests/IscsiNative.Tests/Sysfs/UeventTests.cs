using System.Text;
using IscsiNative.Sysfs;
using Microsoft.Extensions.Logging.Abstractions;

namespace IscsiNative.Tests.Sysfs;

/// <summary>Parsing kernel uevent datagrams (action@devpath, then KEY=VALUE pairs) over spans, and routing them to watches.</summary>
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

    [Theory]
    [InlineData("/devices/platform/host12", 12, true)]
    [InlineData("/devices/platform/host3/session7/target3:0:0/3:0:0:0/block/sdb", 3, false)]
    [InlineData("/devices/platform/host3/scsi_host/host3", 3, false)]
    [InlineData("/devices/platform/hostx", null, false)]
    [InlineData("/devices/platform/host12a", null, false)]
    [InlineData("/devices/virtual/block/loop0", null, false)]
    public void Uevent_devpaths_map_to_their_scsi_host(string devpath, int? host, bool isHost)
    {
        bool parsed = ScsiHostUevents.TryParseHost(Encoding.ASCII.GetBytes(devpath), out int h, out bool self);
        Assert.Equal(host, parsed ? h : null);
        Assert.Equal(isHost, parsed && self);
    }

    [Theory]
    [InlineData("ACTION=remove\0DEVPATH=/devices/platform/host3\0SUBSYSTEM=scsi\0SEQNUM=4711\0", 4711UL)]
    [InlineData("SEQNUM=12", 12UL)]
    [InlineData("ACTION=add\0SEQNUM=12x\0", 0UL)]
    [InlineData("ACTION=add\0SEQNUM=\0", 0UL)]
    [InlineData("ACTION=add\0", 0UL)]
    public void Uevent_seqnum_is_read_from_the_key_list(string keys, ulong expected)
    {
        Assert.True(Uevent.TryParse(Encoding.ASCII.GetBytes("remove@/devices/platform/host3\0" + keys), out Uevent e));
        Assert.Equal(expected, e.SeqNum);
    }

    [Fact]
    public void A_device_watch_wakes_on_block_and_scsi_events_of_any_host_and_not_on_others()
    {
        using var router = ScsiHostUevents.ForDispatchOnly(NullLogger.Instance);
        using ScsiHostUevents.Watch devices = router.WatchDevices();
        using ScsiHostUevents.Watch host7 = router.WatchHost(7);

        Task next = devices.Next;
        Task nextOfHost = host7.Next;
        router.Dispatch(Datagram("add@/devices/virtual/net/lo", "SUBSYSTEM=net", "SEQNUM=1"));
        router.Dispatch(Datagram("libudev", "SUBSYSTEM=block"));
        Assert.False(next.IsCompleted);

        router.Dispatch(Datagram("change@/devices/virtual/block/dm-3", "SUBSYSTEM=block", "DEVNAME=dm-3", "SEQNUM=2"));
        Assert.True(next.IsCompleted);
        Assert.False(nextOfHost.IsCompleted);

        next = devices.Next;
        router.Dispatch(Datagram("add@/devices/platform/host7/session3/target7:0:0/7:0:0:2", "SUBSYSTEM=scsi", "DEVTYPE=scsi_device", "SEQNUM=3"));
        Assert.True(next.IsCompleted);
        Assert.True(nextOfHost.IsCompleted);
        Assert.False(host7.HostRemoved);
    }

    [Fact]
    public void A_host_watch_sees_its_host_removed_only_after_its_seqnum_mark()
    {
        using var router = ScsiHostUevents.ForDispatchOnly(NullLogger.Instance);
        string root = Directory.CreateTempSubdirectory("uevent-seqnum").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "kernel"));
            File.WriteAllText(Path.Combine(root, "kernel", "uevent_seqnum"), "100\n");
            using ScsiHostUevents.Watch watch = router.WatchHost(4, root);

            router.Dispatch(Datagram("remove@/devices/platform/host4", "SUBSYSTEM=scsi", "SEQNUM=99"));
            Assert.False(watch.HostRemoved);

            router.Dispatch(Datagram("remove@/devices/platform/host4", "SUBSYSTEM=scsi", "SEQNUM=101"));
            Assert.True(watch.HostRemoved);
            Assert.False(watch.HostNumberReused);

            router.Dispatch(Datagram("add@/devices/platform/host4", "SUBSYSTEM=scsi", "SEQNUM=102"));
            Assert.True(watch.HostNumberReused);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_disposed_device_watch_is_no_longer_woken()
    {
        using var router = ScsiHostUevents.ForDispatchOnly(NullLogger.Instance);
        ScsiHostUevents.Watch watch = router.WatchDevices();
        Task next = watch.Next;
        watch.Dispose();
        router.Dispatch(Datagram("add@/devices/virtual/block/dm-0", "SUBSYSTEM=block"));
        Assert.False(next.IsCompleted);
    }
}
