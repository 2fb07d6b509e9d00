using System.Buffers;
using System.Text;
using System.Text.Unicode;
using IscsiNative.Formatting;
using IscsiNative.Netlink;
using IscsiNative.Sysfs;

namespace IscsiNative.Fuzz;

/// <summary>
/// The sysfs directory walk: the input describes a fake tree (sysfs under <c>sys/</c>, device nodes under <c>dev/</c>),
/// built in a temporary directory; then everything the library reads from sysfs walks it: the enumeration
/// (<see cref="SysfsSessionReader.EnumerateSessions()"/>, every accessor of every entry and device,
/// <see cref="IscsiSessionEntry.ToSession"/>, <see cref="SysfsSessionReader.GetSessions"/>,
/// <see cref="SysfsSessionReader.TryGetSession"/>), the <c>iscsiadm -m session -P 0..3</c> text, the transport class
/// version, and the System.IO reads of login, logout, rescan and recovery (host number, LUN probe, rescan files,
/// exp_statsn) and the transport handle. Only <see cref="IscsiSysfsException"/> (a numeric attribute that is not a
/// number) and, for the transport handle, <see cref="IscsiKernelException"/>/<see cref="UnauthorizedAccessException"/>
/// are documented; anything else, and a walk that reports more than the tree holds, is a finding.
/// </summary>
/// <remarks>
/// Input: lines (<c>\n</c>), each one entry; unknown lines are ignored.
/// <list type="bullet">
/// <item><c>d PATH</c>: a directory.</item>
/// <item><c>f PATH=VALUE</c>: a file holding VALUE and a newline, as the kernel writes attributes;
/// <c>F PATH=VALUE</c> without the newline; <c>r PATH=N:C</c> the byte C repeated N times (N up to 65536: attributes
/// larger than a page).</item>
/// <item><c>l PATH&gt;TARGET</c>: a symbolic link (dangling, looping and pointing at files or directories alike).</item>
/// </list>
/// PATH is relative to the tree root, its parents are created as needed. The tree stays inside its directory, so the
/// walk cannot reach the machine's real files: a path with a <c>..</c> component or below an existing link or file is
/// skipped, and a link target other than <c>../</c>* followed by names (at most as many <c>../</c> as the link is
/// deep), or <c>/</c> followed by names (taken from the tree root), becomes a dangling link. At most 1024 entries.
/// </remarks>
public static class SysfsTreeTarget
{
    private const int MaxEntries = 1024;
    private const int MaxRepeat = 65536;
    // On tmpfs when there is one: on the shared machine's ext4 /tmp an input of the captured tree took about 1 s of
    // directory-metadata I/O (4 exec/s under afl), on /dev/shm a fraction of that.
    private static readonly string BaseDirectory = Path.Combine(
        Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"iscsinative-fuzz-sysfs-{Environment.ProcessId}");
    private static int s_tree;

    public static void Run(ReadOnlySpan<byte> input)
    {
        string root = Path.Combine(BaseDirectory, (++s_tree).ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            Directory.CreateDirectory(root);
            int entries = Build(root, input);
            Walk(root, entries, SessionNames(root));
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Creates the entries of the input under <paramref name="root"/>; returns how many were made.</summary>
    private static int Build(string root, ReadOnlySpan<byte> input)
    {
        var kinds = new Dictionary<string, char>(StringComparer.Ordinal) { [string.Empty] = 'd' };
        int made = 0;
        foreach (Range r in input.Split((byte)'\n'))
        {
            ReadOnlySpan<byte> line = input[r];
            if (made >= MaxEntries)
            {
                break;
            }

            if (line.Length < 3 || line[1] != (byte)' ' || line[0] is not ((byte)'d' or (byte)'f' or (byte)'F' or (byte)'r' or (byte)'l'))
            {
                continue;
            }

            char kind = (char)line[0];
            ReadOnlySpan<byte> rest = line[2..];
            int split = kind == 'd' ? -1 : rest.IndexOf(kind == 'l' ? (byte)'>' : (byte)'=');
            ReadOnlySpan<byte> pathBytes = split < 0 ? rest : rest[..split];
            ReadOnlySpan<byte> value = split < 0 ? default : rest[(split + 1)..];
            if (kind != 'd' && split < 0)
            {
                continue;
            }

            if (!TryRelativePath(pathBytes, out string[] parts) || parts.Length == 0 || !TryParents(root, parts, kinds))
            {
                continue;
            }

            string relative = string.Join('/', parts);
            string full = Path.Combine(root, relative);
            if (kinds.ContainsKey(relative))
            {
                continue;
            }

            try
            {
                switch (kind)
                {
                    case 'd':
                        Directory.CreateDirectory(full);
                        break;
                    case 'f' or 'F':
                        using (var file = File.Create(full))
                        {
                            file.Write(value);
                            if (kind == 'f')
                            {
                                file.WriteByte((byte)'\n');
                            }
                        }

                        break;
                    case 'r':
                        int colon = value.IndexOf((byte)':');
                        int count = 0;
                        foreach (byte b in colon < 0 ? value : value[..colon])
                        {
                            count = b is >= (byte)'0' and <= (byte)'9' ? Math.Min(MaxRepeat, (count * 10) + (b - '0')) : count;
                        }

                        byte fill = colon >= 0 && colon + 1 < value.Length ? value[colon + 1] : (byte)'9';
                        byte[] content = new byte[count];
                        content.AsSpan().Fill(fill);
                        File.WriteAllBytes(full, content);
                        kind = 'f';
                        break;
                    default:
                        File.CreateSymbolicLink(full, LinkTarget(root, parts.Length - 1, value));
                        break;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                continue; // ENAMETOOLONG and the like: the harness could not make it
            }

            kinds[relative] = kind;
            made++;
        }

        return made;
    }

    /// <summary>The entries of <c>sys/class/iscsi_session</c> as built (files, directories and links alike).</summary>
    private static HashSet<string> SessionNames(string root)
    {
        string dir = Path.Combine(root, "sys", "class", "iscsi_session");
        try
        {
            return new HashSet<string>(Directory.GetFileSystemEntries(dir).Select(e => Path.GetFileName(e)), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The components of a relative path; false for <c>..</c>, NUL or text that is not UTF-8.</summary>
    private static bool TryRelativePath(ReadOnlySpan<byte> path, out string[] parts)
    {
        parts = [];
        if (path.IndexOf((byte)0) >= 0 || !Utf8.IsValid(path))
        {
            return false;
        }

        var list = new List<string>();
        foreach (string part in Encoding.UTF8.GetString(path).Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == ".." || list.Count >= 32)
            {
                return false;
            }

            list.Add(part);
        }

        parts = [.. list];
        return true;
    }

    /// <summary>Creates the missing parents of <paramref name="parts"/>; false when one is a link or a file.</summary>
    private static bool TryParents(string root, string[] parts, Dictionary<string, char> kinds)
    {
        string relative = string.Empty;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            relative = i == 0 ? parts[0] : relative + "/" + parts[i];
            if (kinds.TryGetValue(relative, out char kind))
            {
                if (kind != 'd')
                {
                    return false;
                }

                continue;
            }

            try
            {
                Directory.CreateDirectory(Path.Combine(root, relative));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                return false;
            }

            kinds[relative] = 'd';
        }

        return true;
    }

    /// <summary>The link's target as given when it stays in the tree (see the remarks), else a dangling name.</summary>
    private static string LinkTarget(string root, int depth, ReadOnlySpan<byte> target)
    {
        const string Dangling = "dangling-link-target";
        if (target.IsEmpty || target.IndexOf((byte)0) >= 0 || !Utf8.IsValid(target))
        {
            return Dangling;
        }

        string text = Encoding.UTF8.GetString(target);
        bool absolute = text[0] == '/';
        string[] parts = text.Split('/');
        int up = 0;
        bool named = false;
        foreach (string part in parts)
        {
            if (part == "..")
            {
                if (absolute || named || ++up > depth)
                {
                    return Dangling;
                }
            }
            else if (part is not ("" or "."))
            {
                named = true;
            }
        }

        return absolute ? root + text : text;
    }

    private static void Walk(string root, int entries, HashSet<string> sessionNames)
    {
        string sys = Path.Combine(root, "sys");
        string dev = Path.Combine(root, "dev");
        using var reader = new SysfsSessionReader(sys, dev);
        var sids = new List<int>();
        foreach (ref readonly IscsiSessionEntry entry in reader.EnumerateSessions())
        {
            int sid = entry.Sid;
            FuzzInvariantException.Check(sessionNames.Any(n => Named(n, sid)), $"session {sid} enumerated without a sessionN entry");
            FuzzInvariantException.Check(entry.Devices.Length <= entries, "more devices than entries in the tree");
            sids.Add(sid);
            Touch(entry);
        }

        FuzzInvariantException.Check(sids.Count <= sessionNames.Count, "more sessions than sessionN entries");
        try
        {
            FuzzInvariantException.Check(reader.GetSessions().Count == sids.Count, "GetSessions and the enumeration disagree");
        }
        catch (IscsiSysfsException)
        {
        }

        foreach (int sid in sids)
        {
            try
            {
                FuzzInvariantException.Check(reader.TryGetSession(sid, out IscsiSession? one) && one!.Sid == sid, $"session {sid} enumerated but not found alone");
            }
            catch (IscsiSysfsException)
            {
            }

            ControlReads(reader, (uint)sid);
        }

        ControlReads(reader, 0);
        _ = reader.TryReadHostNumber(uint.MaxValue);
        Span<byte> version = stackalloc byte[128];
        if (reader.TryReadTransportClassVersion(version, out int written))
        {
            FuzzInvariantException.Check(written is > 0 and <= 128, "transport class version length");
        }

        var output = new ArrayBufferWriter<byte>();
        for (int level = -1; level <= 3; level++)
        {
            output.Clear();
            try
            {
                FuzzInvariantException.Check(IscsiadmSessionWriter.WriteSessions(reader, output, level) == sids.Count, $"-P {level} wrote another number of sessions");
            }
            catch (IscsiSysfsException)
            {
            }
        }

        try
        {
            _ = IscsiTransportHandle.Read(sys, "tcp");
        }
        catch (Exception e) when (e is IscsiKernelException or UnauthorizedAccessException)
        {
        }
    }

    private static bool Named(string name, int sid) =>
        name.StartsWith("session", StringComparison.Ordinal) && int.TryParse(name.AsSpan("session".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n == sid;

    /// <summary>Every accessor of an entry; the numeric ones may throw <see cref="IscsiSysfsException"/>.</summary>
    private static void Touch(in IscsiSessionEntry e)
    {
        int bytes = e.TargetName.Length + e.StateText.Length + e.Address.Length + e.PersistentAddress.Length + e.ConnectionStateText.Length
            + e.IfaceName.Length + e.TransportName.Length + e.InitiatorName.Length + e.IfaceIPAddress.Length + e.IfaceHWAddress.Length
            + e.IfaceNetdev.Length + e.Username.Length + e.UsernameIn.Length + e.HostState.Length;
        FuzzInvariantException.Check(bytes >= 0 && e.HostNumber is null or >= 0, "entry spans");
        _ = (e.State, e.IsFlash, e.IsTransportLoaded);
        foreach (Func<IscsiSessionEntry, object?> number in Numbers)
        {
            try
            {
                _ = number(e);
            }
            catch (IscsiSysfsException)
            {
            }
        }

        foreach (IscsiDeviceEntry d in e.Devices)
        {
            FuzzInvariantException.Check(d.HostNumber >= 0 && d.Channel >= 0 && d.Target >= 0 && d.Lun >= 0, "negative H:C:T:L");
            FuzzInvariantException.Check(d.HasBlockDevice == !d.BlockDeviceName.IsEmpty, "block device name");
            IscsiDevice device = d.ToDevice();
            FuzzInvariantException.Check(device.BlockDevice is null || !device.BlockDevice.Contains('/'), "block device name with a slash");
        }

        try
        {
            IscsiSession s = e.ToSession();
            FuzzInvariantException.Check(s.Sid == e.Sid && s.Devices.Count == e.Devices.Length, "ToSession differs from the entry");
        }
        catch (IscsiSysfsException)
        {
        }
    }

    private static readonly Func<IscsiSessionEntry, object?>[] Numbers =
    [
        e => e.Tpgt, e => e.Creator, e => e.Port, e => e.PersistentPort, e => e.RecoveryTimeout, e => e.TargetResetTimeout,
        e => e.LunResetTimeout, e => e.AbortTimeout, e => e.HeaderDigest, e => e.DataDigest, e => e.MaxRecvDataSegmentLength,
        e => e.MaxXmitDataSegmentLength, e => e.FirstBurstLength, e => e.MaxBurstLength, e => e.ImmediateData, e => e.InitialR2T,
        e => e.MaxOutstandingR2T,
    ];

    /// <summary>The System.IO reads of login, logout, rescan and recovery for one session id.</summary>
    private static void ControlReads(SysfsSessionReader reader, uint sid)
    {
        _ = reader.SessionExists(sid);
        _ = reader.ConnectionExists(sid, 0);
        _ = reader.ReadExpStatSn(sid, 0);
        int? host = reader.TryReadSessionHostNumber(sid);
        FuzzInvariantException.Check(host is null or >= 0, "negative host number");
        _ = reader.TryReadHostNumber(sid);
        _ = reader.RescanFiles(sid);
        _ = reader.TryProbe(sid, out List<IscsiDevice> devices);
        FuzzInvariantException.Check(devices.All(d => d.Lun >= 0 && d.HostNumber >= 0), "negative LUN or host from the probe");
        _ = SysfsSessionReader.TryReadText(Path.Combine(reader.SessionDirectory(sid), "state"));
    }
}
