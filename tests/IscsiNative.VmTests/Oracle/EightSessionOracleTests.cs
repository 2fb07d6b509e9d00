using IscsiNative.Sysfs;
using IscsiNative.TestShared;
using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Oracle;

/// <summary>
/// The library against live iscsiadm with eight sessions (2 LUNs each): the shared comparisons, the CLI's stdout, and
/// the zero-allocation enumeration over the live tree.
/// </summary>
[Collection(VmCollection.Name)]
public sealed class EightSessionOracleTests(VmFixture vm, EightTargetsFixture fixture)
    : SessionOracleTests(vm, fixture), IClassFixture<EightTargetsFixture>
{
    // Two levels only: each CLI start costs several seconds under emulation; 0 is the flat form, 3 the whole tree.
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Cli_session_stdout_is_byte_identical_to_live_iscsiadm(int? level)
    {
        VmStage.Require();
        fixture.Get(Vm.Iscsiadm);

        ProcessResult cli = LibraryOutput.Cli(level);
        ProcessResult iscsiadm = Vm.Iscsiadm.Session(level).EnsureSuccess();

        Assert.True(cli.ExitCode == iscsiadm.ExitCode, cli.ToString());
        Assert.Equal(iscsiadm.StdErr, cli.StdErr);
        TextDiff.AssertSame(iscsiadm.StdOut, cli.StdOut, $"iscsinat session vs iscsiadm -m session{(level is null ? string.Empty : " -P " + level)}");
    }

    [VmFact]
    public void Enumerating_the_live_tree_allocates_nothing_after_warm_up()
    {
        fixture.Get(Vm.Iscsiadm);
        using var reader = new SysfsSessionReader();
        long checksum = SessionFieldWalk.ReadEverything(reader); // warm-up: JIT, pools, buffer growth
        checksum += SessionFieldWalk.ReadEverything(reader);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            checksum += SessionFieldWalk.ReadEverything(reader);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(8, LiveEnumeration.CountSessions(reader));
        Assert.True(checksum > 0);
    }
}
