using System.Globalization;
using IscsiNative.Initiator;
using IscsiNative.Sysfs;
using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Login;

/// <summary>Shared helpers of the kernel-login VM tests (library login, no iscsid unless a test starts it).</summary>
internal static class LoginVm
{
    /// <summary>The initiator IQN the library logs in with (LIO ACLs are created for it).</summary>
    public const string InitiatorName = "iqn.2004-10.org.iscsinative:login-vmtest";

    /// <summary>The portal of every LIO target of these tests.</summary>
    public static readonly IscsiPortal Portal = new("127.0.0.1", 3260);

    /// <summary>Login options with the test initiator name and short timeouts.</summary>
    public static LoginOptions Options(IscsiNative.Protocol.ChapCredentials? chap = null) => new()
    {
        InitiatorName = InitiatorName,
        Credentials = chap,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        LoginTimeout = TimeSpan.FromSeconds(15),
        DeviceTimeout = TimeSpan.FromSeconds(60),
        LogoutTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>The iSCSI sessions, connections and SCSI hosts of iscsi_tcp now in sysfs.</summary>
    public static (string[] Sessions, string[] Connections, string[] Hosts) KernelObjects()
    {
        static string[] List(string dir) => Directory.Exists(dir) ? [.. Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal)!] : [];
        return (List("/sys/class/iscsi_session"), List("/sys/class/iscsi_connection"), List("/sys/class/iscsi_host"));
    }

    /// <summary>Asserts that session <paramref name="sid"/>, its connection and its SCSI host are gone.</summary>
    public static void AssertGone(int sid, int? hostNumber)
    {
        int host = Assert.NotNull(hostNumber);
        string s = sid.ToString(CultureInfo.InvariantCulture);
        Assert.False(Directory.Exists("/sys/class/iscsi_session/session" + s), $"session{s} left in sysfs");
        Assert.False(Directory.Exists($"/sys/class/iscsi_connection/connection{s}:0"), $"connection{s}:0 left in sysfs");
        Assert.False(Directory.Exists("/sys/class/scsi_host/host" + host.ToString(CultureInfo.InvariantCulture)), $"host{host} left in sysfs");
    }

    /// <summary>
    /// Open file descriptors of this process, without the assemblies the runtime maps lazily (e.g. xunit's assert
    /// library loading System.Collections.Immutable the first time a collection assert runs): those depend on test
    /// order, not on what the library leaks.
    /// </summary>
    public static int OpenFds() => Directory.GetFileSystemEntries("/proc/self/fd").Count(fd =>
    {
        try
        {
            return new FileInfo(fd).LinkTarget?.EndsWith(".dll", StringComparison.Ordinal) != true;
        }
        catch (IOException)
        {
            return true;
        }
    });

    /// <summary>The LUN's disk as the kernel reports it, after checking the library named the same device.</summary>
    public static string AssertDisk(IscsiSession session, int lun = 0)
    {
        IscsiDevice device = Assert.Single(session.Devices, d => d.Lun == lun);
        Assert.NotNull(device.BlockDevice);
        Assert.Contains(device.BlockDevice, SysfsProbe.BlockDevices(session.Sid));
        Assert.True(File.Exists(device.DevicePath), device.DevicePath + " exists");
        return device.DevicePath!;
    }

    /// <summary>Appends a line to the results file of the VM run (<c>$VM_OUT/login-timings.txt</c>) and the test output.</summary>
    public static void Report(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Console.WriteLine("login-vmtests: " + line);
        string? dir = Environment.GetEnvironmentVariable("VM_OUT");
        if (!string.IsNullOrEmpty(dir) && Directory.Exists(dir))
        {
            File.AppendAllText(Path.Combine(dir, "login-timings.txt"), line + "\n");
        }
    }

    /// <summary>A demo-mode (no ACL) or ACL target with small LUNs.</summary>
    public static LioTarget Target(string name, ChapCredentials? chap = null, int luns = 1, long lunBytes = 8L * 1024 * 1024) =>
        LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(name))
        {
            LunCount = luns,
            LunSizeBytes = lunBytes,
            InitiatorIqn = chap is null ? null : InitiatorName,
            Chap = chap,
        });
}
