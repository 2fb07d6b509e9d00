using IscsiNative.Sysfs;
using System.Globalization;

namespace IscsiNative.Initiator;

/// <summary>
/// "Is iscsid running?" without talking to it: its management socket in <c>/proc/net/unix</c> (the abstract name shows
/// as <c>@ISCSIADM_ABSTRACT_NAMESPACE</c>; systemd's iscsid.socket listens there too, which counts: the next iscsiadm
/// starts iscsid), else <c>/run/iscsid.pid</c> naming a live process whose comm is <c>iscsid</c>.
/// </summary>
internal static class IscsidPresence
{
    /// <summary>Detects iscsid.</summary>
    /// <param name="procRoot">procfs.</param>
    /// <param name="pidFile">iscsid's pid file.</param>
    /// <param name="abstractName">The socket name without the leading <c>@</c>.</param>
    /// <param name="pid">iscsid's pid when the pid file names a live iscsid.</param>
    /// <returns>True when iscsid (or its socket) is there.</returns>
    internal static bool IsRunning(string procRoot, string pidFile, string abstractName, out int? pid)
    {
        pid = LivePid(procRoot, pidFile);
        if (pid is not null)
        {
            return true;
        }

        if (!SocketListed(procRoot, abstractName))
        {
            return false;
        }

        pid = FindByComm(procRoot);
        return true;
    }

    private static bool SocketListed(string procRoot, string abstractName)
    {
        string wanted = " @" + abstractName;
        try
        {
            foreach (string line in File.ReadLines(Path.Combine(procRoot, "net", "unix")))
            {
                if (line.EndsWith(wanted, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return false;
    }

    private static int? FindByComm(string procRoot)
    {
        try
        {
            foreach (string dir in Directory.EnumerateDirectories(procRoot))
            {
                if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                    && SysfsSessionReader.TryReadText(Path.Combine(dir, "comm")) == "iscsid")
                {
                    return pid;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static int? LivePid(string procRoot, string pidFile)
    {
        try
        {
            if (!int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0)
            {
                return null;
            }

            string comm = File.ReadAllText(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "comm")).Trim();
            return comm == "iscsid" ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
