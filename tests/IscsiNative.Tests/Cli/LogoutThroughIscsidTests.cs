using System.Buffers.Binary;
using System.Text;
using IscsiNative.Cli;
using IscsiNative.Nodes;
using IscsiNative.Tests.Iscsid;
using IscsiNative.Tests.Sysfs;

namespace IscsiNative.Tests.Cli;

/// <summary>
/// Logouts go to iscsid when it answers (as iscsiadm's do) and fall back to the library's own teardown when iscsid is
/// not running or does not know the session; a fake iscsid on a private socket stands in for the real one, a
/// generated sysfs tree for the kernel (it has no iscsi_tcp handle, so the library's own teardown fails at once).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LogoutThroughIscsidTests : IDisposable
{
    private const string Target = "iqn.2003-01.org.example:t1";
    private const string Describe = "[sid: 1, target: " + Target + ", portal: 127.0.0.1,3260]";
    private readonly string _dir = Directory.CreateTempSubdirectory("iscsinat-logout-").FullName;
    private readonly SysfsTreeBuilder _sysfs = new();

    public void Dispose()
    {
        _sysfs.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData("-m", "session", "-r", "1", "-u")]
    [InlineData("-m", "session", "-u")]
    [InlineData("-m", "node", "-T", Target, "-p", "127.0.0.1", "-u")]
    [InlineData("node", "-T", Target, "-p", "127.0.0.1:3260", "--logout")]
    public void A_session_iscsid_owns_is_logged_out_by_iscsid_with_iscsiadms_lines(params string[] args)
    {
        _sysfs.AddSession(new SessionSpec { Sid = 1, Host = 3, TargetName = Target });
        using var fake = FakeIscsid.ReplyingToLogout(err: 0);

        (int rc, string stdout, string stderr) = Run(fake.AbstractName, args);
        fake.WaitServed();

        Assert.Equal((0, $"Logging out of session {Describe}\nLogout of {Describe} successful.\n", ""), (rc, stdout, stderr));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(fake.Request.AsSpan(0)));
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(fake.Request.AsSpan(8)));
    }

    [Theory]
    [InlineData(9, "internal error")]
    [InlineData(13, "daemon access denied")]
    [InlineData(28, "device or resource in use")]
    [InlineData(32, "target likely not connected")]
    public void An_iscsid_refusal_is_reported_with_its_code_as_iscsiadm_does(int err, string text)
    {
        _sysfs.AddSession(new SessionSpec { Sid = 1, Host = 3, TargetName = Target });
        using var fake = FakeIscsid.ReplyingToLogout(err);

        (int rc, string stdout, string stderr) = Run(fake.AbstractName, "-m", "session", "-r", "1", "-u");

        Assert.Equal(err, rc);
        Assert.Equal($"Logging out of session {Describe}\n", stdout);
        Assert.Equal(
            $"iscsiadm: Could not logout of {Describe}.\niscsiadm: initiator reported error ({err} - {text})\niscsiadm: Could not logout of all requested sessions\n",
            stderr);
    }

    [Fact]
    public void An_iscsid_that_hangs_up_is_reported_as_iscsiadm_reports_it()
    {
        _sysfs.AddSession(new SessionSpec { Sid = 1, Host = 3, TargetName = Target });
        using var fake = FakeIscsid.ClosingEarly();

        (int rc, _, string stderr) = Run(fake.AbstractName, "-m", "session", "-r", "1", "-u");

        Assert.Equal(18, rc);
        Assert.Equal(
            $"iscsiadm: read error (0/0), daemon died?\niscsiadm: Could not logout of {Describe}.\niscsiadm: initiator reported error (18 - could not communicate to iscsid)\niscsiadm: Could not logout of all requested sessions\n",
            stderr);
    }

    [Fact]
    public void Under_debug_an_iscsid_refusal_also_prints_iscsids_answer()
    {
        _sysfs.AddSession(new SessionSpec { Sid = 1, Host = 3, TargetName = Target });
        using var fake = FakeIscsid.ReplyingToLogout(err: 9);

        (int rc, _, string stderr) = Run(fake.AbstractName, "-d", "1", "-m", "session", "-r", "1", "-u");

        Assert.Equal(9, rc);
        Assert.StartsWith("iscsiadm: iscsid could not log out session 1: ISCSI_ERR 9, errno 0\niscsiadm: Could not logout of ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_session_iscsid_does_not_know_is_torn_down_by_the_library_and_under_debug_its_failure_is_printed()
    {
        _sysfs.AddSession(new SessionSpec { Sid = 1, Host = 3, TargetName = Target });
        using var fake = FakeIscsid.ReplyingToLogout(err: 2);

        (int rc, string stdout, string stderr) = Run(fake.AbstractName, "-m", "session", "-r", "1", "-u", "-d", "4");
        fake.WaitServed();

        // The generated tree has no iscsi_tcp transport handle: the library's teardown fails before any netlink request.
        Assert.Equal(10, rc);
        Assert.Equal($"Logging out of session {Describe}\n", stdout);
        string[] lines = stderr.Split('\n');
        Assert.Equal("iscsiadm: iscsid does not manage session 1; logging it out in-process", lines[0]);
        Assert.StartsWith("iscsiadm: logout of session 1 failed: IscsiNative.IscsiKernelException: ", lines[1], StringComparison.Ordinal);
        Assert.Contains("the iscsi_tcp transport is not loaded", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(
            $"iscsiadm: Could not logout of {Describe}.\niscsiadm: initiator reported error (10 - encountered iSCSI logout failure)\niscsiadm: Could not logout of all requested sessions\n",
            stderr,
            StringComparison.Ordinal);
        Assert.Equal(16104, fake.TotalBytesReceived);
    }

    [Fact]
    public void Without_debug_a_library_teardown_failure_prints_only_iscsiadms_lines()
    {
        _sysfs.AddSession(new SessionSpec { Sid = 1, Host = 3, TargetName = Target });

        (int rc, _, string stderr) = Run(NobodyListens(), "-m", "session", "-r", "1", "-u");

        Assert.Equal(10, rc);
        Assert.Equal(
            $"iscsiadm: Could not logout of {Describe}.\niscsiadm: initiator reported error (10 - encountered iSCSI logout failure)\niscsiadm: Could not logout of all requested sessions\n",
            stderr);
    }

    [Fact]
    public void With_iscsid_not_running_the_library_tears_down_and_debug_says_why()
    {
        _sysfs.AddSession(new SessionSpec { Sid = 1, Host = 3, TargetName = Target });

        (_, _, string stderr) = Run(NobodyListens(), "-d", "1", "-m", "session", "-r", "1", "-u");

        Assert.StartsWith(
            "iscsiadm: iscsid is not running (ISCSI_ERR 20, errno 111: can not connect to iSCSI daemon (111)!); logging out session 1 in-process\n",
            stderr,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-m", "session")]
    [InlineData("-m", "session", "-u")]
    [InlineData("-m", "session", "-r", "1", "-u")]
    [InlineData("-m", "node", "-U", "all")]
    [InlineData("node", "-T", Target, "-p", "127.0.0.1", "--logout")]
    public void Commands_with_no_session_to_log_out_do_not_ask_iscsid(params string[] args)
    {
        using var fake = FakeIscsid.ReplyingToLogout(err: 0);

        (int rc, _, _) = Run(fake.AbstractName, args);

        Assert.NotEqual(0, rc);
        Assert.False(fake.Accepted);
    }

    private static string NobodyListens() => "IscsiNative.Tests.nobody-listens-" + Guid.NewGuid().ToString("N");

    private (int ExitCode, string Stdout, string Stderr) Run(string iscsidSocket, params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var db = new IscsiNodeDatabaseOptions
        {
            Root = Path.Combine(_dir, "db"),
            ConfigDirectory = Path.Combine(_dir, "etc"),
            LockDirectory = Path.Combine(_dir, "lock"),
            SysfsRoot = _sysfs.Root,
        };
        int rc = CliApp.Run(args, new CliEnvironment(stdout, stderr) { DefaultSysfsRoot = _sysfs.Root, NodeDatabase = db, IscsidSocketName = iscsidSocket });
        return (rc, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }
}
