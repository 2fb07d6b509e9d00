using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Oracle;

/// <summary>
/// A FAILED session (portal group disabled) and its recovery, as the library and live iscsiadm print them. iscsid's
/// state can move between the two reads, so each pair is read again (a bounded number of times) until both agree.
/// </summary>
[Collection(VmCollection.Name)]
public sealed class FailedSessionOracleTests(VmFixture vm)
{
    private const int Attempts = 15;

    [VmFact]
    public void Failed_session_and_its_recovery_print_the_same_as_iscsiadm_at_P1_and_P3()
    {
        using LoggedInTargets set = LoggedInTargets.Create(vm.Iscsiadm, 1, nameof(FailedSessionOracleTests));
        LioTarget target = set.Targets[0];

        target.SetEnabled(false);
        try
        {
            Assert.True(
                SysfsProbe.WaitForState(target.Iqn, "FAILED", TimeSpan.FromSeconds(60)),
                $"not FAILED after disabling the TPG: {string.Join(", ", SysfsProbe.Sessions())}");

            string p1 = AgreedText(1, t => t.Contains("\t\tiSCSI Session State: FAILED\n", StringComparison.Ordinal));
            Assert.Contains("\t\tIface IPaddress: [default]\n", p1, StringComparison.Ordinal);
            Assert.Contains("\t\tInternal iscsid Session State: REOPEN\n", p1, StringComparison.Ordinal);
            Assert.Matches(@"\t\tiSCSI Connection State: (TRANSPORT WAIT|IN LOGIN)\n", p1);
            string p3 = AgreedText(3, t => t.Contains("\t\tiSCSI Session State: FAILED\n", StringComparison.Ordinal));
            Assert.Contains("\t\tIface IPaddress: [default]\n", p3, StringComparison.Ordinal);
        }
        finally
        {
            target.SetEnabled(true);
        }

        Assert.True(
            SysfsProbe.WaitForState(target.Iqn, "LOGGED_IN", TimeSpan.FromSeconds(90)),
            $"not LOGGED_IN after re-enabling the TPG: {string.Join(", ", SysfsProbe.Sessions())}\n{vm.IscsidLog}");
        static bool Recovered(string t) => t.Contains("\t\tiSCSI Connection State: LOGGED IN\n", StringComparison.Ordinal)
            && t.Contains("\t\tInternal iscsid Session State: NO CHANGE\n", StringComparison.Ordinal);
        string r1 = AgreedText(1, Recovered);
        Assert.Contains("\t\tiSCSI Session State: LOGGED_IN\n", r1, StringComparison.Ordinal);
        Assert.Contains("\t\tIface IPaddress: 127.0.0.1\n", r1, StringComparison.Ordinal);
        AgreedText(3, Recovered);
    }

    /// <summary>
    /// Reads iscsiadm's and the library's text until both are equal and <paramref name="settled"/> holds, within a
    /// bounded number of attempts; fails with a diff of the last pair otherwise.
    /// </summary>
    private string AgreedText(int level, Func<string, bool> settled)
    {
        string oracle = string.Empty, library = string.Empty;
        for (int i = 0; i < Attempts; i++)
        {
            oracle = vm.Iscsiadm.Session(level).EnsureSuccess().StdOut;
            library = LibraryOutput.Session(level);
            if (oracle == library && settled(oracle))
            {
                return oracle;
            }

            Thread.Sleep(300);
        }

        TextDiff.AssertSame(oracle, library, $"-P {level} after {Attempts} attempts");
        Assert.Fail($"-P {level}: iscsiadm and the library agree but never reached the expected state:\n{oracle}");
        return oracle;
    }
}
