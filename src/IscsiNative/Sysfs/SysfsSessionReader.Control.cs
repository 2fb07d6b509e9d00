using System.Globalization;
using System.Runtime.InteropServices;

namespace IscsiNative.Sysfs;

// The few sysfs reads and writes of login, logout, rescan and recovery (System.IO; not a hot path), under the same
// injectable roots as the enumeration: sysfs at Root, device nodes at DevRoot.
internal sealed partial class SysfsSessionReader
{
    internal string SessionDirectory(uint sid) =>
        Path.Combine(Root, "class", "iscsi_session", "session" + sid.ToString(CultureInfo.InvariantCulture));

    internal string ConnectionDirectory(uint sid, uint cid) =>
        Path.Combine(Root, "class", "iscsi_connection", string.Create(CultureInfo.InvariantCulture, $"connection{sid}:{cid}"));

    internal string HostScanFile(int host) =>
        Path.Combine(Root, "class", "scsi_host", "host" + host.ToString(CultureInfo.InvariantCulture), "scan");

    /// <summary>Reads an attribute without its trailing newline; null when missing or unreadable.</summary>
    internal static string? TryReadText(string path)
    {
        try
        {
            return File.ReadAllText(path).TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Like iscsid: the connection's exp_statsn before login, 0 when it cannot be read.</summary>
    internal uint ReadExpStatSn(uint sid, uint cid) =>
        uint.TryParse(TryReadText(Path.Combine(ConnectionDirectory(sid, cid), "exp_statsn")), NumberStyles.None, CultureInfo.InvariantCulture, out uint value) ? value : 0;

    internal bool SessionExists(uint sid) => Directory.Exists(SessionDirectory(sid));

    internal bool ConnectionExists(uint sid, uint cid) => Directory.Exists(ConnectionDirectory(sid, cid));

    /// <summary>The SCSI host of a session: the <c>iscsi_host/hostH</c> whose device holds <c>sessionN</c> (stat follows the links; no textual path games).</summary>
    internal int? TryReadHostNumber(uint sid)
    {
        string hosts = Path.Combine(Root, "class", "iscsi_host");
        string session = "session" + sid.ToString(CultureInfo.InvariantCulture);
        try
        {
            foreach (string host in Directory.EnumerateFileSystemEntries(hosts, "host*"))
            {
                string name = Path.GetFileName(host);
                if (int.TryParse(name.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out int number)
                    && Directory.Exists(Path.Combine(host, "device", session)))
                {
                    return number;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>
    /// The SCSI host of a session from the one link <c>class/iscsi_session/sessionN</c> →
    /// <c>…/devices/platform/hostH/sessionN/…</c> (one readlink instead of a walk over every host); falls back to
    /// <see cref="TryReadHostNumber"/>.
    /// </summary>
    internal int? TryReadSessionHostNumber(uint sid)
    {
        try
        {
            string? target = new FileInfo(SessionDirectory(sid)).LinkTarget;
            string marker = "/host";
            int at = target?.IndexOf(marker, StringComparison.Ordinal) ?? -1;
            if (at >= 0)
            {
                ReadOnlySpan<char> rest = target.AsSpan(at + marker.Length);
                int slash = rest.IndexOf('/');
                if (slash > 0 && int.TryParse(rest[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out int host))
                {
                    return host;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return TryReadHostNumber(sid);
    }

    /// <summary>Writes a sysfs attribute in one write(2), no newline.</summary>
    internal static void WriteAttribute(string path, string value)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        stream.Write(System.Text.Encoding.ASCII.GetBytes(value));
    }


    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Writes <c>- - -</c> to the host's scan file, then waits until every LUN's block device is ready.</summary>
    /// <exception cref="IscsiTimeoutException">Scan plus wait took longer than <paramref name="timeout"/>.</exception>
    /// <exception cref="IscsiException">The kernel refused the scan.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    internal async Task<IReadOnlyList<IscsiDevice>> ScanAndWaitAsync(
        uint sid, int host, IEnumerable<string>? rescanFirst, TimeSpan timeout, CancellationToken cancellationToken, ScsiHostUevents? uevents = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);

        // Watch before scanning: the disk's uevents may come before the scan write returns (sd probes asynchronously).
        using ScsiHostUevents.Watch? watch = uevents?.WatchHost(host);
        long traced = PhaseTrace.Begin();
        string scanFile = HostScanFile(host);
        Task scan = Task.Factory.StartNew(
            () =>
            {
                foreach (string rescan in rescanFirst ?? [])
                {
                    WriteAttribute(rescan, "1");
                }

                WriteAttribute(scanFile, "- - -");
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            await scan.WaitAsync(deadline.Token).ConfigureAwait(false);
            PhaseTrace.End("login: LUN scan (write - - -)", sid, traced);
            traced = PhaseTrace.Begin();
            IReadOnlyList<IscsiDevice> devices = await WaitForDevicesAsync(sid, deadline.Token, watch).ConfigureAwait(false);
            PhaseTrace.End("login: device wait", sid, traced);
            return devices;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            string what = scan.IsCompleted ? "block devices" : "LUN scan";
            throw new IscsiTimeoutException(what, timeout, $"session {sid}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"Session {sid}: writing {scanFile} (the LUN scan) was refused: root is needed.", e);
        }
        catch (IOException e)
        {
            throw new IscsiException($"Session {sid}: the LUN scan of host{host} failed: {e.Message}", e);
        }
    }

    /// <summary>
    /// Waits until every SCSI device of the session is ready (disks: block device, device node, running): re-checks
    /// at each uevent under the session's host when <paramref name="watch"/> is given (and every
    /// <see cref="UeventFallbackRecheck"/> in case one was missed), else polls with a growing delay.
    /// </summary>
    internal async Task<IReadOnlyList<IscsiDevice>> WaitForDevicesAsync(uint sid, CancellationToken cancellationToken, ScsiHostUevents.Watch? watch = null)
    {
        TimeSpan delay = TimeSpan.FromMilliseconds(2);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task? next = watch?.Next;
            if (TryProbe(sid, out List<IscsiDevice> devices))
            {
                return devices;
            }

            if (next is null)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPollDelay.Ticks));
                continue;
            }

            try
            {
                await next.WaitAsync(UeventFallbackRecheck, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // No uevent for a while: re-check anyway (a lost event must not cost more than this).
            }
        }
    }

    /// <summary>How long a uevent-driven wait goes without an event before it re-checks sysfs anyway.</summary>
    internal static readonly TimeSpan UeventFallbackRecheck = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// After DESTROY_SESSION_ASYNC: waits until SCSI host <paramref name="host"/> has left sysfs
    /// (<c>devices/platform/hostH</c>), driven by the host's uevents (its own <c>remove</c> comes just before its
    /// directory goes, so after that event the check repeats every millisecond), else by polling. The kernel reuses
    /// freed host numbers: a new host of the same number, announced after the old one's removal, also ends the wait
    /// (without uevents a reused number keeps the poll going until the caller's deadline).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (the caller's deadline).</exception>
    internal async Task WaitForHostRemovalAsync(int host, ScsiHostUevents.Watch? watch, CancellationToken cancellationToken)
    {
        string directory = Path.Combine(Root, "devices", "platform", "host" + host.ToString(CultureInfo.InvariantCulture));
        TimeSpan delay = TimeSpan.FromMilliseconds(2);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task? next = watch?.Next;

            // Host numbers are reused: once the removal was seen, a new host of the same number ends the wait too.
            if (!Directory.Exists(directory) || watch?.HostNumberReused == true)
            {
                return;
            }

            if (next is null || watch!.HostRemoved)
            {
                await Task.Delay(watch?.HostRemoved == true ? TimeSpan.FromMilliseconds(1) : delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPollDelay.Ticks));
                continue;
            }

            try
            {
                await next.WaitAsync(UeventFallbackRecheck, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Re-check anyway.
            }
        }
    }

    /// <summary>The sysfs <c>rescan</c> files of the session's existing LUNs (iscsiadm --rescan writes 1 to each).</summary>
    internal List<string> RescanFiles(uint sid)
    {
        var files = new List<string>();
        foreach (string lun in LunDirectories(sid))
        {
            files.Add(Path.Combine(lun, "rescan"));
        }

        return files;
    }

    /// <summary>Reads the session's devices; false while a disk has no usable block device yet.</summary>
    internal bool TryProbe(uint sid, out List<IscsiDevice> devices)
    {
        devices = [];
        bool ready = true;
        foreach (string lunDir in LunDirectories(sid))
        {
            string[] hctl = Path.GetFileName(lunDir).Split(':');
            // Digits only, as the enumeration's H:C:T:L parse: no sign, no spaces.
            if (hctl.Length != 4 || !int.TryParse(hctl[0], NumberStyles.None, CultureInfo.InvariantCulture, out int h) || !int.TryParse(hctl[1], NumberStyles.None, CultureInfo.InvariantCulture, out int c)
                || !int.TryParse(hctl[2], NumberStyles.None, CultureInfo.InvariantCulture, out int t) || !int.TryParse(hctl[3], NumberStyles.None, CultureInfo.InvariantCulture, out int l))
            {
                continue;
            }

            int type = int.TryParse(TryReadText(Path.Combine(lunDir, "type")), CultureInfo.InvariantCulture, out int tp) ? tp : -1;
            string? block = null;
            if (IsDisk(type))
            {
                block = ReadyBlockDevice(lunDir);
                ready &= block is not null;
            }

            devices.Add(new IscsiDevice(h, c, t, l) { ScsiType = type < 0 ? null : type, BlockDevice = block });
        }

        devices.Sort((a, b) => a.Lun.CompareTo(b.Lun));
        return ready;
    }

    // sd binds TYPE_DISK 0, TYPE_MOD 7, TYPE_RBC 14 and TYPE_ZBC 0x14.
    private static bool IsDisk(int type) => type is 0 or 7 or 14 or 0x14;

    private string? ReadyBlockDevice(string lunDir)
    {
        if (TryReadText(Path.Combine(lunDir, "state")) != "running")
        {
            return null;
        }

        string blockDir = Path.Combine(lunDir, "block");
        try
        {
            foreach (string disk in Directory.EnumerateFileSystemEntries(blockDir))
            {
                string name = Path.GetFileName(disk);
                if (TryReadText(Path.Combine(disk, "size")) is not null && DeviceNodeOpens(Path.Combine(DevRoot, name)))
                {
                    return name;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>
    /// True once the device node can be opened. devtmpfs creates <c>/dev/sdX</c> when the disk's device is added,
    /// a moment before the kernel registers the block device behind it (<c>bdev_add</c> at the end of
    /// <c>add_disk</c>); an open in between fails with ENXIO, so a node that merely exists is not yet usable.
    /// Opened read-only and non-blocking (no udev "change" on close, no wait on a busy medium) and closed at once.
    /// Any other failure than "not there yet" (e.g. EACCES for an unprivileged caller) counts as ready: the node is
    /// registered, the caller just may not open it.
    /// </summary>
    private static unsafe bool DeviceNodeOpens(string path)
    {
        int length = System.Text.Encoding.UTF8.GetByteCount(path);
        Span<byte> utf8 = length < 512 ? stackalloc byte[length + 1] : new byte[length + 1];
        System.Text.Encoding.UTF8.GetBytes(path, utf8);
        utf8[length] = 0;
        int fd;
        fixed (byte* p = utf8)
        {
            fd = Interop.Sys.Open(p, Interop.Sys.O_RDONLY | Interop.Sys.O_NONBLOCK | Interop.Sys.O_CLOEXEC, 0);
        }

        if (fd >= 0)
        {
            _ = Interop.Sys.Close(fd);
            return true;
        }

        return Marshal.GetLastPInvokeError() is not (Interop.Errno.ENXIO or Interop.Errno.ENODEV or Interop.Errno.ENOENT);
    }

    private IEnumerable<string> LunDirectories(uint sid)
    {
        string device = Path.Combine(SessionDirectory(sid), "device");
        string[] targets;
        try
        {
            targets = Directory.GetDirectories(device, "target*");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (string target in targets)
        {
            string[] luns;
            try
            {
                luns = Directory.GetDirectories(target, "*:*:*:*");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (string lun in luns)
            {
                yield return lun;
            }
        }
    }
}
