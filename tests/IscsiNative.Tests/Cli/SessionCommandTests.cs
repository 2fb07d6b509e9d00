using System.Text;
using System.Text.Json;
using IscsiNative.Cli;
using IscsiNative.Tests.Formatting;
using IscsiNative.Tests.Sysfs;

namespace IscsiNative.Tests.Cli;

/// <summary>The <c>iscsinat session</c> command run in-process: stdout bytes, stderr text, exit code.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SessionCommandTests
{
    private static (int ExitCode, byte[] Stdout, string Stderr) Run(FakeIscsidStateSource? states, params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        int rc = CliApp.Run(args, new CliEnvironment(stdout, stderr) { IscsidStates = states });
        return (rc, stdout.ToArray(), stderr.ToString());
    }

    [Theory]
    [InlineData("session.txt")]
    [InlineData("session-P0.txt", "-P", "0")]
    [InlineData("session-P1.txt", "-P", "1")]
    [InlineData("session-P2.txt", "-P", "2")]
    [InlineData("session-P3.txt", "-P", "3")]
    public void Session_prints_the_captured_iscsiadm_bytes(string capture, params string[] level)
    {
        string[] args = ["session", "--sysfs-root", Fixtures.CapturedRoot, .. level];
        (int rc, byte[] stdout, string stderr) = Run(FakeIscsidStateSource.AllLoggedIn(1, 2, 3, 4), args);
        Assert.Equal(0, rc);
        Assert.Equal("", stderr);
        Assert.Equal(Encoding.UTF8.GetString(Fixtures.Capture(capture)), Encoding.UTF8.GetString(stdout));
    }

    [Fact]
    public void Failed_session_prints_the_captured_iscsiadm_bytes()
    {
        FakeIscsidStateSource states = FakeIscsidStateSource.AllLoggedIn(1, 2, 4).Set(3, 1, 2);
        (int rc, byte[] stdout, _) = Run(states, "session", "-P", "3", "--sysfs-root", Fixtures.CapturedFailedRoot);
        Assert.Equal(0, rc);
        Assert.Equal(Fixtures.Capture("session-P3-failed.txt"), stdout);
    }

    [Fact]
    public void No_sessions_says_so_on_stderr_and_exits_21()
    {
        using var tree = new SysfsTreeBuilder();
        (int rc, byte[] stdout, string stderr) = Run(null, "session", "--sysfs-root", tree.Root);
        Assert.Equal(21, rc);
        Assert.Empty(stdout);
        Assert.Equal("iscsiadm: No active sessions.\n", stderr);
    }

    [Fact]
    public void On_this_host_without_iscsi_sessions_it_matches_iscsiadm()
    {
        IscsiNative.TestShared.Prerequisites.Require(
            !(Directory.Exists("/sys/class/iscsi_session") && Directory.EnumerateFileSystemEntries("/sys/class/iscsi_session").Any()),
            "a host with no live iSCSI sessions (this test reads the real /sys)");
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        int rc = CliApp.Run(["session"], new CliEnvironment(stdout, stderr));
        string expected = Encoding.UTF8.GetString(Fixtures.Capture("session-after.txt")).Split('\n')[0] + "\n";
        Assert.Equal(21, rc);
        Assert.Equal(expected, stderr.ToString());
        Assert.Equal(0, stdout.Length);
    }

    [Fact]
    public void Invalid_info_level_exits_7_with_iscsiadm_message()
    {
        (int rc, byte[] stdout, string stderr) = Run(null, "session", "-P", "4", "--sysfs-root", Fixtures.CapturedRoot);
        Assert.Equal(7, rc);
        Assert.Empty(stdout);
        Assert.Equal("iscsiadm: Invalid info level 4. Try 0 - 3.\n", stderr);
    }

    [Fact]
    public void Invalid_info_level_without_sessions_reports_no_sessions_first()
    {
        using var tree = new SysfsTreeBuilder();
        (int rc, _, string stderr) = Run(null, "session", "-P", "9", "--sysfs-root", tree.Root);
        Assert.Equal(21, rc);
        Assert.Equal("iscsiadm: No active sessions.\n", stderr);
    }

    [Fact]
    public void Single_session_prints_only_that_session()
    {
        (int rc, byte[] stdout, _) = Run(FakeIscsidStateSource.AllLoggedIn(3), "session", "-r", "3", "-P", "1", "--sysfs-root", Fixtures.CapturedRoot);
        Assert.Equal(0, rc);
        string text = Encoding.UTF8.GetString(stdout);
        Assert.StartsWith("Target: iqn.2003-01.org.linux-iscsi.stage:t2 (non-flash)\n", text, StringComparison.Ordinal);
        Assert.Contains("\t\tSID: 3\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SID: 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_session_id_fails_like_iscsiadm_with_sysfs_lookup()
    {
        (int rc, _, string stderr) = Run(null, "session", "-r", "9", "-P", "1", "--sysfs-root", Fixtures.CapturedRoot);
        Assert.Equal(22, rc);
        Assert.Equal("iscsiadm: could not read session targetname: 5\niscsiadm: Could not get session info for sid 9\n", stderr);
    }

    [Fact]
    public void Json_lists_sessions_with_devices()
    {
        (int rc, byte[] stdout, _) = Run(null, "session", "--json", "--sysfs-root", Fixtures.CapturedRoot);
        Assert.Equal(0, rc);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        Assert.Equal(4, doc.RootElement.GetArrayLength());
        JsonElement first = doc.RootElement[0];
        Assert.Equal("iqn.2003-01.org.linux-iscsi.stage:t4", first.GetProperty("targetName").GetString());
        Assert.Equal("LoggedIn", first.GetProperty("state").GetString());
        Assert.Equal("/dev/sda", first.GetProperty("devices")[0].GetProperty("devicePath").GetString());
    }
}
