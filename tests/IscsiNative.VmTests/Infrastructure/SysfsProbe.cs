using System.Globalization;

namespace IscsiNative.VmTests.Infrastructure;

/// <summary>
/// A deliberately simple, independent reader of the live iSCSI sysfs, used by the tests to observe the kernel
/// (it is not the library's sysfs API, which the tests compare against iscsiadm).
/// </summary>
public static class SysfsProbe
{
    /// <summary>The sysfs class directory of iSCSI sessions.</summary>
    public const string SessionClass = "/sys/class/iscsi_session";

    /// <summary>Lists the current sessions, ordered by session id. Sessions that vanish while being read are left out.</summary>
    /// <returns>The sessions.</returns>
    public static IReadOnlyList<ProbedSession> Sessions()
    {
        var sessions = new List<ProbedSession>();
        if (!Directory.Exists(SessionClass))
        {
            return sessions;
        }

        foreach (string dir in Directory.GetFileSystemEntries(SessionClass, "session*"))
        {
            if (!int.TryParse(Path.GetFileName(dir).AsSpan("session".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int sid))
            {
                continue;
            }

            try
            {
                sessions.Add(new ProbedSession(sid, ReadAttribute(dir, "targetname"), ReadAttribute(dir, "state")));
            }
            catch (IOException)
            {
                // logged out meanwhile
            }
        }

        sessions.Sort((a, b) => a.Sid.CompareTo(b.Sid));
        return sessions;
    }

    /// <summary>Returns the sessions to <paramref name="targetName"/>.</summary>
    /// <param name="targetName">The target IQN.</param>
    /// <returns>The matching sessions (usually zero or one).</returns>
    public static IReadOnlyList<ProbedSession> SessionsTo(string targetName) =>
        Sessions().Where(s => s.TargetName == targetName).ToList();

    /// <summary>Returns the names of the block devices (sdX) of a session, ordered by LUN.</summary>
    /// <param name="sid">The session id.</param>
    /// <returns>The disk names, e.g. "sda"; empty while the SCSI scan has not finished.</returns>
    public static IReadOnlyList<string> BlockDevices(int sid)
    {
        string device = Path.Combine(SessionClass, "session" + sid.ToString(CultureInfo.InvariantCulture), "device");
        var disks = new List<(int Lun, string Name)>();
        if (!Directory.Exists(device))
        {
            return [];
        }

        foreach (string target in Directory.GetDirectories(device, "target*"))
        {
            foreach (string hctl in Directory.GetDirectories(target, "*:*:*:*"))
            {
                string block = Path.Combine(hctl, "block");
                if (!Directory.Exists(block))
                {
                    continue;
                }

                int lun = int.Parse(Path.GetFileName(hctl).AsSpan(Path.GetFileName(hctl).LastIndexOf(':') + 1), CultureInfo.InvariantCulture);
                foreach (string disk in Directory.GetDirectories(block))
                {
                    disks.Add((lun, Path.GetFileName(disk)));
                }
            }
        }

        return disks.OrderBy(d => d.Lun).Select(d => d.Name).ToList();
    }

    /// <summary>Waits until the one session to <paramref name="targetName"/> shows <paramref name="diskCount"/> block devices in /dev.</summary>
    /// <param name="targetName">The target IQN.</param>
    /// <param name="diskCount">How many disks (LUNs) to expect.</param>
    /// <param name="timeout">The bound.</param>
    /// <returns>The session and its disk names (ordered by LUN), or null on timeout.</returns>
    public static (ProbedSession Session, IReadOnlyList<string> Disks)? WaitForDisks(string targetName, int diskCount, TimeSpan timeout)
    {
        (ProbedSession, IReadOnlyList<string>)? found = null;
        Wait.Until(
            () =>
            {
                IReadOnlyList<ProbedSession> sessions = SessionsTo(targetName);
                if (sessions.Count != 1)
                {
                    return false;
                }

                IReadOnlyList<string> disks = BlockDevices(sessions[0].Sid);
                if (disks.Count != diskCount || !disks.All(d => File.Exists("/dev/" + d)))
                {
                    return false;
                }

                found = (sessions[0], disks);
                return true;
            },
            timeout);
        return found;
    }

    /// <summary>Waits until the session to <paramref name="targetName"/> is in <paramref name="state"/>.</summary>
    /// <param name="targetName">The target IQN.</param>
    /// <param name="state">LOGGED_IN, FAILED or FREE.</param>
    /// <param name="timeout">The bound.</param>
    /// <returns>Whether it got there in time.</returns>
    public static bool WaitForState(string targetName, string state, TimeSpan timeout) =>
        Wait.Until(() => SessionsTo(targetName) is [{ } s] && s.State == state, timeout);

    /// <summary>Reads one sysfs attribute of a directory, without the trailing newline.</summary>
    /// <param name="directory">The sysfs directory.</param>
    /// <param name="name">The attribute file name.</param>
    /// <returns>The value.</returns>
    /// <exception cref="IOException">The attribute cannot be read.</exception>
    public static string ReadAttribute(string directory, string name) =>
        File.ReadAllText(Path.Combine(directory, name)).TrimEnd('\n');
}
