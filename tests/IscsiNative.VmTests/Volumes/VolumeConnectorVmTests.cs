using System.Diagnostics;
using IscsiNative.Volumes;
using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Volumes;

/// <summary>The volume connector against LIO on the real kernel: scans, uevent waits, refcounted detach, errors.</summary>
[Collection(VmCollection.Name)]
public sealed class VolumeConnectorVmTests(VmFixture vm)
{
    [VmFact]
    public async Task Sixteen_luns_attach_in_parallel_detach_half_keeps_the_session_then_nothing_is_left()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(nameof(Sixteen_luns_attach_in_parallel_detach_half_keeps_the_session_then_nothing_is_left))) { LunCount = 16 });
        for (int lun = 0; lun < 16; lun++)
        {
            target.WriteLun(lun, 0, VolumeVm.Pattern(lun, 1));
        }

        string[] disksBefore = VolumeVm.ScsiDisks();
        using var connector = new IscsiVolumeConnector();
        var clock = Stopwatch.StartNew();
        AttachedVolume[] volumes = await Task.WhenAll(Enumerable.Range(0, 16).Select(lun => connector.AttachAsync(VolumeVm.Spec(target, lun), ct)));
        VolumeVm.Report($"16 LUNs attached in parallel: {clock.Elapsed.TotalMilliseconds:0} ms");

        Assert.Equal(16, volumes.Select(v => v.DevicePath).Distinct().Count());
        Assert.All(volumes, v => Assert.StartsWith("/dev/sd", v.DevicePath));
        Assert.All(volumes, v => Assert.Equal(16L * 1024 * 1024, v.SizeBytes));
        Assert.Single(SysfsProbe.SessionsTo(target.Iqn));
        Assert.Equal(16, VolumeVm.ScsiDisks().Except(disksBefore).Count());

        // Each device is its LUN: it reads what the target holds for that LUN, and writes land in that LUN's file.
        foreach (AttachedVolume v in volumes)
        {
            Assert.Equal(VolumeVm.Pattern(v.Lun, 1), VolumeVm.ReadDevice(v.DevicePath, VolumeVm.PatternBytes));
            VolumeVm.WriteDevice(v.DevicePath, VolumeVm.Pattern(v.Lun, 2));
            Assert.Equal(VolumeVm.Pattern(v.Lun, 2), VolumeVm.ReadBacking(target, v.Lun, VolumeVm.PatternBytes));
        }

        IReadOnlyList<AttachedVolume> listed = connector.GetAttached();
        Assert.Equal(volumes.Select(v => (v.Lun, v.DevicePath)).Order(), listed.Where(v => v.TargetName == target.Iqn).Select(v => (v.Lun, v.DevicePath)).Order());

        AttachedVolume[] even = [.. volumes.Where(v => v.Lun % 2 == 0)];
        AttachedVolume[] odd = [.. volumes.Where(v => v.Lun % 2 == 1)];
        clock.Restart();
        bool[] detached = await Task.WhenAll(even.Select(v => connector.DetachAsync(v, cancellationToken: ct)));
        VolumeVm.Report($"8 LUNs detached in parallel (session kept): {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.All(detached, Assert.True);
        Assert.All(even, v => Assert.False(Directory.Exists("/sys/block/" + v.DeviceName), v.DeviceName + " still exists"));
        Assert.Single(SysfsProbe.SessionsTo(target.Iqn));
        foreach (AttachedVolume v in odd)
        {
            Assert.Equal(VolumeVm.Pattern(v.Lun, 2), VolumeVm.ReadDevice(v.DevicePath, VolumeVm.PatternBytes));
            VolumeVm.WriteDevice(v.DevicePath, VolumeVm.Pattern(v.Lun, 3));
            Assert.Equal(VolumeVm.Pattern(v.Lun, 3), VolumeVm.ReadBacking(target, v.Lun, VolumeVm.PatternBytes));
        }

        clock.Restart();
        detached = await Task.WhenAll(odd.Select(v => connector.DetachAsync(v, cancellationToken: ct)));
        VolumeVm.Report($"8 LUNs detached in parallel (last logs out): {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.All(detached, Assert.True);
        Assert.Empty(SysfsProbe.SessionsTo(target.Iqn));
        Assert.Equal(disksBefore, VolumeVm.ScsiDisks());
        Assert.Empty(VolumeVm.DmDevices());
        Assert.DoesNotContain(connector.GetAttached(), v => v.TargetName == target.Iqn);
    }

    [VmFact]
    public async Task Attach_twice_returns_the_same_device_and_a_missing_lun_fails_after_the_scan_leaving_nothing()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(nameof(Attach_twice_returns_the_same_device_and_a_missing_lun_fails_after_the_scan_leaving_nothing))) { LunCount = 2 });
        string[] disksBefore = VolumeVm.ScsiDisks();
        using var connector = new IscsiVolumeConnector();

        AttachedVolume first = await connector.AttachAsync(VolumeVm.Spec(target, 1), ct);
        AttachedVolume second = await connector.AttachAsync(VolumeVm.Spec(target, 1), ct);
        Assert.Equal(first.DevicePath, second.DevicePath);
        Assert.Single(SysfsProbe.SessionsTo(target.Iqn));

        // Only LUN 1 was scanned: LUN 0 exists on the target but got no device.
        int sid = Assert.Single(first.Paths).Sid;
        Assert.Equal([first.DeviceName], SysfsProbe.BlockDevices(sid));

        // A LUN the target does not have: typed error after the scan; the shared session and LUN 1 stay.
        var missing = await Assert.ThrowsAsync<IscsiVolumeException>(() => connector.AttachAsync(VolumeVm.Spec(target, 7), ct));
        Assert.Equal(VolumeError.LunNotFound, missing.Error);
        Assert.Equal([first.DeviceName], SysfsProbe.BlockDevices(sid));

        Assert.True(await connector.DetachAsync(VolumeVm.Spec(target, 1), cancellationToken: ct));
        Assert.False(await connector.DetachAsync(VolumeVm.Spec(target, 1), cancellationToken: ct));
        Assert.Empty(SysfsProbe.SessionsTo(target.Iqn));

        // The same with no session before: the session the failed attach created is logged out again.
        missing = await Assert.ThrowsAsync<IscsiVolumeException>(() => connector.AttachAsync(VolumeVm.Spec(target, 7), ct));
        Assert.Equal(VolumeError.LunNotFound, missing.Error);
        Assert.Empty(SysfsProbe.SessionsTo(target.Iqn));
        Assert.Equal(disksBefore, VolumeVm.ScsiDisks());
    }

    [VmFact]
    public async Task Unknown_target_wrong_chap_and_bad_specs_fail_with_typed_errors_and_leave_nothing()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(nameof(Unknown_target_wrong_chap_and_bad_specs_fail_with_typed_errors_and_leave_nothing)))
        {
            InitiatorIqn = vm.InitiatorIqn,
            Chap = new Infrastructure.ChapCredentials("volumeuser", "volumesecret12"),
        });
        string[] disksBefore = VolumeVm.ScsiDisks();
        int sessionsBefore = SysfsProbe.Sessions().Count;
        using var connector = new IscsiVolumeConnector();

        string unknown = target.Iqn + "-nonexistent";
        var notListed = await Assert.ThrowsAsync<IscsiVolumeException>(() => connector.AttachAsync(VolumeVm.Spec(target, 0) with { TargetName = unknown, Discover = true }, ct));
        Assert.Equal(VolumeError.TargetNotFound, notListed.Error);
        var refused = await Assert.ThrowsAsync<IscsiVolumeException>(() => connector.AttachAsync(VolumeVm.Spec(target, 0) with { TargetName = unknown }, ct));
        Assert.Equal(VolumeError.LoginFailed, refused.Error);
        Assert.IsType<IscsiLoginException>(refused.InnerException, exactMatch: false);

        using var wrong = IscsiNative.Protocol.ChapCredentials.OneWay("volumeuser", "not-the-secret");
        var chap = await Assert.ThrowsAsync<IscsiVolumeException>(() => connector.AttachAsync(VolumeVm.Spec(target, 0) with { Credentials = wrong }, ct));
        Assert.Equal(VolumeError.AuthenticationFailed, chap.Error);

        var badLun = await Assert.ThrowsAsync<IscsiVolumeException>(() => connector.AttachAsync(VolumeVm.Spec(target, -1), ct));
        Assert.Equal(VolumeError.InvalidSpec, badLun.Error);
        var twoPortals = await Assert.ThrowsAsync<IscsiVolumeException>(() => connector.AttachAsync(VolumeVm.Spec(target, 0, "127.0.0.1", "127.0.0.2"), ct));
        Assert.Equal(VolumeError.InvalidSpec, twoPortals.Error);

        Assert.Equal(sessionsBefore, SysfsProbe.Sessions().Count);
        Assert.Equal(disksBefore, VolumeVm.ScsiDisks());

        // The right secret works, and detach leaves nothing.
        using var right = IscsiNative.Protocol.ChapCredentials.OneWay("volumeuser", "volumesecret12");
        AttachedVolume volume = await connector.AttachAsync(VolumeVm.Spec(target, 0) with { Credentials = right }, ct);
        Assert.True(await connector.DetachAsync(volume, cancellationToken: ct));
        Assert.Equal(sessionsBefore, SysfsProbe.Sessions().Count);
    }

    [VmFact]
    public async Task Extend_after_the_target_grew_the_lun_reports_the_new_size()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(nameof(Extend_after_the_target_grew_the_lun_reports_the_new_size))));
        using var connector = new IscsiVolumeConnector();
        AttachedVolume volume = await connector.AttachAsync(VolumeVm.Spec(target, 0), ct);
        Assert.Equal(16L * 1024 * 1024, volume.SizeBytes);

        target.ResizeLun(0, 48L * 1024 * 1024);
        long size = await connector.ExtendAsync(volume, ct);
        Assert.Equal(48L * 1024 * 1024, size);
        Assert.Equal(48L * 1024 * 1024, long.Parse(File.ReadAllText($"/sys/block/{volume.DeviceName}/size").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 512);

        Assert.True(await connector.DetachAsync(volume, cancellationToken: ct));
        Assert.Empty(SysfsProbe.SessionsTo(target.Iqn));
    }
}
