using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Oracle;

/// <summary>
/// iscsinat with iscsiadm's own command line against iscsiadm 2.1.8 on the same state: stdout, stderr and exit code
/// must be identical. Then the seed workflow with iscsinat alone, iscsid stopped and iscsi_tcp not loaded.
/// </summary>
[Collection(VmCollection.Name)]
public sealed class CliIscsiadmSyntaxOracleTests(VmFixture vm)
{
    private static ProcessResult Cli(params string[] args) => CliOracle.Cli(args);

    private void AssertSame(params string[] args) => CliOracle.AssertSame(vm.Iscsiadm, args);

    [VmFact]
    public void Rejections_and_empty_state_match_iscsiadm()
    {
        AssertSame("-m", "session");
        AssertSame("-m", "session", "-P", "9");
        AssertSame("-m", "session", "-T", "iqn.x");
        AssertSame("-z", "-m", "session");
        AssertSame("--s");
        AssertSame("--bogus");
        AssertSame("--login=1");
        AssertSame();
        AssertSame("--mo=session", "--pr=1");
        AssertSame("-m", "node", "-o", "frob");
        AssertSame("-m", "node", "-P", "3");
        AssertSame("-m", "node", "-L", "sometimes");
        AssertSame("-m", "node", "-U", "all");
        AssertSame("-m", "session", "-o", "new");
        AssertSame("-m", "session", "-s");
        AssertSame("-m", "discovery", "-t", "st");
        AssertSame("-m", "discovery", "-u");
        AssertSame("-m", "iface");
        AssertSame("-m", "host", "-P", "7");
        AssertSame("--version");
    }

    [VmFact]
    public void Records_and_a_live_session_match_iscsiadm()
    {
        using var target = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(nameof(Records_and_a_live_session_match_iscsiadm))) { LunCount = 1, InitiatorIqn = vm.InitiatorIqn });
        vm.Iscsiadm.Discover(target.Portal);
        using IscsiadmNode node = vm.Iscsiadm.Node(target.Iqn, target.Portal);
        AssertSame("-m", "node");
        AssertSame("-m", "node", "-P", "1");
        AssertSame("-m", "node", "-T", target.Iqn, "-p", target.Portal);
        AssertSame("-m", "node", "-T", target.Iqn, "-o", "show");
        AssertSame("-m", "node", "-T", "iqn.2003-01.org.example:none", "-o", "show");
        AssertSame("-m", "node", "-o", "update", "-n", "node.bogus", "-v", "1");
        AssertSame("-m", "node", "-o", "update", "-n", "iface.ipaddress", "-v", "1.2.3.4");
        AssertSame("-m", "node", "-o", "update");
        AssertSame("-m", "node", "-l", "-u");
        AssertSame("-m", "discovery");
        AssertSame("-m", "discovery", "-t", "st", "-p", target.Portal, "-o", "nonpersistent");
        AssertSame("-m", "discovery", "-t", "st", "-p", target.Portal, "-P", "1", "-o", "nonpersistent");

        vm.Iscsiadm.Run("-m", "node", "-T", target.Iqn, "-p", target.Portal, "-l").EnsureSuccess();
        AssertSame("-m", "session");
        AssertSame("-m", "session", "-P", "1");
        AssertSame("-m", "session", "-P", "3");
        AssertSame("-m", "session", "-P", "9");
        AssertSame("-m", "host");
        AssertSame("-m", "node", "-T", target.Iqn, "-p", target.Portal, "-l");
        AssertSame("-m", "node", "-L", "manual");
        AssertSame("-m", "node", "-o", "delete", "-T", target.Iqn);

        // Log out with iscsinat: the messages iscsiadm prints for the same logout.
        string sid = vm.Iscsiadm.Session().StdOut.Split('[', ']')[1];
        ProcessResult logout = Cli("-m", "node", "-T", target.Iqn, "-p", target.Portal, "-u");
        Assert.Equal(0, logout.ExitCode);
        Assert.Equal($"Logging out of session [sid: {sid}, target: {target.Iqn}, portal: 127.0.0.1,3260]\nLogout of [sid: {sid}, target: {target.Iqn}, portal: 127.0.0.1,3260] successful.\n", logout.StdOut);
        AssertSame("-m", "session");
    }

    [VmFact]
    public void Seed_workflow_runs_without_iscsid_and_without_a_preloaded_transport()
    {
        using var target = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(nameof(Seed_workflow_runs_without_iscsid_and_without_a_preloaded_transport))) { LunCount = 2, InitiatorIqn = vm.InitiatorIqn });
        Assert.Equal(21, vm.Iscsiadm.Session().ExitCode);
        vm.StopIscsid();
        try
        {
            ProcessResult rmmod = ProcessRunner.Run(Iscsiadm.DefaultTimeout, "rmmod", "iscsi_tcp", "libiscsi_tcp");
            Assert.True(rmmod.ExitCode == 0, rmmod.ToString());
            Assert.False(Directory.Exists("/sys/module/iscsi_tcp"));

            ProcessResult discovery = Cli("-m", "discovery", "-t", "sendtargets", "-p", target.Portal);
            Assert.Equal((0, $"127.0.0.1:3260,1 {target.Iqn}\n", ""), (discovery.ExitCode, discovery.StdOut, discovery.StdErr));

            ProcessResult update = Cli("-m", "node", "-T", target.Iqn, "-p", target.Portal, "--op", "update", "-n", "node.startup", "-v", "automatic");
            Assert.Equal((0, "", ""), (update.ExitCode, update.StdOut, update.StdErr));

            string what = $"[iface: default, target: {target.Iqn}, portal: 127.0.0.1,3260]";
            ProcessResult login = Cli("-m", "node", "--loginall=automatic");
            Assert.Equal((0, $"Logging in to {what}\nLogin to {what} successful.\n", ""), (login.ExitCode, login.StdOut, login.StdErr));
            Assert.True(Directory.Exists("/sys/module/iscsi_tcp"));

            ProcessResult expected = vm.Iscsiadm.Run("-m", "session", "-P", "3");
            ProcessResult actual = Cli("-m", "session", "-P", "3");
            Assert.Equal(0, expected.ExitCode);
            Assert.Contains("Attached scsi disk sd", actual.StdOut, StringComparison.Ordinal);
            TextDiff.AssertSame(expected.StdOut, actual.StdOut, "-m session -P 3 without iscsid (stdout)");
            // iscsiadm also runs iscsid.conf's iscsid.startup command first (its output precedes this line); iscsinat starts no daemon.
            Assert.Equal("iscsiadm: can not connect to iSCSI daemon (111)!\n", actual.StdErr);
            Assert.EndsWith(actual.StdErr, expected.StdErr, StringComparison.Ordinal);
            Assert.Equal(expected.ExitCode, actual.ExitCode);

            string sid = actual.StdOut.Split("SID: ")[1].Split('\n')[0];
            ProcessResult logout = Cli("-m", "node", "-U", "all");
            string session = $"[sid: {sid}, target: {target.Iqn}, portal: 127.0.0.1,3260]";
            Assert.Equal((0, $"Logging out of session {session}\nLogout of {session} successful.\n", ""), (logout.ExitCode, logout.StdOut, logout.StdErr));
            Assert.Equal(21, Cli("-m", "session").ExitCode);

            login = Cli("-m", "node", "-L", "automatic");
            Assert.Equal((0, $"Logging in to {what}\nLogin to {what} successful.\n", ""), (login.ExitCode, login.StdOut, login.StdErr));
            Assert.Equal(0, Cli("-m", "session").ExitCode);
        }
        finally
        {
            Cli("-m", "node", "-U", "all");
            Cli("-m", "node", "-o", "delete");
            vm.StartIscsid();
        }
    }
}
