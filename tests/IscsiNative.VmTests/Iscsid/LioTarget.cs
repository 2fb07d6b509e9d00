namespace IscsiNative.VmTests.Iscsid;

/// <summary>A one-LUN LIO iSCSI target on 127.0.0.1:3260 made through configfs (as vm-reference/lio-target.sh).</summary>
internal sealed class LioTarget : IDisposable
{
    private const string Config = "/sys/kernel/config/target";
    private readonly string _device;
    private readonly string _suffix;

    /// <param name="suffix">Target name suffix and backing file name.</param>
    /// <param name="hbaIndex">The fileio HBA number (configfs wants <c>fileio_N</c>); unique per test.</param>
    internal LioTarget(string suffix, int hbaIndex)
    {
        _suffix = suffix;
        Iqn = "iqn.2003-01.org.linux-iscsi.stage:" + suffix;
        _device = $"{Config}/core/fileio_{hbaIndex}/d0";
        Tpg = $"{Config}/iscsi/{Iqn}/tpgt_1";
        try
        {
            Create(suffix);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    internal string Iqn { get; }

    internal string Tpg { get; }

    internal void SetEnabled(bool enabled) => StageShell.Check($"echo {(enabled ? 1 : 0)} > {Tpg}/enable");

    public void Dispose()
    {
        string target = Path.GetDirectoryName(Tpg)!;
        StageShell.Run($"""
            echo 0 > {Tpg}/enable
            rm -f {Tpg}/lun/lun_0/lun
            rmdir {Tpg}/lun/lun_0 {Tpg}/np/127.0.0.1:3260 {Tpg} {target}
            rmdir {_device} {Path.GetDirectoryName(_device)}
            rm -f /var/tmp/lio/{_suffix}.img
            """);
    }

    private void Create(string suffix)
    {
        StageShell.Check($"""
            set -e
            mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
            mkdir -p /var/tmp/lio {Tpg} {_device} {Tpg}/lun/lun_0 {Tpg}/np/127.0.0.1:3260
            echo "fd_dev_name=/var/tmp/lio/{suffix}.img,fd_dev_size=16777216" > {_device}/control
            echo 1 > {_device}/enable
            ln -s {_device} {Tpg}/lun/lun_0/lun
            echo 1 > {Tpg}/attrib/generate_node_acls
            echo 0 > {Tpg}/attrib/authentication
            echo 0 > {Tpg}/attrib/demo_mode_write_protect
            echo 1 > {Tpg}/attrib/cache_dynamic_acls
            echo 1 > {Tpg}/enable
            """);
    }
}
