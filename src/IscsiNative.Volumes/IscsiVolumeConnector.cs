using System.Globalization;
using System.Net;
using IscsiNative.Initiator;
using IscsiNative.Sysfs;
using Microsoft.Extensions.Logging;

namespace IscsiNative.Volumes;

/// <summary>
/// Attaches and detaches iSCSI LUNs as block devices in one call: logs in to each portal (or reuses the session),
/// scans only the requested LUN, waits for the disk with kernel uevents, hands the paths to multipathd when asked,
/// and on detach flushes, removes the map, deletes the path devices and logs out only sessions no other LUN uses.
/// Operations on one volume are serialized (in process and host-wide, <c>flock</c>); different volumes of one target
/// run in parallel, serialized only around session creation, scans and logout decisions.
/// </summary>
/// <remarks>
/// Sessions are logged in through an <see cref="IscsiInitiator"/>, which recovers them after connection errors while
/// it lives. Dispose the connector to stop that recovery; attached volumes stay attached (as when iscsid exits).
/// </remarks>
public sealed partial class IscsiVolumeConnector : IDisposable
{
    private readonly IscsiInitiator _initiator;
    private readonly bool _ownsInitiator;
    private readonly VolumeSysfs _sysfs;
    private readonly MultipathdClient _multipathd;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>Creates a connector.</summary>
    /// <param name="options">Settings; null for defaults.</param>
    /// <param name="initiator">The initiator that logs in (and recovers) sessions; null creates one owned by the connector.</param>
    public IscsiVolumeConnector(IscsiVolumeConnectorOptions? options = null, IscsiInitiator? initiator = null)
    {
        Options = options ?? new IscsiVolumeConnectorOptions();
        _ownsInitiator = initiator is null;
        _initiator = initiator ?? new IscsiInitiator(new IscsiInitiatorOptions { SysfsRoot = Options.SysfsRoot, LoggerFactory = Options.LoggerFactory });
        _sysfs = new VolumeSysfs(Options.SysfsRoot);
        _multipathd = new MultipathdClient(Options.MultipathdTimeout);
        _logger = Options.LoggerFactory.CreateLogger<IscsiVolumeConnector>();
    }

    /// <summary>Gets the settings.</summary>
    public IscsiVolumeConnectorOptions Options { get; }

    /// <summary>Disposes the initiator when the connector created it (its sessions stay).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        if (_ownsInitiator)
        {
            _initiator.Dispose();
        }
    }

    /// <summary>
    /// The initiator's kernel uevent reader (one socket and thread per initiator, shared with its login and logout
    /// waits); null when uevents are unavailable, and the waits then re-check on a short timer.
    /// </summary>
    private ScsiHostUevents? Uevents
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _initiator.Uevents;
        }
    }

    /// <summary>
    /// Returns the first non-null <paramref name="probe"/> result, probing now and after each block or SCSI uevent
    /// (and every <see cref="DeviceRecheck"/> in case one was lost), until <paramref name="cancellationToken"/> fires.
    /// </summary>
    private async Task<T> WaitForDeviceAsync<T>(Func<T?> probe, CancellationToken cancellationToken)
        where T : class
    {
        using ScsiHostUevents.Watch? watch = Uevents?.WatchDevices();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task? next = watch?.Next;
            if (probe() is { } result)
            {
                return result;
            }

            try
            {
                await (next ?? Task.Delay(DeviceRecheck, cancellationToken)).WaitAsync(DeviceRecheck, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // No uevent for a while: re-check anyway (a lost event must not cost more than this).
            }
        }
    }

    /// <summary>How long a device wait goes without a uevent before it re-checks sysfs anyway.</summary>
    private static readonly TimeSpan DeviceRecheck = TimeSpan.FromMilliseconds(500);

    /// <summary>How often a map wait asks multipathd for its path states without a uevent.</summary>
    private static readonly TimeSpan MapRecheck = TimeSpan.FromMilliseconds(500);

    private static bool SamePortal(IscsiSession session, IscsiPortal portal)
    {
        string address = session.PersistentAddress.Length > 0 && session.PersistentAddress != "(null)" ? session.PersistentAddress : session.Address;
        int port = session.PersistentPort is > 0 ? session.PersistentPort.Value : session.Port ?? 0;
        if (port != portal.Port)
        {
            return false;
        }

        return IPAddress.TryParse(address, out IPAddress? a) && IPAddress.TryParse(portal.Address, out IPAddress? b)
            ? a.Equals(b)
            : string.Equals(address, portal.Address, StringComparison.OrdinalIgnoreCase);
    }

    private static string PortalText(IscsiSession session) =>
        new IscsiPortal(session.PersistentAddress.Length > 0 && session.PersistentAddress != "(null)" ? session.PersistentAddress : session.Address, session.PersistentPort is > 0 ? session.PersistentPort.Value : session.Port ?? IscsiPortal.DefaultPort).ToString();

    private static Task RunBlockingAsync(Action action, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).WaitAsync(cancellationToken);

    private static string Hctl(int host, int target, int lun) => string.Create(CultureInfo.InvariantCulture, $"{host}:0:{target}:{lun}");

    private static string VolumeName(string target, int lun) => string.Create(CultureInfo.InvariantCulture, $"{target} LUN {lun}");

    /// <summary>Sessions of <paramref name="target"/>, optionally only those at <paramref name="portals"/>.</summary>
    private List<IscsiSession> SessionsOf(string target, IReadOnlyList<IscsiPortal>? portals)
    {
        var found = new List<IscsiSession>();
        foreach (IscsiSession s in _initiator.GetSessions())
        {
            if (s.TargetName == target && s.HostNumber is not null && (portals is null || portals.Any(p => SamePortal(s, p))))
            {
                found.Add(s);
            }
        }

        return found;
    }

    /// <summary>What sysfs says about one volume now: its path disks and the multipath map holding them.</summary>
    private VolumeState Probe(string target, int lun, IReadOnlyList<IscsiPortal>? portals)
    {
        var paths = new List<VolumePath>();
        foreach (IscsiSession s in SessionsOf(target, portals))
        {
            int host = s.HostNumber!.Value;
            string hctl = Hctl(host, _sysfs.TargetId(s.Sid), lun);
            if (_sysfs.Disk(hctl) is { } disk)
            {
                paths.Add(new VolumePath(PortalText(s), s.Sid, host, hctl, disk, _sysfs.ScsiState(hctl)));
            }
        }

        string? map = paths.Select(p => _sysfs.MultipathHolder(p.BlockDevice)).FirstOrDefault(m => m is not null);
        return new VolumeState(target, lun, paths, map);
    }

    private AttachedVolume Describe(VolumeState state, IReadOnlyList<string> failedPortals)
    {
        string device = state.Map ?? state.Paths[0].BlockDevice;
        var stable = VolumeSysfs.StableLinks(device);
        if (state.Map is null)
        {
            stable.AddRange(state.Paths.Skip(1).SelectMany(p => VolumeSysfs.StableLinks(p.BlockDevice)));
        }

        return new AttachedVolume
        {
            TargetName = state.Target,
            Lun = state.Lun,
            DevicePath = "/dev/" + device,
            IsMultipath = state.Map is not null,
            MapName = state.Map is null ? null : _sysfs.DmName(state.Map),
            Wwid = _sysfs.ReadWwid(state.Paths[0].Hctl),
            SizeBytes = _sysfs.SizeBytes(device),
            StablePaths = stable,
            Paths = state.Paths,
            FailedPortals = failedPortals,
        };
    }

    /// <summary>A volume as sysfs shows it.</summary>
    private sealed record VolumeState(string Target, int Lun, List<VolumePath> Paths, string? Map);
}
