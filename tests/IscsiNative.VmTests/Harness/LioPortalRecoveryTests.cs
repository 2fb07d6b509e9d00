using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Harness;

/// <summary>A target outage (TPG disabled) as the kernel reports it, and iscsid's recovery.</summary>
[Trait(HarnessSelfCheck.Trait, HarnessSelfCheck.Value)]
[Collection(VmCollection.Name)]
public sealed class LioPortalRecoveryTests(VmFixture vm)
{
    [VmFact]
    public void Disabling_the_portal_group_fails_the_session_and_reenabling_it_recovers_the_session()
    {
        using var target = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(nameof(Disabling_the_portal_group_fails_the_session_and_reenabling_it_recovers_the_session))));
        vm.Iscsiadm.Discover(target.Portal);
        using IscsiadmNode node = vm.Iscsiadm.Node(target.Iqn, target.Portal);
        Assert.Equal(0, node.Login().ExitCode);
        Assert.True(SysfsProbe.WaitForState(target.Iqn, "LOGGED_IN", TimeSpan.FromSeconds(30)));
        int sid = SysfsProbe.SessionsTo(target.Iqn)[0].Sid;

        target.SetEnabled(false);
        Assert.True(
            SysfsProbe.WaitForState(target.Iqn, "FAILED", TimeSpan.FromSeconds(60)),
            $"not FAILED after disabling the TPG: {string.Join(", ", SysfsProbe.SessionsTo(target.Iqn))}");
        Assert.Contains("iSCSI Session State: FAILED", vm.Iscsiadm.Session(1).StdOut, StringComparison.Ordinal);

        target.SetEnabled(true);
        Assert.True(
            SysfsProbe.WaitForState(target.Iqn, "LOGGED_IN", TimeSpan.FromSeconds(90)),
            $"not LOGGED_IN after re-enabling the TPG: {string.Join(", ", SysfsProbe.SessionsTo(target.Iqn))}\n{vm.IscsidLog}");
        Assert.Equal(sid, SysfsProbe.SessionsTo(target.Iqn)[0].Sid);
    }
}
