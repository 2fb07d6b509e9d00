using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using IscsiNative.Initiator;
using IscsiNative.Sysfs;

namespace IscsiNative.Volumes;

public sealed partial class IscsiVolumeConnector
{
    /// <summary>
    /// Attaches one LUN: resolves the portals, optionally checks each with SendTargets, logs in to every portal that
    /// has no session yet (an existing session is reused), scans only <see cref="VolumeSpec.Lun"/> on each session
    /// (<c>0 T L</c> to <c>hostH/scan</c>), waits for each disk with kernel uevents and, with multipath, hands the
    /// disks to multipathd and waits until its map has every path active. Attaching an attached volume returns it.
    /// On failure everything this call created (map, path devices, sessions) is removed again, and nothing else.
    /// </summary>
    /// <param name="spec">The volume.</param>
    /// <param name="cancellationToken">Cancels the attach (what it created is removed).</param>
    /// <returns>The attached volume.</returns>
    /// <exception cref="IscsiVolumeException">The spec is invalid, a portal does not resolve, the target or LUN does not
    /// exist, the login or CHAP failed, multipathd is missing or refused, or the deadline passed; <see cref="IscsiVolumeException.Error"/> says which.</exception>
    /// <exception cref="UnauthorizedAccessException">Not root.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    /// <exception cref="ObjectDisposedException">The connector was disposed.</exception>
    public async Task<AttachedVolume> AttachAsync(VolumeSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        ObjectDisposedException.ThrowIf(_disposed, this);
        long started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(spec.AttachTimeout);
        CancellationToken ct = deadline.Token;
        var unwind = new AttachUnwind();
        try
        {
            long traced = PhaseTrace.Begin();
            List<IscsiPortal> portals = await ResolvePortalsAsync(spec, ct).ConfigureAwait(false);
            using IDisposable volumeLock = await VolumeLocks.AcquireAsync(Options.LockDirectory, VolumeLocks.VolumeKey(spec.TargetName, spec.Lun), ct).ConfigureAwait(false);
            if (TryExisting(spec, portals) is { } existing)
            {
                VolumeLog.AlreadyAttached(_logger, spec.TargetName, spec.Lun, existing.DevicePath);
                return existing;
            }

            PhaseTrace.End("volume: resolve, volume lock, probe", 0, traced);

            if (spec.Discover || spec.DiscoveryCredentials is not null)
            {
                await Task.WhenAll(portals.Select(p => DiscoverAsync(spec, p, ct))).ConfigureAwait(false);
            }

            Task<VolumePath>[] attaching = [.. portals.Select(p => AttachPathAsync(spec, p, unwind, ct))];
            try
            {
                await Task.WhenAll(attaching).ConfigureAwait(false);
            }
            catch (Exception) when (spec.Multipath && spec.AllowDegraded && attaching.Any(t => t.IsCompletedSuccessfully) && !cancellationToken.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                for (int i = 0; i < attaching.Length; i++)
                {
                    if (attaching[i].Exception?.InnerException is { } failure)
                    {
                        VolumeLog.PortalFailed(_logger, portals[i].ToString(), spec.TargetName, failure);
                    }
                }
            }

            List<VolumePath> paths = [.. attaching.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result)];
            var failedPortals = portals.Where((_, i) => !attaching[i].IsCompletedSuccessfully).Select(p => p.ToString()).ToList();
            string?[] wwids = [.. paths.Select(p => _sysfs.ReadWwid(p.Hctl))];
            if (wwids.Distinct().Count() > 1)
            {
                throw new IscsiVolumeException(VolumeError.PathMismatch, $"{VolumeName(spec.TargetName, spec.Lun)}: the paths report different WWIDs ({string.Join(", ", wwids)}).");
            }

            string? map = null;
            if (spec.Multipath)
            {
                map = await AssembleMapAsync(spec, paths, wwids[0], unwind, ct).ConfigureAwait(false);
            }

            traced = PhaseTrace.Begin();
            VolumeState state = Probe(spec.TargetName, spec.Lun, portals);
            if (state.Paths.Count != paths.Count || state.Map != map)
            {
                throw new IscsiVolumeException(VolumeError.DeviceTimeout, $"{VolumeName(spec.TargetName, spec.Lun)}: a path disappeared during the attach.");
            }

            AttachedVolume volume = Describe(await WithMultipathStatesAsync(state, ct).ConfigureAwait(false), failedPortals);
            PhaseTrace.End("volume: probe and describe", 0, traced);
            VolumeLog.Attached(_logger, spec.TargetName, spec.Lun, volume.DevicePath, volume.Paths.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return volume;
        }
        catch (Exception e)
        {
            VolumeLog.AttachFailed(_logger, spec.TargetName, spec.Lun, e);
            await UnwindAsync(spec, unwind).ConfigureAwait(false);
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new IscsiVolumeException(VolumeError.DeviceTimeout, $"{VolumeName(spec.TargetName, spec.Lun)}: not attached within {spec.AttachTimeout.TotalSeconds:0.#} s.", e);
            }

            throw;
        }
    }

    private static async Task<List<IscsiPortal>> ResolvePortalsAsync(VolumeSpec spec, CancellationToken cancellationToken)
    {
        var portals = new List<IscsiPortal>();
        foreach (string text in spec.Portals)
        {
            VolumeSpec.TryParsePortal(text, out IscsiPortal? portal);
            if (!IPAddress.TryParse(portal!.Address, out _))
            {
                IPAddress[] addresses;
                try
                {
                    addresses = await Dns.GetHostAddressesAsync(portal.Address, cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException e)
                {
                    throw new IscsiVolumeException(VolumeError.PortalUnresolved, $"Portal '{text}' does not resolve: {e.Message}", e);
                }

                IPAddress address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
                    ?? throw new IscsiVolumeException(VolumeError.PortalUnresolved, $"Portal '{text}' resolves to no address.");
                portal = new IscsiPortal(address.ToString(), portal.Port);
            }

            portals.Add(portal);
        }

        return portals;
    }

    /// <summary>The volume when it is fully attached already (every portal has a ready path; with multipath, one map holds them all).</summary>
    private AttachedVolume? TryExisting(VolumeSpec spec, List<IscsiPortal> portals)
    {
        VolumeState state = Probe(spec.TargetName, spec.Lun, portals);
        if (state.Paths.Count != portals.Count || state.Paths.Any(p => _sysfs.ReadyDisk(p.Hctl) is null))
        {
            return null;
        }

        if (spec.Multipath && (state.Map is null || state.Paths.Any(p => _sysfs.MultipathHolder(p.BlockDevice) != state.Map)))
        {
            return null;
        }

        return Describe(state, []);
    }

    private async Task DiscoverAsync(VolumeSpec spec, IscsiPortal portal, CancellationToken cancellationToken)
    {
        var options = new DiscoveryOptions
        {
            Credentials = spec.DiscoveryCredentials,
            ConnectTimeout = spec.ConnectTimeout,
            LoginTimeout = spec.LoginTimeout,
            InitiatorName = spec.InitiatorName ?? InitiatorNameFile.Resolve(null, new LoginOptions().InitiatorNameFile),
        };
        IReadOnlyList<DiscoveredTarget> targets;
        try
        {
            targets = await _initiator.DiscoverAsync(portal, options, cancellationToken).ConfigureAwait(false);
        }
        catch (IscsiAuthenticationException e)
        {
            throw new IscsiVolumeException(VolumeError.AuthenticationFailed, $"Discovery CHAP at {portal} failed.", e);
        }
        catch (IscsiException e) when (e is not IscsiVolumeException)
        {
            throw new IscsiVolumeException(VolumeError.LoginFailed, $"Discovery at {portal} failed: {e.Message}", e);
        }

        if (!targets.Any(t => t.Name == spec.TargetName))
        {
            throw new IscsiVolumeException(VolumeError.TargetNotFound, $"Portal {portal} does not list {spec.TargetName}.");
        }
    }

    private async Task<VolumePath> AttachPathAsync(VolumeSpec spec, IscsiPortal portal, AttachUnwind unwind, CancellationToken ct)
    {
        int sid, host;
        string hctl;
        using (await VolumeLocks.AcquireAsync(Options.LockDirectory, VolumeLocks.TargetKey(spec.TargetName), ct).ConfigureAwait(false))
        {
            IscsiSession? existing = SessionsOf(spec.TargetName, [portal]).FirstOrDefault();
            if (existing is null)
            {
                long login = PhaseTrace.Begin();
                IscsiSession session = await LoginAsync(spec, portal, ct).ConfigureAwait(false);
                (sid, host) = (session.Sid, session.HostNumber!.Value);
                unwind.Add(unwind.Sessions, sid);
                PhaseTrace.End("volume: login", (uint)sid, login);
            }
            else
            {
                (sid, host) = (existing.Sid, existing.HostNumber!.Value);
            }

            int targetId = _sysfs.TargetId(sid);
            hctl = Hctl(host, targetId, spec.Lun);
            if (!_sysfs.ScsiDeviceExists(hctl))
            {
                long scan = PhaseTrace.Begin();
                await RunBlockingAsync(() => _sysfs.ScanLun(host, targetId, spec.Lun), ct).ConfigureAwait(false);
                PhaseTrace.End("volume: scan of one LUN", (uint)sid, scan);
                if (!_sysfs.ScsiDeviceExists(hctl))
                {
                    throw new IscsiVolumeException(VolumeError.LunNotFound, $"{VolumeName(spec.TargetName, spec.Lun)}: the scan of session {sid} at {portal} found no such LUN.");
                }

                unwind.Add(unwind.Devices, hctl);
            }
        }

        long wait = PhaseTrace.Begin();
        string disk = await WaitForDeviceAsync(() => _sysfs.ReadyDisk(hctl), ct).ConfigureAwait(false);
        PhaseTrace.End("volume: disk ready", (uint)sid, wait);
        return new VolumePath(portal.ToString(), sid, host, hctl, disk, _sysfs.ScsiState(hctl));
    }

    private async Task<IscsiSession> LoginAsync(VolumeSpec spec, IscsiPortal portal, CancellationToken ct)
    {
        var options = new LoginOptions
        {
            InitiatorName = spec.InitiatorName,
            IfaceName = spec.IfaceName,
            Credentials = spec.Credentials,
            ConnectTimeout = spec.ConnectTimeout,
            LoginTimeout = spec.LoginTimeout,
            RecoveryTimeout = spec.RecoveryTimeout,
            ScanLuns = false,
        };
        try
        {
            return await _initiator.LoginAsync(spec.TargetName, portal, options, ct).ConfigureAwait(false);
        }
        catch (IscsiAuthenticationException e)
        {
            throw new IscsiVolumeException(VolumeError.AuthenticationFailed, $"CHAP login to {spec.TargetName} at {portal} failed.", e);
        }
        catch (IscsiLoginException e) when (e.StatusClass == 2 && e.StatusDetail is 3 or 4)
        {
            throw new IscsiVolumeException(VolumeError.TargetNotFound, $"{portal} has no target {spec.TargetName} (login status 0x{e.Status:x4}).", e);
        }
        catch (Exception e) when (e is IscsiException or TimeoutException && e is not IscsiVolumeException)
        {
            throw new IscsiVolumeException(VolumeError.LoginFailed, $"Login to {spec.TargetName} at {portal} failed: {e.Message}", e);
        }
    }

    private async Task<string> AssembleMapAsync(VolumeSpec spec, List<VolumePath> paths, string? wwid, AttachUnwind unwind, CancellationToken ct)
    {
        if (wwid is null)
        {
            throw new IscsiVolumeException(VolumeError.MultipathFailed, $"{VolumeName(spec.TargetName, spec.Lun)} has no WWID (VPD 0x83): multipath cannot group its paths.");
        }

        if (!await _multipathd.IsRunningAsync(ct).ConfigureAwait(false))
        {
            throw new IscsiVolumeException(VolumeError.MultipathUnavailable, $"{VolumeName(spec.TargetName, spec.Lun)}: multipath requested but multipathd is not running.");
        }

        string? before = paths.Select(p => _sysfs.MultipathHolder(p.BlockDevice)).FirstOrDefault(m => m is not null);
        long traced = PhaseTrace.Begin();
        foreach (VolumePath path in paths)
        {
            if (_sysfs.MultipathHolder(path.BlockDevice) is null)
            {
                string reply = await _multipathd.ExecuteAsync("add path " + path.BlockDevice, ct).ConfigureAwait(false);
                if (MultipathdProtocol.IsFailure(reply, out string reason))
                {
                    throw new IscsiVolumeException(VolumeError.MultipathFailed, $"multipathd refused 'add path {path.BlockDevice}': {reason}.");
                }

                unwind.Add(unwind.MultipathPaths, path.BlockDevice);
            }
        }

        PhaseTrace.End("volume: multipathd add path", 0, traced);
        traced = PhaseTrace.Begin();

        // multipathd creates the map with the first path and holds back later paths of a new map ("delaying path
        // addition") until udev reports the map's dm device, or until missing_uev_wait_timeout (30 s) passes. `add map`
        // is that report over the socket: multipathd adds the held paths at once. It is sent once, when the map exists
        // without all paths, and is harmless when udev's event came first.
        bool announced = false;

        // The map appears with kernel uevents (dm add/change); multipathd's own view of the path states has no event,
        // so it is asked again after each uevent and at most every 500 ms.
        using ScsiHostUevents.Watch? watch = Uevents?.WatchDevices();
        while (true)
        {
            Task? next = watch?.Next;
            string? map = _sysfs.MultipathHolder(paths[0].BlockDevice);
            if (map is not null && before is null)
            {
                unwind.Map = map;
            }

            if (map is not null && paths.All(p => _sysfs.MultipathHolder(p.BlockDevice) == map))
            {
                List<MultipathdPath> states = await _multipathd.GetPathsAsync(ct).ConfigureAwait(false);
                if (paths.All(p => states.Any(s => s.Device == p.BlockDevice && s.DmState == "active")))
                {
                    PhaseTrace.End("volume: map with every path active", 0, traced);
                    return map;
                }
            }
            else if (map is not null && !announced)
            {
                announced = true;
                string reply = await _multipathd.ExecuteAsync("add map " + (_sysfs.DmName(map) ?? map), ct).ConfigureAwait(false);
                if (MultipathdProtocol.IsFailure(reply, out string reason))
                {
                    VolumeLog.AddMapRefused(_logger, map, reason);
                }

                continue;
            }

            try
            {
                await (next ?? Task.Delay(MapRecheck, ct)).WaitAsync(MapRecheck, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // No uevent: multipathd's path states change without one; ask again.
            }
        }
    }

    /// <summary>For a multipath volume, each path's state as multipathd reports it (active/failed).</summary>
    private async Task<VolumeState> WithMultipathStatesAsync(VolumeState state, CancellationToken ct)
    {
        if (state.Map is null)
        {
            return state;
        }

        List<MultipathdPath> states = await _multipathd.GetPathsAsync(ct).ConfigureAwait(false);
        return state with { Paths = [.. state.Paths.Select(p => p with { State = states.FirstOrDefault(s => s.Device == p.BlockDevice)?.DmState ?? p.State })] };
    }

    /// <summary>Removes what the failed attach created, newest first: map, multipathd paths, SCSI devices, sessions.</summary>
    private async Task UnwindAsync(VolumeSpec spec, AttachUnwind unwind)
    {
        using var bound = new CancellationTokenSource(spec.DetachTimeout);
        CancellationToken ct = bound.Token;
        if (unwind.Map is { } map)
        {
            await TryAsync("del map " + map, () => _multipathd.ExecuteOkAsync("del map " + (_sysfs.DmName(map) ?? map), ct)).ConfigureAwait(false);
        }

        foreach (string disk in unwind.MultipathPaths)
        {
            await TryAsync("del path " + disk, () => _multipathd.ExecuteAsync("del path " + disk, ct)).ConfigureAwait(false);
        }

        foreach (string hctl in unwind.Devices)
        {
            await TryAsync("delete " + hctl, () => RunBlockingAsync(() => _sysfs.DeleteScsiDevice(hctl), ct)).ConfigureAwait(false);
        }

        if (unwind.Sessions.Count > 0)
        {
            await TryAsync("logout", async () =>
            {
                using (await VolumeLocks.AcquireAsync(Options.LockDirectory, VolumeLocks.TargetKey(spec.TargetName), ct).ConfigureAwait(false))
                {
                    foreach (int sid in unwind.Sessions)
                    {
                        if (_initiator.TryGetSession(sid, out _) && !HasScsiDevices(sid))
                        {
                            await _initiator.LogoutAsync(sid, cancellationToken: ct).ConfigureAwait(false);
                        }
                    }
                }
            }).ConfigureAwait(false);
        }
    }

    private async Task TryAsync(string step, Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            VolumeLog.UnwindStepFailed(_logger, step, e);
        }
    }

    /// <summary>True when any SCSI device exists under the session (another LUN is attached through it).</summary>
    private bool HasScsiDevices(int sid) =>
        _initiator.TryGetSession(sid, out IscsiSession? s) && s is not null && s.Devices.Count > 0;

    /// <summary>What an attach created, for its unwind.</summary>
    private sealed class AttachUnwind
    {
        public List<int> Sessions { get; } = [];

        public List<string> Devices { get; } = [];

        public List<string> MultipathPaths { get; } = [];

        public string? Map { get; set; }

        public void Add<T>(List<T> list, T item)
        {
            lock (this)
            {
                list.Add(item);
            }
        }
    }
}
