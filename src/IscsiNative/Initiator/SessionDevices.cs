using System.Globalization;
using IscsiNative.Sysfs;

namespace IscsiNative.Initiator;

/// <summary>
/// LUN scan and the wait for block devices. The scan write is synchronous in the kernel and can block for long,
/// so it runs on its own thread; the wait polls sysfs with backoff. Both are bounded by one timeout and a token.
/// </summary>
internal static class SessionDevices
{
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Writes <c>- - -</c> to the host's scan file, then waits until every LUN's block device is ready.</summary>
    /// <exception cref="IscsiTimeoutException">Scan plus wait took longer than <paramref name="timeout"/>.</exception>
    /// <exception cref="IscsiException">The kernel refused the scan.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    internal static async Task<IReadOnlyList<IscsiDevice>> ScanAndWaitAsync(
        string root, uint sid, int host, IEnumerable<string>? rescanFirst, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        string scanFile = SessionSysfs.HostScanFile(root, host);
        Task scan = Task.Factory.StartNew(
            () =>
            {
                foreach (string rescan in rescanFirst ?? [])
                {
                    SessionSysfs.Write(rescan, "1");
                }

                SessionSysfs.Write(scanFile, "- - -");
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            await scan.WaitAsync(deadline.Token).ConfigureAwait(false);
            return await WaitForDevicesAsync(root, sid, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            string what = scan.IsCompleted ? "block devices" : "LUN scan";
            throw new IscsiTimeoutException(what, timeout, $"session {sid}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IscsiException($"Session {sid}: the LUN scan of host{host} failed: {e.Message}", e);
        }
    }

    /// <summary>Polls until every SCSI device of the session is ready (disks: block device, device node, running).</summary>
    internal static async Task<IReadOnlyList<IscsiDevice>> WaitForDevicesAsync(string root, uint sid, CancellationToken cancellationToken)
    {
        TimeSpan delay = TimeSpan.FromMilliseconds(2);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryProbe(root, sid, out List<IscsiDevice> devices))
            {
                return devices;
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPollDelay.Ticks));
        }
    }

    /// <summary>The sysfs <c>rescan</c> files of the session's existing LUNs (iscsiadm --rescan writes 1 to each).</summary>
    internal static List<string> RescanFiles(string root, uint sid)
    {
        var files = new List<string>();
        foreach (string lun in LunDirectories(root, sid))
        {
            files.Add(Path.Combine(lun, "rescan"));
        }

        return files;
    }

    /// <summary>Reads the session's devices; false while a disk has no usable block device yet.</summary>
    internal static bool TryProbe(string root, uint sid, out List<IscsiDevice> devices)
    {
        devices = [];
        bool ready = true;
        foreach (string lunDir in LunDirectories(root, sid))
        {
            string[] hctl = Path.GetFileName(lunDir).Split(':');
            if (hctl.Length != 4 || !int.TryParse(hctl[0], CultureInfo.InvariantCulture, out int h) || !int.TryParse(hctl[1], CultureInfo.InvariantCulture, out int c)
                || !int.TryParse(hctl[2], CultureInfo.InvariantCulture, out int t) || !int.TryParse(hctl[3], CultureInfo.InvariantCulture, out int l))
            {
                continue;
            }

            int type = int.TryParse(SessionSysfs.TryRead(Path.Combine(lunDir, "type")), CultureInfo.InvariantCulture, out int tp) ? tp : -1;
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

    private static string? ReadyBlockDevice(string lunDir)
    {
        if (SessionSysfs.TryRead(Path.Combine(lunDir, "state")) != "running")
        {
            return null;
        }

        string blockDir = Path.Combine(lunDir, "block");
        try
        {
            foreach (string disk in Directory.EnumerateFileSystemEntries(blockDir))
            {
                string name = Path.GetFileName(disk);
                if (SessionSysfs.TryRead(Path.Combine(disk, "size")) is not null && File.Exists("/dev/" + name))
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

    private static IEnumerable<string> LunDirectories(string root, uint sid)
    {
        string device = Path.Combine(SessionSysfs.SessionDirectory(root, sid), "device");
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
