using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Harness;

/// <summary>iscsiadm against CHAP-protected LIO ACLs: the oracle for the library's own CHAP.</summary>
[Trait(HarnessSelfCheck.Trait, HarnessSelfCheck.Value)]
[Collection(VmCollection.Name)]
public sealed class ChapLoginTests(VmFixture vm)
{
    private static readonly ChapCredentials Chap = new("vmtest-user", "vmtest-secret-12");
    private static readonly ChapCredentials MutualChap = new("vmtest-user", "vmtest-secret-12", "vmtest-target", "target-secret-34");

    [VmFact]
    public void Iscsiadm_logs_in_to_a_chap_protected_target_with_the_right_secret()
    {
        using LioTarget target = CreateTarget(nameof(Iscsiadm_logs_in_to_a_chap_protected_target_with_the_right_secret), Chap);
        using IscsiadmNode node = Discover(target);
        node.SetChap(Chap);

        ProcessResult login = node.Login();

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.True(SysfsProbe.WaitForState(target.Iqn, "LOGGED_IN", TimeSpan.FromSeconds(30)));
        Assert.Equal(Chap.UserId, SysfsProbe.ReadAttribute($"{SysfsProbe.SessionClass}/session{SysfsProbe.SessionsTo(target.Iqn)[0].Sid}", "username"));
    }

    [VmFact]
    public void Iscsiadm_login_with_a_wrong_chap_secret_fails_with_authentication_status()
    {
        using LioTarget target = CreateTarget(nameof(Iscsiadm_login_with_a_wrong_chap_secret_fails_with_authentication_status), Chap);
        using IscsiadmNode node = Discover(target);
        node.SetChap(Chap with { Password = "wrong-secret-000" });

        ProcessResult login = node.Login();

        Assert.True(login.ExitCode == IscsiadmExitCode.LoginAuthFailed, login.ToString());
        Assert.Empty(SysfsProbe.SessionsTo(target.Iqn));
    }

    [VmFact]
    public void Iscsiadm_login_without_chap_to_a_chap_protected_target_fails()
    {
        using LioTarget target = CreateTarget(nameof(Iscsiadm_login_without_chap_to_a_chap_protected_target_fails), Chap);
        using IscsiadmNode node = Discover(target);

        ProcessResult login = node.Login();

        Assert.True(login.ExitCode != 0, login.ToString());
        Assert.Empty(SysfsProbe.SessionsTo(target.Iqn));
    }

    [VmFact]
    public void Iscsiadm_logs_in_with_mutual_chap_and_rejects_a_target_with_the_wrong_mutual_secret()
    {
        using LioTarget target = CreateTarget(nameof(Iscsiadm_logs_in_with_mutual_chap_and_rejects_a_target_with_the_wrong_mutual_secret), MutualChap);
        using IscsiadmNode node = Discover(target);

        node.SetChap(MutualChap with { MutualPassword = "not-the-target-0" });
        ProcessResult rejected = node.Login();
        // the initiator itself rejects the target's answer: iscsid reports a non-retryable login failure
        Assert.True(rejected.ExitCode == IscsiadmExitCode.LoginFatal, rejected.ToString());
        Assert.Empty(SysfsProbe.SessionsTo(target.Iqn));

        node.SetChap(MutualChap);
        ProcessResult login = node.Login();
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.True(SysfsProbe.WaitForState(target.Iqn, "LOGGED_IN", TimeSpan.FromSeconds(30)));
    }

    private LioTarget CreateTarget(string test, ChapCredentials chap) =>
        LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(test)) { InitiatorIqn = vm.InitiatorIqn, Chap = chap });

    private IscsiadmNode Discover(LioTarget target)
    {
        Assert.Contains(vm.Iscsiadm.Discover(target.Portal), d => d.TargetName == target.Iqn);
        return vm.Iscsiadm.Node(target.Iqn, target.Portal);
    }
}
