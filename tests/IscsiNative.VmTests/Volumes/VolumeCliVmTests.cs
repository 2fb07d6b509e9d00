using System.Globalization;
using IscsiNative.VmTests.Infrastructure;
using IscsiNative.VmTests.Oracle;

namespace IscsiNative.VmTests.Volumes;

/// <summary><c>iscsinat volume</c> from several processes at once: the host-wide lock keeps the end state consistent.</summary>
[Collection(VmCollection.Name)]
public sealed class VolumeCliVmTests
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(120);

    private static Task<ProcessResult> Cli(params string[] args) =>
        Task.Run(() => LibraryOutput.RunCli(CliTimeout, ["volume", .. args]));

    [VmFact]
    public async Task Two_processes_attaching_the_same_volume_get_one_session_and_one_device_and_racing_detaches_leave_nothing()
    {
        using LioTarget target = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn("volume-cli-race")) { LunCount = 2 });
        string[] disksBefore = VolumeVm.ScsiDisks();
        string[] volume = ["-T", target.Iqn, "-p", target.Portal, "--lun", "1"];

        ProcessResult[] attaches = await Task.WhenAll(Cli(["attach", .. volume]), Cli(["attach", .. volume]));
        Assert.All(attaches, r => Assert.True(r.ExitCode == 0, r.ToString()));
        string device = attaches[0].StdOut.Split(' ')[0];
        Assert.StartsWith("/dev/sd", device);
        Assert.Equal(device, attaches[1].StdOut.Split(' ')[0]);
        Assert.Single(SysfsProbe.SessionsTo(target.Iqn));
        Assert.Single(VolumeVm.ScsiDisks().Except(disksBefore));

        ProcessResult list = await Cli("list", "--json");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(target.Iqn, list.StdOut, StringComparison.Ordinal);
        Assert.Contains("\"devicePath\": \"" + device + "\"", list.StdOut, StringComparison.Ordinal);

        // Attach and detach racing, then detach racing detach: every process succeeds and nothing is left.
        ProcessResult[] race = await Task.WhenAll(Cli(["detach", .. volume]), Cli(["attach", .. volume]));
        Assert.All(race, r => Assert.True(r.ExitCode == 0, r.ToString()));
        int disks = VolumeVm.ScsiDisks().Except(disksBefore).Count();
        int sessions = SysfsProbe.SessionsTo(target.Iqn).Count;
        Assert.True((disks, sessions) is (1, 1) or (0, 0), string.Create(CultureInfo.InvariantCulture, $"inconsistent end state: {disks} disk(s), {sessions} session(s)"));

        ProcessResult[] detaches = await Task.WhenAll(Cli(["detach", .. volume]), Cli(["detach", .. volume]));
        Assert.All(detaches, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Empty(SysfsProbe.SessionsTo(target.Iqn));
        Assert.Equal(disksBefore, VolumeVm.ScsiDisks());
    }
}
