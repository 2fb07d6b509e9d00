using System.Globalization;
using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Oracle;

/// <summary>
/// iscsinat's logout with iscsid running (issue 18): a session iscsid owns is handed to iscsid, as iscsiadm does, so
/// iscsid's own recovery of a connection dropped under it cannot race the teardown; a session iscsid does not know
/// (the library logged it in) is torn down by the library.
/// </summary>
[Collection(VmCollection.Name)]
public sealed class CliLogoutOracleTests(VmFixture vm)
{
    private const int Rounds = 5;

    private Iscsiadm Iscsiadm => vm.Iscsiadm;

    [VmFact]
    public void Session_iscsid_just_logged_in_is_logged_out_by_iscsinat_at_once_like_iscsiadm_every_time()
    {
        using var target = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn("logout-race")) { LunCount = 1, InitiatorIqn = vm.InitiatorIqn });
        Iscsiadm.Discover(target.Portal);
        using IscsiadmNode node = Iscsiadm.Node(target.Iqn, target.Portal);

        // The oracle: iscsiadm's own logout of a session iscsid has just logged in.
        node.Login().EnsureSuccess();
        ProcessResult expected = Iscsiadm.Run("-m", "session", "-r", Sid(target.Iqn), "-u");
        Assert.True(expected.ExitCode == 0, $"iscsiadm's logout failed: {expected.StdErr}");
        Assert.Empty(SysfsProbe.SessionsTo(target.Iqn));

        for (int round = 1; round <= Rounds; round++)
        {
            // Each login succeeding also shows iscsid let go of the previous session (else: "session exists", 15).
            ProcessResult login = node.Login();
            Assert.True(login.ExitCode == 0, $"round {round}: iscsiadm login failed ({login.ExitCode}): {login.StdErr}\n{vm.IscsidLog}");
            string sid = Sid(target.Iqn);
            ProcessResult actual = CliOracle.Cli("-m", "session", "-r", sid, "-u");
            CliOracle.AssertSame(
                expected with { StdOut = CliOracle.NumberSids(expected.StdOut) },
                actual with { StdOut = CliOracle.NumberSids(actual.StdOut) },
                $"round {round}: iscsinat -m session -r {sid} -u right after iscsiadm's login");
            Assert.Empty(SysfsProbe.SessionsTo(target.Iqn));
        }

        ProcessResult none = Iscsiadm.Run("-m", "session");
        Assert.True(none.ExitCode == 21 || !none.StdOut.Contains(target.Iqn, StringComparison.Ordinal), none.StdOut);
    }

    [VmFact]
    public void Session_the_library_logged_in_is_logged_out_by_iscsinat_while_iscsid_runs()
    {
        using var target = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn("logout-own")) { LunCount = 1, InitiatorIqn = vm.InitiatorIqn });
        Iscsiadm.Discover(target.Portal);
        using IscsiadmNode node = Iscsiadm.Node(target.Iqn, target.Portal);
        Assert.Contains(File.ReadLines("/proc/net/unix"), l => l.EndsWith("@ISCSIADM_ABSTRACT_NAMESPACE", StringComparison.Ordinal));

        // iscsinat's login is the library's own (kernel netlink): iscsid does not know the session.
        ProcessResult login = CliOracle.Cli("-m", "node", "-T", target.Iqn, "-p", target.Portal, "--login");
        Assert.True(login.ExitCode == 0, login.StdOut + login.StdErr);
        string sid = Sid(target.Iqn);
        string describe = $"[sid: {sid}, target: {target.Iqn}, portal: 127.0.0.1,3260]";

        // -d 1 shows which way the logout went: iscsid was asked and answered that it does not manage the session.
        ProcessResult logout = CliOracle.Cli("-m", "session", "-r", sid, "-u", "-d", "1");

        Assert.Equal($"Logging out of session {describe}\nLogout of {describe} successful.\n", logout.StdOut);
        Assert.Equal($"iscsiadm: iscsid does not manage session {sid}; logging it out in-process\n", logout.StdErr);
        Assert.Equal(0, logout.ExitCode);
        Assert.Empty(SysfsProbe.SessionsTo(target.Iqn));

        // iscsid's list is untouched: its own login of the record works.
        node.Login().EnsureSuccess();
        node.Logout().EnsureSuccess();
    }

    /// <summary>The sid of the one session to <paramref name="targetName"/>.</summary>
    private static string Sid(string targetName) =>
        Assert.Single(SysfsProbe.SessionsTo(targetName)).Sid.ToString(CultureInfo.InvariantCulture);
}
