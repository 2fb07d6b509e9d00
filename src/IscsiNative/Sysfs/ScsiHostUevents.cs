using System.Globalization;
using Microsoft.Extensions.Logging;

namespace IscsiNative.Sysfs;

/// <summary>
/// Kernel uevents (NETLINK_KOBJECT_UEVENT, read on one dedicated thread, parsed by <see cref="Uevent"/>) routed by
/// SCSI host: a login's device wait and a logout's wait for the host's removal re-check sysfs exactly when the kernel
/// changed something under <c>/devices/platform/hostH</c>, instead of polling. Device watches (the volume
/// connector's disk and multipath map waits) see every block and SCSI event, whatever the host. A lost burst
/// (ENOBUFS) or a failed reader wakes every watcher (they re-read sysfs; their own fallback re-check and deadline
/// bound every wait). Watch before the action whose events are awaited, or check sysfs after taking
/// <see cref="Watch.Next"/>.
/// </summary>
internal sealed class ScsiHostUevents : IDisposable
{
    private const int ReceiveBufferBytes = 4 * 1024 * 1024;
    private static ReadOnlySpan<byte> HostPrefix => "/devices/platform/host"u8;

    private readonly int _fd;
    private readonly int _wakeFd;
    private readonly Thread? _thread;
    private readonly ILogger _logger;
    private readonly Dictionary<int, List<Watch>> _watches = [];
    private readonly List<Watch> _deviceWatches = [];
    private int _disposed;

    private ScsiHostUevents(int fd, int wakeFd, ILogger logger)
    {
        _fd = fd;
        _wakeFd = wakeFd;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "iscsinative-host-uevents" };
        _thread.Start();
    }

    /// <summary>A router without a socket or reader thread: datagrams come only through <see cref="Dispatch"/> (tests).</summary>
    private ScsiHostUevents(ILogger logger)
    {
        _fd = -1;
        _wakeFd = -1;
        _logger = logger;
    }

    /// <summary>The host number of a device watch (every block and SCSI event).</summary>
    private const int AnyHost = -1;

    /// <summary>Opens the uevent socket; null when that is not possible (the waits then poll).</summary>
    internal static ScsiHostUevents? TryOpen(ILogger logger)
    {
        int rc = Interop.Shim.UeventOpen(ReceiveBufferBytes, out int fd);
        if (rc < 0)
        {
            SysfsLog.UeventsUnavailable(logger, Errno.Name(-rc));
            return null;
        }

        rc = Interop.Shim.WakeupCreate(out int wake);
        if (rc < 0)
        {
            _ = Interop.Shim.Close(fd);
            SysfsLog.UeventsUnavailable(logger, Errno.Name(-rc));
            return null;
        }

        return new ScsiHostUevents(fd, wake, logger);
    }

    /// <summary>Starts watching SCSI host <paramref name="host"/>; dispose the watch to stop.</summary>
    /// <param name="host">The SCSI host number.</param>
    /// <param name="sysfsRoot">
    /// For a removal wait: the sysfs root whose <c>kernel/uevent_seqnum</c> marks "now", so that a remove/add of an
    /// earlier owner of the same (reused) host number still queued behind the reader cannot count. Null: no mark.
    /// </param>
    internal Watch WatchHost(int host, string? sysfsRoot = null)
    {
        ulong after = 0;
        if (sysfsRoot is not null
            && ulong.TryParse(SysfsSessionReader.TryReadText(Path.Combine(sysfsRoot, "kernel", "uevent_seqnum")), NumberStyles.None, CultureInfo.InvariantCulture, out ulong seqnum))
        {
            after = seqnum;
        }

        var watch = new Watch(this, host, after);
        lock (_watches)
        {
            if (!_watches.TryGetValue(host, out List<Watch>? list))
            {
                _watches[host] = list = [];
            }

            list.Add(watch);
        }

        if (Volatile.Read(ref _disposed) != 0)
        {
            watch.Signal(removed: false, added: false);
        }

        return watch;
    }

    /// <summary>A router fed only through <see cref="Dispatch"/> (no socket, no thread), for tests of the routing.</summary>
    internal static ScsiHostUevents ForDispatchOnly(ILogger logger) => new(logger);

    /// <summary>
    /// Starts watching every block and SCSI uevent (disks, partitions, dm maps, SCSI devices of any host); dispose
    /// the watch to stop.
    /// </summary>
    internal Watch WatchDevices()
    {
        var watch = new Watch(this, AnyHost, 0);
        lock (_watches)
        {
            _deviceWatches.Add(watch);
        }

        if (Volatile.Read(ref _disposed) != 0)
        {
            watch.Signal(removed: false, added: false);
        }

        return watch;
    }

    /// <summary>Stops the reader thread (bounded wait) and closes the socket; watchers are woken.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_thread is not null)
        {
            _ = Interop.Shim.WakeupSignal(_wakeFd);
            if (Thread.CurrentThread != _thread)
            {
                _thread.Join(TimeSpan.FromSeconds(10));
            }

            _ = Interop.Shim.Close(_fd);
            _ = Interop.Shim.Close(_wakeFd);
        }

        WakeAll();
    }

    /// <summary>The host number of a devpath under <c>/devices/platform/hostH</c>, and whether it is that directory itself.</summary>
    internal static bool TryParseHost(ReadOnlySpan<byte> devpath, out int host, out bool isHost)
    {
        host = 0;
        isHost = false;
        if (!devpath.StartsWith(HostPrefix))
        {
            return false;
        }

        ReadOnlySpan<byte> rest = devpath[HostPrefix.Length..];
        int digits = 0;
        while (digits < rest.Length && digits < 9 && rest[digits] is >= (byte)'0' and <= (byte)'9')
        {
            host = (host * 10) + (rest[digits] - '0');
            digits++;
        }

        if (digits == 0 || (digits < rest.Length && rest[digits] != '/'))
        {
            return false;
        }

        isHost = digits == rest.Length;
        return true;
    }

    private void Unwatch(Watch watch)
    {
        lock (_watches)
        {
            if (watch.Host == AnyHost)
            {
                _deviceWatches.Remove(watch);
            }
            else if (_watches.TryGetValue(watch.Host, out List<Watch>? list) && list.Remove(watch) && list.Count == 0)
            {
                _watches.Remove(watch.Host);
            }
        }
    }

    private void WakeAll()
    {
        lock (_watches)
        {
            foreach (List<Watch> list in _watches.Values)
            {
                foreach (Watch w in list)
                {
                    w.Signal(removed: false, added: false);
                }
            }

            foreach (Watch w in _deviceWatches)
            {
                w.Signal(removed: false, added: false);
            }
        }
    }

    /// <summary>Routes one kernel uevent datagram to the watches it concerns.</summary>
    internal void Dispatch(ReadOnlySpan<byte> datagram)
    {
        if (!Uevent.TryParse(datagram, out Uevent e))
        {
            return;
        }

        ReadOnlySpan<byte> subsystem = e.Subsystem;
        bool device = subsystem.SequenceEqual("block"u8) || subsystem.SequenceEqual("scsi"u8);
        bool hosted = TryParseHost(e.DevPath, out int host, out bool isHost);
        if (!device && !hosted)
        {
            return;
        }

        bool removed = hosted && isHost && e.Action.SequenceEqual("remove"u8);
        bool added = hosted && isHost && e.Action.SequenceEqual("add"u8);
        ulong seqnum = removed || added ? e.SeqNum : 0;
        lock (_watches)
        {
            if (device)
            {
                foreach (Watch w in _deviceWatches)
                {
                    w.Signal(removed: false, added: false);
                }
            }

            if (hosted && _watches.TryGetValue(host, out List<Watch>? list))
            {
                foreach (Watch w in list)
                {
                    // A host's own add/remove from before the watch (a reused number's earlier owner) only wakes.
                    bool current = seqnum > w.After;
                    w.Signal(removed && current, added && current);
                }
            }
        }
    }

    private unsafe void Run()
    {
        byte[] buffer = new byte[8192];
        fixed (byte* p = buffer)
        {
            while (true)
            {
                int n = Interop.Shim.NetlinkReceive(_fd, _wakeFd, p, buffer.Length, -1, out uint groups, out uint pid, out _);
                if (n == -Errno.ECANCELED)
                {
                    return;
                }

                if (n < 0)
                {
                    WakeAll();
                    if (n == -Errno.ENOBUFS)
                    {
                        continue;
                    }

                    SysfsLog.UeventsFailed(_logger, Errno.Name(-n));
                    return;
                }

                // Kernel uevents come from port 0 to group 1; anything else is a user-space sender.
                if (pid == 0 && groups != 0)
                {
                    Dispatch(buffer.AsSpan(0, Math.Min(n, buffer.Length)));
                }
            }
        }
    }

    /// <summary>
    /// One waiter's view of one host (or, from <see cref="WatchDevices"/>, of every block and SCSI device): a signal
    /// per relevant uevent, and whether the host's removal was seen.
    /// </summary>
    internal sealed class Watch : IDisposable
    {
        private readonly ScsiHostUevents _owner;
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _removed;
        private volatile bool _reused;

        internal Watch(ScsiHostUevents owner, int host, ulong after)
        {
            _owner = owner;
            Host = host;
            After = after;
        }

        internal int Host { get; }

        /// <summary>The kernel's uevent sequence number when the watch began (0: not marked).</summary>
        internal ulong After { get; }

        /// <summary>The kernel sent <c>remove@/devices/platform/hostH</c> (its directory goes right after).</summary>
        internal bool HostRemoved => _removed;

        /// <summary>
        /// After the removal, a new host got the same number (<c>add@/devices/platform/hostH</c>: the kernel reuses
        /// freed host numbers), so a directory of that name no longer says the old host is still there.
        /// </summary>
        internal bool HostNumberReused => _reused;

        /// <summary>Completes at the next uevent of this host (take it before checking sysfs).</summary>
        internal Task Next => Volatile.Read(ref _next).Task;

        public void Dispose() => _owner.Unwatch(this);

        internal void Signal(bool removed, bool added)
        {
            if (removed)
            {
                _removed = true;
            }
            else if (added && _removed)
            {
                _reused = true;
            }

            Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    /// <summary>The host number in a text devpath (tests).</summary>
    internal static int? HostOf(string devpath) =>
        TryParseHost(System.Text.Encoding.ASCII.GetBytes(devpath), out int host, out _) ? host : null;

    internal static string Describe(int host) => "host" + host.ToString(CultureInfo.InvariantCulture);
}
