using IscsiNative.Sysfs;

namespace IscsiNative.Tests.Sysfs;

/// <summary>The device wait of login and rescan reads sysfs and /dev under the reader's injected roots, never the host's.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SysfsDeviceProbeTests : IDisposable
{
    private readonly SysfsTreeBuilder _sysfs = new();
    private readonly string _dev = Directory.CreateTempSubdirectory("iscsinative-dev-").FullName;

    public SysfsDeviceProbeTests()
    {
        string lun = "class/iscsi_session/session7/device/target2:0:0/2:0:0:1";
        _sysfs.Write($"{lun}/type", "0\n");
        _sysfs.Write($"{lun}/state", "running\n");
        _sysfs.Write($"{lun}/block/sdq/size", "2048\n");
    }

    [Fact]
    public void A_disk_is_ready_only_when_its_node_exists_under_the_injected_dev_root()
    {
        using var reader = new SysfsSessionReader(_sysfs.Root, _dev);

        Assert.False(reader.TryProbe(7, out List<IscsiDevice> waiting));
        Assert.Null(Assert.Single(waiting).BlockDevice);

        File.WriteAllText(Path.Combine(_dev, "sdq"), string.Empty);
        Assert.True(reader.TryProbe(7, out List<IscsiDevice> ready));
        IscsiDevice disk = Assert.Single(ready);
        Assert.Equal(("2:0:0:1", 2, 0, "sdq", "/dev/sdq"), (disk.Hctl, disk.HostNumber, disk.ScsiType, disk.BlockDevice, disk.DevicePath));
        Assert.Equal(_dev, reader.DevRoot);
    }

    [Fact]
    public void A_node_that_exists_but_cannot_be_opened_yet_is_not_ready()
    {
        // Between devtmpfs creating /dev/sdX and the kernel's bdev_add, open(2) fails with ENXIO. A UNIX socket file
        // is the node-that-exists-but-opens-with-ENXIO this test can make without a kernel (open(2) of a socket is
        // ENXIO); the probe must keep waiting on it, then accept the node once it opens.
        using var reader = new SysfsSessionReader(_sysfs.Root, _dev);
        string node = Path.Combine(_dev, "sdq");
        using (var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(node));
            Assert.True(File.Exists(node));
            Assert.False(reader.TryProbe(7, out List<IscsiDevice> notYet));
            Assert.Null(Assert.Single(notYet).BlockDevice);
        }

        File.Delete(node);
        File.WriteAllText(node, string.Empty);
        Assert.True(reader.TryProbe(7, out List<IscsiDevice> ready));
        Assert.Equal("sdq", Assert.Single(ready).BlockDevice);
    }

    [Fact]
    public void Rescan_files_are_found_under_the_injected_sysfs_root()
    {
        using var reader = new SysfsSessionReader(_sysfs.Root, _dev);
        Assert.Equal([_sysfs.PathOf("class/iscsi_session/session7/device/target2:0:0/2:0:0:1/rescan")], reader.RescanFiles(7));
    }

    public void Dispose()
    {
        _sysfs.Dispose();
        Directory.Delete(_dev, recursive: true);
    }
}
