using System.Buffers;
using System.Text;
using IscsiNative.Formatting;
using IscsiNative.Sysfs;
using IscsiNative.Tests.Sysfs;

namespace IscsiNative.Tests.Formatting;

/// <summary>iscsiadm's formatting rules on generated trees (OPEN-ISCSI.md §1).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SessionFormattingRulesTests
{
    private static string Format(SysfsTreeBuilder tree, int level)
    {
        using var reader = new SysfsSessionReader(tree.Root);
        var output = new ArrayBufferWriter<byte>();
        IscsiadmSessionWriter.WriteSessions(reader, output, level);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Twelve_sessions_list_in_alphasort_order()
    {
        using SysfsTreeBuilder tree = SysfsTreeBuilder.Generate(12, luns: 1);
        string[] lines = Format(tree, 0).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int[] sids = lines.Select(l => int.Parse(l[(l.IndexOf('[') + 1)..l.IndexOf(']')], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal([1, 10, 11, 12, 2, 3, 4, 5, 6, 7, 8, 9], sids);
        Assert.Equal("tcp: [1] 10.0.0.1:3260,1 iqn.2003-01.org.example:t1 (non-flash)", lines[0]);
    }

    [Fact]
    public void Ipv6_portals_are_bracketed()
    {
        using var tree = new SysfsTreeBuilder();
        tree.AddSession(new SessionSpec { Sid = 1, Host = 0, TargetName = "iqn.x:t", Address = "fd00:0000:0000:0000:0000:0000:0000:0001" });
        Assert.Equal("tcp: [1] [fd00:0000:0000:0000:0000:0000:0000:0001]:3260,1 iqn.x:t (non-flash)\n", Format(tree, 0));
        string tree1 = Format(tree, 1);
        Assert.Contains("\tCurrent Portal: [fd00:0000:0000:0000:0000:0000:0000:0001]:3260,1\n", tree1, StringComparison.Ordinal);
        Assert.Contains("\t\tIface IPaddress: [fd00:0000:0000:0000:0000:0000:0000:00fe]\n", tree1, StringComparison.Ordinal);
    }

    [Fact]
    public void Flash_sessions_are_labelled_flash()
    {
        using var tree = new SysfsTreeBuilder();
        tree.AddSession(new SessionSpec { Sid = 1, Host = 0, TargetName = "iqn.x:t", Flash = true });
        Assert.EndsWith(" (flash)\n", Format(tree, 0), StringComparison.Ordinal);
    }

    [Fact]
    public void Consecutive_sessions_to_the_same_portal_share_the_target_and_portal_lines()
    {
        using var tree = new SysfsTreeBuilder();
        tree.AddSession(new SessionSpec { Sid = 1, Host = 0, TargetName = "iqn.x:same" });
        tree.AddSession(new SessionSpec { Sid = 2, Host = 1, TargetName = "iqn.x:same" });
        string text = Format(tree, 1);
        Assert.Equal(1, text.Split("Target: ").Length - 1);
        Assert.Equal(1, text.Split("\tCurrent Portal: 127.0.0.1:3260,1\n").Length - 1);
        Assert.Contains("Internal iscsid Session State: Unknown\n\n\t\t**********\n\t\tInterface:\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Recovery_timeout_off_prints_0_as_iscsiadm_2_1_8_does()
    {
        using var tree = new SysfsTreeBuilder();
        tree.AddSession(new SessionSpec { Sid = 1, Host = 0, RecoveryTimeout = "off" });
        Assert.Contains("\t\tRecovery Timeout: 0\n", Format(tree, 2), StringComparison.Ordinal);
    }

    [Fact]
    public void Junk_numbers_print_like_C_atoi_instead_of_throwing()
    {
        using var tree = new SysfsTreeBuilder();
        tree.AddSession(new SessionSpec { Sid = 1, Host = 0, TargetName = "iqn.x:t" });
        tree.Write("devices/platform/host0/session1/iscsi_session/session1/tpgt", "7junk\n");
        tree.Write("devices/platform/host0/session1/iscsi_session/session1/max_burst_len", "(null)\n");
        Assert.Equal("tcp: [1] 127.0.0.1:3260,7 iqn.x:t (non-flash)\n", Format(tree, 0));
        Assert.DoesNotContain("MaxBurstLength", Format(tree, 2), StringComparison.Ordinal);
    }

    [Fact]
    public void Chap_usernames_print_and_passwords_never_do()
    {
        using var tree = new SysfsTreeBuilder();
        tree.AddSession(new SessionSpec { Sid = 1, Host = 0, Username = "alice", Password = "s3cret-value" });
        string text = Format(tree, 2);
        Assert.Contains("\t\tusername: alice\n\t\tpassword: ********\n\t\tusername_in: <empty>\n\t\tpassword_in: ********\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_host_link_prints_Unavailable_devices()
    {
        using var tree = new SysfsTreeBuilder();
        tree.AddSession(new SessionSpec { Sid = 1, Host = 0 });
        // A device path without a hostH component: the host number cannot be found.
        Directory.CreateDirectory(tree.PathOf("devices/platform/weird/session1/iscsi_session"));
        Directory.Move(tree.PathOf("devices/platform/host0/session1/iscsi_session/session1"), tree.PathOf("devices/platform/weird/session1/iscsi_session/session1"));
        tree.Link("class/iscsi_session/session1", "../../devices/platform/weird/session1/iscsi_session/session1");
        string text = Format(tree, 3);
        Assert.Contains("\t\tAttached SCSI devices:\n\t\t************************\n\t\tUnavailable\n", text, StringComparison.Ordinal);
        Assert.StartsWith("iSCSI Transport Class version 2.0-870\nversion 2.1.8\n", text, StringComparison.Ordinal);
    }
}
