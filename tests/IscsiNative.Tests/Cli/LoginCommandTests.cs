using System.Net.Sockets;
using IscsiNative.Cli;
using IscsiNative.Cli.Commands;
using IscsiNative.Formatting;

namespace IscsiNative.Tests.Cli;

/// <summary>The CLI's discovery/node/session-stats commands: argument errors and iscsiadm's exit codes (no kernel needed).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LoginCommandTests
{
    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        int rc = CliApp.Run(args, new CliEnvironment(stdout, stderr));
        return (rc, System.Text.Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    [Fact]
    public void Node_needs_exactly_one_of_login_and_logout()
    {
        (int rc, string stdout, string stderr) = Run("node", "-T", "iqn.t:1", "-p", "127.0.0.1");
        Assert.Equal((int)IscsiadmExitCode.InvalidParameter, rc);
        Assert.Empty(stdout);
        Assert.StartsWith("iscsiadm: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Chap_user_without_a_secret_is_an_invalid_parameter_and_prints_no_secret()
    {
        // The CLI falls back to the environment for the secret: make sure it holds none for this run.
        string? saved = Environment.GetEnvironmentVariable(CliChap.PasswordVariable);
        Environment.SetEnvironmentVariable(CliChap.PasswordVariable, null);
        int rc;
        string stderr;
        try
        {
            (rc, _, stderr) = Run("node", "-T", "iqn.t:1", "-p", "127.0.0.1", "--login", "--chap-user", "bob");
        }
        finally
        {
            Environment.SetEnvironmentVariable(CliChap.PasswordVariable, saved);
        }

        Assert.Equal((int)IscsiadmExitCode.InvalidParameter, rc);
        Assert.Contains(CliChap.PasswordVariable, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Discovery_against_a_closed_loopback_port_fails_with_iscsiadms_connection_failure()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        (int rc, string stdout, string stderr) = Run("discovery", "-t", "st", "-p", $"127.0.0.1:{port}");

        Assert.Equal((int)IscsiadmExitCode.Transport, rc);
        Assert.Empty(stdout);
        Assert.Equal("iscsiadm: Could not perform SendTargets discovery: encountered connection failure\n", stderr);
    }

    [Fact]
    public void Stats_of_a_missing_session_fail_like_iscsiadm()
    {
        using var tree = new IscsiNative.Tests.Sysfs.SysfsTreeBuilder();
        (int rc, _, string stderr) = Run("session", "-r", "9", "-s", "--sysfs-root", tree.Root);
        Assert.Equal((int)IscsiadmExitCode.SysfsLookup, rc);
        Assert.Equal("iscsiadm: could not read session targetname: 5\niscsiadm: Could not get session info for sid 9\n", stderr);
    }

    [Theory]
    [InlineData(2, 1, (int)IscsiadmExitCode.LoginAuthenticationFailed)]
    [InlineData(2, 3, (int)IscsiadmExitCode.FatalLogin)]
    [InlineData(3, 1, (int)IscsiadmExitCode.Login)]
    public void Target_login_status_maps_to_iscsids_exit_code(byte statusClass, byte detail, int expected)
    {
        IscsiLoginException e = statusClass == 2 && detail == 1 ? new IscsiAuthenticationException(statusClass, detail) : new IscsiLoginException(statusClass, detail, null);
        Assert.Equal((IscsiadmExitCode)expected, IscsiadmErrors.ForLogin(e));
    }

    [Fact]
    public void Timeouts_map_to_connection_timed_out_and_pdu_timeout()
    {
        Assert.Equal(IscsiadmExitCode.TransportTimeout, IscsiadmErrors.ForLogin(new IscsiTimeoutException("connect", TimeSpan.FromSeconds(1))));
        Assert.Equal(IscsiadmExitCode.PduTimeout, IscsiadmErrors.ForLogin(new IscsiTimeoutException("login", TimeSpan.FromSeconds(1))));
        Assert.Equal("iSCSI login failed due to authorization failure", IscsiadmErrors.Message(IscsiadmExitCode.LoginAuthenticationFailed));
    }
}
