using System.Text;
using IscsiNative.Initiator;
using IscsiNative.Sysfs;

namespace IscsiNative.Tests.Sysfs;

/// <summary>The sysfs reader over the captured tree and generated edge cases.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SysfsSessionReaderTests
{
    private static string S(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);

    [Fact]
    public void Captured_tree_reads_every_field_iscsiadm_shows()
    {
        using var reader = new SysfsSessionReader(Fixtures.CapturedRoot);
        var seen = new List<int>();
        foreach (ref readonly IscsiSessionEntry s in reader.EnumerateSessions())
        {
            seen.Add(s.Sid);
            if (s.Sid != 2)
            {
                continue;
            }

            Assert.Equal("iqn.2003-01.org.linux-iscsi.stage:t3", S(s.TargetName));
            Assert.Equal(1, s.HostNumber);
            Assert.Equal(1, s.Tpgt);
            Assert.Equal(IscsiSessionState.LoggedIn, s.State);
            Assert.False(s.IsFlash);
            Assert.Equal("127.0.0.1", S(s.Address));
            Assert.Equal(3260, s.Port);
            Assert.Equal("127.0.0.1", S(s.PersistentAddress));
            Assert.Equal(3260, s.PersistentPort);
            Assert.Equal("up", S(s.ConnectionStateText));
            Assert.Equal("default", S(s.IfaceName));
            Assert.Equal("tcp", S(s.TransportName));
            Assert.True(s.IsTransportLoaded);
            Assert.Equal("iqn.1993-08.org.debian:01:stagevm", S(s.InitiatorName));
            Assert.Equal("127.0.0.1", S(s.IfaceIPAddress));
            Assert.Equal(string.Empty, S(s.IfaceHWAddress));
            Assert.Equal(string.Empty, S(s.IfaceNetdev));
            Assert.Equal(120, s.RecoveryTimeout);
            Assert.Equal(30, s.TargetResetTimeout);
            Assert.Equal(30, s.LunResetTimeout);
            Assert.Equal(15, s.AbortTimeout);
            Assert.False(s.HeaderDigest);
            Assert.False(s.DataDigest);
            Assert.Equal(262144, s.MaxRecvDataSegmentLength);
            Assert.Equal(262144, s.MaxXmitDataSegmentLength);
            Assert.Equal(65536, s.FirstBurstLength);
            Assert.Equal(262144, s.MaxBurstLength);
            Assert.True(s.ImmediateData);
            Assert.True(s.InitialR2T);
            Assert.Equal(1, s.MaxOutstandingR2T);
            Assert.Equal(SysfsValueStatus.Empty, s.GetStatus(IscsiSessionAttribute.Username));
            Assert.True(s.Username.IsEmpty);
            Assert.Equal("running", S(s.HostState));
            Assert.Equal(2, s.Devices.Length);
            Assert.Equal((1, 0, 0, 0, "sdc", "running"), Describe(s.Devices[0]));
            Assert.Equal((1, 0, 0, 1, "sdd", "running"), Describe(s.Devices[1]));
        }

        Assert.Equal([1, 2, 3, 4], seen);
    }

    [Fact]
    public void ToSession_copies_strings_and_device_paths()
    {
        using var initiator = new IscsiInitiator(new IscsiInitiatorOptions { SysfsRoot = Fixtures.CapturedRoot });
        IReadOnlyList<IscsiSession> sessions = initiator.GetSessions();
        Assert.Equal(4, sessions.Count);
        IscsiSession s4 = sessions[3];
        Assert.Equal(4, s4.Sid);
        Assert.Equal(3, s4.HostNumber);
        Assert.Equal("iqn.2003-01.org.linux-iscsi.stage:t1", s4.TargetName);
        Assert.Equal(["/dev/sdf", "/dev/sdh"], s4.Devices.Select(d => d.DevicePath));
        Assert.Equal("", s4.Username);
        Assert.Equal(new IscsiPortal("127.0.0.1", 3260), s4.Portal);
        Assert.Null(s4.Parameters);

        Assert.True(initiator.TryGetSession(3, out IscsiSession? s3));
        Assert.Equal("iqn.2003-01.org.linux-iscsi.stage:t2", s3!.TargetName);
        Assert.False(initiator.TryGetSession(99, out IscsiSession? none));
        Assert.Null(none);
    }

    [Fact]
    public void Sessions_come_in_alphasort_order_of_their_names()
    {
        using SysfsTreeBuilder tree = SysfsTreeBuilder.Generate(12, luns: 1);
        using var reader = new SysfsSessionReader(tree.Root);
        Assert.Equal([1, 10, 11, 12, 2, 3, 4, 5, 6, 7, 8, 9], reader.GetSessions().Select(s => s.Sid));
    }

    [Fact]
    public void Luns_come_in_alphasort_order_of_their_names()
    {
        using var tree = new SysfsTreeBuilder();
        tree.AddSession(new SessionSpec { Sid = 1, Host = 0, Luns = 11 });
        using var reader = new SysfsSessionReader(tree.Root);
        Assert.Equal([0, 1, 10, 2, 3, 4, 5, 6, 7, 8, 9], reader.GetSessions()[0].Devices.Select(d => d.Lun));
    }

    [Fact]
    public void Missing_class_directory_means_no_sessions()
    {
        using var tree = new SysfsTreeBuilder();
        using var reader = new SysfsSessionReader(tree.Root);
        Assert.Empty(reader.GetSessions());
        using var nowhere = new SysfsSessionReader("/nonexistent-sysfs-root");
        Assert.Empty(nowhere.GetSessions());
    }

    [Fact]
    public void Session_whose_directory_vanished_is_skipped()
    {
        using SysfsTreeBuilder tree = SysfsTreeBuilder.Generate(3);
        Directory.Delete(tree.PathOf("devices/platform/host1/session2"), true); // listed by its class link, gone
        using var reader = new SysfsSessionReader(tree.Root);
        Assert.Equal([1, 3], reader.GetSessions().Select(s => s.Sid));
    }

    [Fact]
    public void Session_removed_during_enumeration_is_skipped_without_exception()
    {
        using SysfsTreeBuilder tree = SysfsTreeBuilder.Generate(3);
        using var reader = new SysfsSessionReader(tree.Root);
        var seen = new List<int>();
        foreach (ref readonly IscsiSessionEntry s in reader.EnumerateSessions())
        {
            seen.Add(s.Sid);
            if (s.Sid == 1)
            {
                Directory.Delete(tree.PathOf("devices/platform/host1/session2"), true);
                File.Delete(tree.PathOf("class/iscsi_session/session2"));
            }
        }

        Assert.Equal([1, 3], seen);
    }

    [Fact]
    public void Failed_session_without_connection_address_uses_the_persistent_portal()
    {
        using var tree = new SysfsTreeBuilder();
        tree.AddSession(new SessionSpec { Sid = 7, Host = 4, Address = "192.168.1.9", Port = 3261, Failed = true });
        using var reader = new SysfsSessionReader(tree.Root);
        IscsiSession s = Assert.Single(reader.GetSessions());
        Assert.Equal(IscsiSessionState.Failed, s.State);
        Assert.Equal("192.168.1.9", s.Address);
        Assert.Equal(3261, s.Port);
        Assert.Equal(string.Empty, s.IfaceIPAddress);
        Assert.Equal("blocked", s.Devices[0].State);

        foreach (ref readonly IscsiSessionEntry e in reader.EnumerateSessions())
        {
            Assert.Equal(SysfsValueStatus.Missing, e.GetStatus(IscsiSessionAttribute.Address));
            Assert.Equal(SysfsValueStatus.Missing, e.GetStatus(IscsiSessionAttribute.HostIPAddress));
        }
    }

    [Fact]
    public void Unreadable_host_address_reads_as_default()
    {
        using var tree = new SysfsTreeBuilder();
        tree.AddSession(new SessionSpec { Sid = 1, Host = 0 });
        string ip = tree.PathOf("devices/platform/host0/iscsi_host/host0/ipaddress");
        File.Delete(ip);
        Directory.CreateDirectory(ip); // read(2) fails with EISDIR
        using var reader = new SysfsSessionReader(tree.Root);
        foreach (ref readonly IscsiSessionEntry e in reader.EnumerateSessions())
        {
            Assert.Equal(SysfsValueStatus.Unavailable, e.GetStatus(IscsiSessionAttribute.HostIPAddress));
            Assert.Equal(21, e.GetErrno(IscsiSessionAttribute.HostIPAddress));
            Assert.Equal(string.Empty, S(e.IfaceIPAddress));
        }
    }

    [Fact]
    public void Access_denied_chap_username_reads_as_unknown_not_a_crash()
    {
        using var tree = new SysfsTreeBuilder();
        tree.AddSession(new SessionSpec { Sid = 1, Host = 0, Username = "alice", Password = "secret-never-read" });
        File.SetUnixFileMode(tree.SessionFile(1, "username"), UnixFileMode.None);
        File.SetUnixFileMode(tree.SessionFile(1, "password"), UnixFileMode.None);
        SysfsValueStatus status = SysfsValueStatus.Present;
        IscsiSession? info = null;
        TestLibC.RunWithoutDacOverride(() =>
        {
            using var reader = new SysfsSessionReader(tree.Root);
            foreach (ref readonly IscsiSessionEntry e in reader.EnumerateSessions())
            {
                status = e.GetStatus(IscsiSessionAttribute.Username);
                info = e.ToSession();
            }
        });

        Assert.Equal(SysfsValueStatus.AccessDenied, status);
        Assert.NotNull(info);
        Assert.Null(info.Username);
        Assert.Equal("iqn.2003-01.org.example:t", info.TargetName);
    }

    [Fact]
    public void Junk_in_a_number_names_the_file_and_value()
    {
        using var tree = new SysfsTreeBuilder();
        tree.AddSession(new SessionSpec { Sid = 5, Host = 0 });
        tree.Write("devices/platform/host0/session5/iscsi_session/session5/tpgt", "one\n");
        using var reader = new SysfsSessionReader(tree.Root);
        foreach (ref readonly IscsiSessionEntry e in reader.EnumerateSessions())
        {
            Assert.False(e.TryGetInt32(IscsiSessionAttribute.Tpgt, out _));
            Assert.Equal("one", S(e.GetRaw(IscsiSessionAttribute.Tpgt)));
        }

        IscsiSysfsException ex = Assert.Throws<IscsiSysfsException>(() => reader.GetSessions());
        Assert.Equal(tree.Root + "/class/iscsi_session/session5/tpgt", ex.AttributePath);
        Assert.Equal("one", ex.RawValue);
        Assert.Contains("'one'", ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IscsiException>(ex);
    }

    [Fact]
    public void Recovery_timeout_off_reads_as_minus_one()
    {
        using var tree = new SysfsTreeBuilder();
        tree.AddSession(new SessionSpec { Sid = 1, Host = 0, RecoveryTimeout = "off" });
        using var reader = new SysfsSessionReader(tree.Root);
        Assert.Equal(-1, reader.GetSessions()[0].RecoveryTimeout);
    }

    [Fact]
    public void Host_bound_by_hardware_address_gets_iscsiadm_iface_name()
    {
        using var tree = new SysfsTreeBuilder();
        tree.AddSession(new SessionSpec { Sid = 1, Host = 0 });
        tree.Write("devices/platform/host0/iscsi_host/host0/hwaddress", "00:11:22:33:44:55\n");
        using var reader = new SysfsSessionReader(tree.Root);
        IscsiSession s = reader.GetSessions()[0];
        Assert.Equal("tcp.00:11:22:33:44:55.ipv4.0", s.IfaceName);
        Assert.Equal("00:11:22:33:44:55", s.IfaceHWAddress);
    }

    [Fact]
    public void Flash_session_is_recognised_by_creator_minus_one()
    {
        using var tree = new SysfsTreeBuilder();
        tree.AddSession(new SessionSpec { Sid = 1, Host = 0, Flash = true });
        using var reader = new SysfsSessionReader(tree.Root);
        IscsiSession s = reader.GetSessions()[0];
        Assert.True(s.IsFlash);
        Assert.Equal(-1, s.Creator);
    }

    [Fact]
    public void Transport_class_version_is_read_from_the_module()
    {
        using var reader = new SysfsSessionReader(Fixtures.CapturedRoot);
        Span<byte> buffer = stackalloc byte[32];
        Assert.True(reader.TryReadTransportClassVersion(buffer, out int n));
        Assert.Equal("2.0-870", S(buffer[..n]));
    }

    private static (int, int, int, int, string, string) Describe(in IscsiDeviceEntry d) =>
        (d.HostNumber, d.Channel, d.Target, d.Lun, S(d.BlockDeviceName), S(d.State));
}
