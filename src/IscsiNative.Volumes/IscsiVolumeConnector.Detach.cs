using IscsiNative.Initiator;
using IscsiNative.Sysfs;

namespace IscsiNative.Volumes;

public sealed partial class IscsiVolumeConnector
{
    /// <summary>Detaches the volume <paramref name="spec"/> names (its target, LUN and portals; see <see cref="DetachAsync(AttachedVolume, bool, CancellationToken)"/>).</summary>
    /// <param name="spec">The volume as it was attached.</param>
    /// <param name="force">Detach even when the device is mounted or held (data in use is lost).</param>
    /// <param name="cancellationToken">Cancels waiting; a step in progress in the kernel completes.</param>
    /// <returns>True when something was removed; false when the volume was not attached.</returns>
    /// <exception cref="IscsiVolumeException">Invalid spec, the device is in use (<see cref="VolumeError.InUse"/>), or multipathd refused to remove the map.</exception>
    /// <exception cref="UnauthorizedAccessException">Not root.</exception>
    /// <exception cref="ObjectDisposedException">The connector was disposed.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "The two overloads take different first parameters (a spec or an attached volume); neither can be confused with the other.")]
    public async Task<bool> DetachAsync(VolumeSpec spec, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        List<IscsiPortal> portals = await ResolvePortalsAsync(spec, cancellationToken).ConfigureAwait(false);
        return await DetachCoreAsync(spec.TargetName, spec.Lun, portals, force, spec.DetachTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Detaches a volume in order: refuses when the device is mounted or held (unless <paramref name="force"/>), flushes
    /// the device (fsync + BLKFLSBUF), removes the multipath map through multipathd, flushes and deletes each path's
    /// SCSI device, then logs out each session that no other LUN uses any more (a session still carrying another
    /// volume's disk is kept). Serialized with attach and extend of the same volume, also across processes.
    /// </summary>
    /// <param name="volume">The volume from <see cref="AttachAsync"/> or <see cref="GetAttached"/>.</param>
    /// <param name="force">Detach even when the device is mounted or held.</param>
    /// <param name="cancellationToken">Cancels waiting; a step in progress in the kernel completes.</param>
    /// <returns>True when something was removed; false when the volume was not attached (any more).</returns>
    /// <exception cref="IscsiVolumeException">The device is in use (<see cref="VolumeError.InUse"/>), or multipathd is missing or refused to remove the map.</exception>
    /// <exception cref="UnauthorizedAccessException">Not root.</exception>
    /// <exception cref="ObjectDisposedException">The connector was disposed.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "The two overloads take different first parameters (a spec or an attached volume); neither can be confused with the other.")]
    public Task<bool> DetachAsync(AttachedVolume volume, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        List<IscsiPortal> portals = [.. volume.Paths.Select(p => IscsiPortal.Parse(p.Portal)).Distinct()];
        return DetachCoreAsync(volume.TargetName, volume.Lun, portals, force, TimeSpan.FromSeconds(60), cancellationToken);
    }

    private async Task<bool> DetachCoreAsync(string target, int lun, List<IscsiPortal> portals, bool force, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        CancellationToken ct = deadline.Token;
        using IDisposable volumeLock = await VolumeLocks.AcquireAsync(Options.LockDirectory, VolumeLocks.VolumeKey(target, lun), ct).ConfigureAwait(false);
        VolumeState state = Probe(target, lun, portals);
        if (state.Paths.Count == 0)
        {
            return false;
        }

        string top = state.Map ?? state.Paths[0].BlockDevice;
        if (!force)
        {
            List<string> holders = _sysfs.Holders(top);
            if (_sysfs.IsMounted(top) || holders.Count > 0 || (state.Map is null && state.Paths.Any(p => _sysfs.Holders(p.BlockDevice).Count > 0)))
            {
                throw new IscsiVolumeException(VolumeError.InUse, $"{VolumeName(target, lun)}: /dev/{top} is mounted or held ({string.Join(", ", holders)}); not detached.");
            }
        }

        await RunBlockingAsync(() => VolumeSysfs.Flush(top), ct).ConfigureAwait(false);
        if (state.Map is { } map)
        {
            string name = _sysfs.DmName(map) ?? map;
            if (!await _multipathd.IsRunningAsync(ct).ConfigureAwait(false))
            {
                throw new IscsiVolumeException(VolumeError.MultipathUnavailable, $"{VolumeName(target, lun)}: map {name} cannot be removed: multipathd is not running.");
            }

            await _multipathd.ExecuteOkAsync("del map " + name, ct).ConfigureAwait(false);
            foreach (VolumePath path in state.Paths)
            {
                // multipathd keeps an orphan path until told (without udev it sees no remove event).
                await _multipathd.ExecuteAsync("del path " + path.BlockDevice, ct).ConfigureAwait(false);
            }
        }

        foreach (VolumePath path in state.Paths)
        {
            if (path.BlockDevice != top && _sysfs.ScsiState(path.Hctl) == "running")
            {
                await RunBlockingAsync(() => VolumeSysfs.Flush(path.BlockDevice), ct).ConfigureAwait(false);
            }

            await RunBlockingAsync(() => _sysfs.DeleteScsiDevice(path.Hctl), ct).ConfigureAwait(false);
        }

        int logouts = 0;
        using (await VolumeLocks.AcquireAsync(Options.LockDirectory, VolumeLocks.TargetKey(target), ct).ConfigureAwait(false))
        {
            foreach (int sid in state.Paths.Select(p => p.Sid).Distinct())
            {
                // Gone already: a parallel detach of another LUN logged it out. Devices left: another volume uses it.
                if (!_initiator.TryGetSession(sid, out _))
                {
                    continue;
                }

                if (HasScsiDevices(sid))
                {
                    VolumeLog.SessionKept(_logger, sid);
                    continue;
                }

                await _initiator.LogoutAsync(sid, cancellationToken: ct).ConfigureAwait(false);
                logouts++;
            }
        }

        VolumeLog.Detached(_logger, target, lun, state.Paths.Count, logouts);
        return true;
    }

    /// <summary>
    /// Grows an attached volume after the target grew the LUN: writes 1 to each path's <c>rescan</c> (re-reads the
    /// capacity), has multipathd resize the map, and returns the new size of the volume's device.
    /// </summary>
    /// <param name="volume">The attached volume.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The device's size in bytes after the rescan.</returns>
    /// <exception cref="IscsiVolumeException">Not attached, a path is not running, or multipathd refused the resize.</exception>
    /// <exception cref="UnauthorizedAccessException">Not root.</exception>
    /// <exception cref="ObjectDisposedException">The connector was disposed.</exception>
    public async Task<long> ExtendAsync(AttachedVolume volume, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ObjectDisposedException.ThrowIf(_disposed, this);
        List<IscsiPortal> portals = [.. volume.Paths.Select(p => IscsiPortal.Parse(p.Portal)).Distinct()];
        using IDisposable volumeLock = await VolumeLocks.AcquireAsync(Options.LockDirectory, VolumeLocks.VolumeKey(volume.TargetName, volume.Lun), cancellationToken).ConfigureAwait(false);
        VolumeState state = Probe(volume.TargetName, volume.Lun, portals);
        if (state.Paths.Count == 0)
        {
            throw new IscsiVolumeException(VolumeError.NotAttached, $"{VolumeName(volume.TargetName, volume.Lun)} is not attached.");
        }

        if (state.Paths.FirstOrDefault(p => p.State != "running") is { } down)
        {
            throw new IscsiVolumeException(VolumeError.DeviceTimeout, $"{VolumeName(volume.TargetName, volume.Lun)}: path {down.BlockDevice} is {down.State}; every path must be up to extend.");
        }

        foreach (VolumePath path in state.Paths)
        {
            await RunBlockingAsync(() => _sysfs.RescanScsiDevice(path.Hctl), cancellationToken).ConfigureAwait(false);
        }

        string device = state.Map ?? state.Paths[0].BlockDevice;
        if (state.Map is { } map)
        {
            await _multipathd.ExecuteOkAsync("resize map " + (_sysfs.DmName(map) ?? map), cancellationToken).ConfigureAwait(false);
        }

        long size = _sysfs.SizeBytes(device);
        VolumeLog.Extended(_logger, volume.TargetName, volume.Lun, "/dev/" + device, size);
        return size;
    }

    /// <summary>
    /// Lists the attached volumes from sysfs alone (works after a process restart): every disk LUN of every iSCSI
    /// session, grouped by target and LUN into one volume with its paths; a volume whose disks a dm-multipath map holds
    /// reports the map as its device.
    /// </summary>
    /// <returns>The volumes, by target and LUN.</returns>
    public IReadOnlyList<AttachedVolume> GetAttached()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var keys = new SortedSet<(string Target, int Lun)>();
        foreach (IscsiSession s in _initiator.GetSessions())
        {
            foreach (IscsiDevice d in s.Devices)
            {
                if (d.BlockDevice is not null)
                {
                    keys.Add((s.TargetName, d.Lun));
                }
            }
        }

        var volumes = new List<AttachedVolume>();
        foreach ((string target, int lun) in keys)
        {
            VolumeState state = Probe(target, lun, null);
            if (state.Paths.Count > 0)
            {
                volumes.Add(Describe(state, []));
            }
        }

        return volumes;
    }
}
