using System.Diagnostics;
using System.Security.Cryptography;
using IscsiNative.Volumes;
using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Volumes;

/// <summary>The connector with dm-multipath: two portals (127.0.0.1 and 127.0.0.2) of one LIO target, multipathd from multipath-tools.</summary>
[Collection(VmCollection.Name)]
public sealed class MultipathVolumeVmTests
{
    private const long DataBytes = 24L * 1024 * 1024;

    [VmFact]
    public async Task Two_portals_give_a_dm_device_with_two_active_paths_that_survives_a_portal_outage_and_detach_leaves_nothing()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn("multipath-two-portals"))
        {
            LunSizeBytes = 64L * 1024 * 1024,
            UnitSerial = true,
            SecondGroupAddress = "127.0.0.2",
        });
        string[] disksBefore = VolumeVm.ScsiDisks();
        string[] dmBefore = VolumeVm.DmDevices();
        VolumeSpec spec = VolumeVm.Spec(target, 0, "127.0.0.1:3260", "127.0.0.2:3260") with { Multipath = true, RecoveryTimeout = 5 };
        using var connector = new IscsiVolumeConnector();

        // Without multipathd: a typed error, and the sessions and disks the attempt made are gone again.
        var unavailable = await Assert.ThrowsAsync<IscsiVolumeException>(() => connector.AttachAsync(spec, ct));
        Assert.Equal(VolumeError.MultipathUnavailable, unavailable.Error);
        Assert.Empty(SysfsProbe.SessionsTo(target.Iqn));
        Assert.Equal(disksBefore, VolumeVm.ScsiDisks());

        using MultipathdProcess multipathd = await MultipathdProcess.StartAsync();
        var clock = Stopwatch.StartNew();
        AttachedVolume volume;
        using (var phases = PhaseRecorder.Start())
        {
            try
            {
                volume = await connector.AttachAsync(spec, ct);
            }
            catch (IscsiVolumeException)
            {
                VolumeVm.Report("multipathd log:\n" + multipathd.RecentLog);
                throw;
            }

            VolumeVm.Report($"2-path multipath attach: {clock.Elapsed.TotalMilliseconds:0} ms, phases:\n{phases.Render()}");
        }

        Assert.True(volume.IsMultipath, multipathd.RecentLog);
        Assert.StartsWith("/dev/dm-", volume.DevicePath);
        Assert.Equal(2, volume.Paths.Count);
        Assert.All(volume.Paths, p => Assert.Equal("active", p.State));
        Assert.Equal(2, volume.Paths.Select(p => p.Sid).Distinct().Count());
        Assert.StartsWith("36001405", volume.Wwid);
        Assert.Equal(volume.Wwid, volume.MapName);
        Assert.Equal(volume.Paths.Select(p => p.BlockDevice).Order(), Directory.GetFileSystemEntries($"/sys/block/{volume.DeviceName}/slaves").Select(Path.GetFileName).Order());
        Assert.Equal(64L * 1024 * 1024, volume.SizeBytes);

        // Same volume again: same map, no new session.
        AttachedVolume again = await connector.AttachAsync(spec, ct);
        Assert.Equal(volume.DevicePath, again.DevicePath);
        Assert.Equal(2, SysfsProbe.SessionsTo(target.Iqn).Count);

        // Write 24 MiB in 1 MiB synced chunks while the second portal group is disabled (its session goes FAILED, and
        // after the 5 s recovery timeout its I/O fails over to the first path) and enabled again.
        byte[] data = RandomNumberGenerator.GetBytes((int)DataBytes);
        using (var handle = File.OpenHandle(volume.DevicePath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            const int chunk = 1024 * 1024;
            for (int i = 0; i < DataBytes / chunk; i++)
            {
                if (i == 4)
                {
                    target.SetSecondGroupEnabled(false);
                }

                if (i == 12)
                {
                    // FAILED while recovering, FREE once the 5 s recovery timeout has failed its I/O over.
                    Assert.True(Wait.Until(() => SysfsProbe.SessionsTo(target.Iqn).Any(s => s.State is "FAILED" or "FREE"), TimeSpan.FromSeconds(30)), "the session through 127.0.0.2 did not fail");
                }

                if (i == 16)
                {
                    target.SetSecondGroupEnabled(true);
                }

                RandomAccess.Write(handle, data.AsSpan(i * chunk, chunk), (long)i * chunk);
                RandomAccess.FlushToDisk(handle);
            }
        }

        VolumeVm.Report($"24 MiB written through the map across a portal outage: {clock.Elapsed.TotalMilliseconds:0} ms since attach");
        Assert.Equal(VolumeVm.Sha256(data), VolumeVm.Sha256(VolumeVm.ReadBacking(target, 0, (int)DataBytes)));

        // The path through 127.0.0.2 comes back (session recovery, then multipathd's checker reinstates it).
        var client = new MultipathdClient(TimeSpan.FromSeconds(5));
        bool bothActive = false;
        var waited = Stopwatch.StartNew();
        while (!bothActive && waited.Elapsed < TimeSpan.FromSeconds(90))
        {
            List<MultipathdPath> paths = await client.GetPathsAsync(ct);
            bothActive = volume.Paths.All(p => paths.Any(s => s.Device == p.BlockDevice && s.DmState == "active" && s.CheckerState == "ready"));
            if (!bothActive)
            {
                await Task.Delay(500, ct);
            }
        }

        VolumeVm.Report($"second path active again after {waited.Elapsed.TotalMilliseconds:0} ms");
        VolumeVm.Report("multipathd log (tail):\n" + multipathd.RecentLog[^Math.Min(3000, multipathd.RecentLog.Length)..]);
        Assert.True(bothActive, multipathd.RecentLog);
        Assert.Equal(VolumeVm.Sha256(data), VolumeVm.Sha256(VolumeVm.ReadDevice(volume.DevicePath, (int)DataBytes)));

        clock.Restart();
        Assert.True(await connector.DetachAsync(volume, cancellationToken: ct));
        VolumeVm.Report($"2-path multipath detach: {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.Empty(SysfsProbe.SessionsTo(target.Iqn));
        Assert.Equal(disksBefore, VolumeVm.ScsiDisks());
        Assert.Equal(dmBefore, VolumeVm.DmDevices());
        Assert.DoesNotContain(await client.GetPathsAsync(ct), p => volume.Paths.Any(v => v.BlockDevice == p.Device));
    }

    [VmFact]
    public async Task An_unreachable_second_portal_fails_the_attach_and_leaves_nothing_unless_degraded_is_allowed()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn("multipath-degraded"))
        {
            LunSizeBytes = 16L * 1024 * 1024,
            UnitSerial = true,
        });
        string[] disksBefore = VolumeVm.ScsiDisks();
        string[] dmBefore = VolumeVm.DmDevices();

        // Nothing listens on 127.0.0.2:3261: that portal's connect is refused while 127.0.0.1 logs in and gives a disk.
        VolumeSpec spec = VolumeVm.Spec(target, 0, "127.0.0.1:3260", "127.0.0.2:3261") with { Multipath = true, RecoveryTimeout = 5 };
        using var connector = new IscsiVolumeConnector();
        using MultipathdProcess multipathd = await MultipathdProcess.StartAsync();
        var client = new MultipathdClient(TimeSpan.FromSeconds(5));
        List<MultipathdPath> pathsBefore = await client.GetPathsAsync(ct);

        // Default (AllowDegraded = false): a typed error naming the portal, and the session and disk of the good portal are gone again.
        var failed = await Assert.ThrowsAsync<IscsiVolumeException>(() => connector.AttachAsync(spec, ct));
        Assert.Equal(VolumeError.LoginFailed, failed.Error);
        Assert.Contains("127.0.0.2:3261", failed.Message);
        Assert.Empty(SysfsProbe.SessionsTo(target.Iqn));
        Assert.Equal(disksBefore, VolumeVm.ScsiDisks());
        Assert.Equal(dmBefore, VolumeVm.DmDevices());
        Assert.Equal(pathsBefore.Select(p => p.Device).Order(), (await client.GetPathsAsync(ct)).Select(p => p.Device).Order());

        // AllowDegraded: a map with the one path there is, the failed portal reported; it carries data; detach leaves nothing.
        AttachedVolume volume = await connector.AttachAsync(spec with { AllowDegraded = true }, ct);
        VolumeVm.Report($"degraded attach: {volume.DevicePath}, paths {string.Join(", ", volume.Paths.Select(p => p.Portal + "=" + p.BlockDevice + ":" + p.State))}, failed {string.Join(", ", volume.FailedPortals)}");
        Assert.True(volume.IsMultipath);
        Assert.StartsWith("/dev/dm-", volume.DevicePath);
        VolumePath path = Assert.Single(volume.Paths);
        Assert.Equal("127.0.0.1:3260", path.Portal);
        Assert.Equal("active", path.State);
        Assert.Equal(["127.0.0.2:3261"], volume.FailedPortals);
        Assert.Single(SysfsProbe.SessionsTo(target.Iqn));

        byte[] pattern = VolumeVm.Pattern(0, 1);
        VolumeVm.WriteDevice(volume.DevicePath, pattern);
        Assert.Equal(VolumeVm.Sha256(pattern), VolumeVm.Sha256(VolumeVm.ReadBacking(target, 0, pattern.Length)));

        Assert.True(await connector.DetachAsync(volume, cancellationToken: ct));
        Assert.Empty(SysfsProbe.SessionsTo(target.Iqn));
        Assert.Equal(disksBefore, VolumeVm.ScsiDisks());
        Assert.Equal(dmBefore, VolumeVm.DmDevices());
        Assert.DoesNotContain(await client.GetPathsAsync(ct), p => p.Device == path.BlockDevice);
    }
}
