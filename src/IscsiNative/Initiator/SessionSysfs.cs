using System.Globalization;

namespace IscsiNative.Initiator;

/// <summary>The few sysfs reads and writes of login, logout and rescan (System.IO; not a hot path).</summary>
internal static class SessionSysfs
{
    internal static string SessionDirectory(string root, uint sid) =>
        Path.Combine(root, "class", "iscsi_session", "session" + sid.ToString(CultureInfo.InvariantCulture));

    internal static string ConnectionDirectory(string root, uint sid, uint cid) =>
        Path.Combine(root, "class", "iscsi_connection", string.Create(CultureInfo.InvariantCulture, $"connection{sid}:{cid}"));

    internal static string HostScanFile(string root, int host) =>
        Path.Combine(root, "class", "scsi_host", "host" + host.ToString(CultureInfo.InvariantCulture), "scan");

    /// <summary>Reads an attribute without its trailing newline; null when missing or unreadable.</summary>
    internal static string? TryRead(string path)
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
    internal static uint ReadExpStatSn(string root, uint sid, uint cid) =>
        uint.TryParse(TryRead(Path.Combine(ConnectionDirectory(root, sid, cid), "exp_statsn")), NumberStyles.None, CultureInfo.InvariantCulture, out uint value) ? value : 0;

    internal static bool SessionExists(string root, uint sid) => Directory.Exists(SessionDirectory(root, sid));

    internal static bool ConnectionExists(string root, uint sid, uint cid) => Directory.Exists(ConnectionDirectory(root, sid, cid));

    /// <summary>The SCSI host of a session: the <c>iscsi_host/hostH</c> whose device holds <c>sessionN</c> (stat follows the links; no textual path games).</summary>
    internal static int? TryReadHostNumber(string root, uint sid)
    {
        string hosts = Path.Combine(root, "class", "iscsi_host");
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

    /// <summary>Writes a sysfs attribute in one write(2), no newline.</summary>
    internal static void Write(string path, string value)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        stream.Write(System.Text.Encoding.ASCII.GetBytes(value));
    }
}
