namespace IscsiNative.Tests.Sysfs;

/// <summary>
/// Writes a kernel-shaped iSCSI sysfs tree into a temp directory: per session the device directory
/// devices/platform/hostH/sessionN with iscsi_session, connection and target/LUN/block directories, and the
/// relative class links. "Unreadable" files (ENOTCONN in the kernel) are dangling links named ENOTCONN.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class SysfsTreeBuilder : IDisposable
{
    private readonly string _base;

    internal SysfsTreeBuilder()
    {
        _base = Directory.CreateTempSubdirectory("iscsinat-sysfs").FullName;
        File.SetUnixFileMode(_base, (UnixFileMode)0x1ED); // 0755: other users may traverse (EACCES tests)
        Root = Path.Combine(_base, "sys");
        Directory.CreateDirectory(Root);
        Write("module/scsi_transport_iscsi/version", "2.0-870\n");
        Write("devices/virtual/iscsi_transport/tcp/caps", "0x39\n");
        Link("class/iscsi_transport/tcp", "../../devices/virtual/iscsi_transport/tcp");
    }

    /// <summary>The sysfs root to hand to the reader.</summary>
    internal string Root { get; }

    /// <summary>
    /// A tree of <paramref name="count"/> sessions (sid 1..count on host sid-1), <paramref name="luns"/> LUNs each;
    /// every 4th session has an IPv6 portal, every 5th is FAILED.
    /// </summary>
    internal static SysfsTreeBuilder Generate(int count, int luns = 2)
    {
        var builder = new SysfsTreeBuilder();
        for (int sid = 1; sid <= count; sid++)
        {
            builder.AddSession(new SessionSpec
            {
                Sid = sid,
                Host = sid - 1,
                TargetName = $"iqn.2003-01.org.example:t{sid}",
                Address = sid % 4 == 0 ? "fd00:0000:0000:0000:0000:0000:0000:00" + (sid % 100).ToString("D2", System.Globalization.CultureInfo.InvariantCulture) : "10.0.0." + sid,
                Failed = sid % 5 == 0,
                Luns = luns,
            });
        }

        return builder;
    }

    internal SysfsTreeBuilder AddSession(SessionSpec spec)
    {
        int sid = spec.Sid;
        int host = spec.Host;
        string hostDir = $"devices/platform/host{host}";
        string sessionDir = $"{hostDir}/session{sid}";
        string s = $"{sessionDir}/iscsi_session/session{sid}";
        var attrs = new Dictionary<string, string>
        {
            ["targetname"] = spec.TargetName,
            ["tpgt"] = "1",
            ["state"] = spec.Failed ? "FAILED" : "LOGGED_IN",
            ["creator"] = spec.Flash ? "-1" : "199",
            ["recovery_tmo"] = spec.RecoveryTimeout,
            ["tgt_reset_tmo"] = "30",
            ["lu_reset_tmo"] = "30",
            ["abort_tmo"] = "15",
            ["first_burst_len"] = "65536",
            ["max_burst_len"] = "262144",
            ["immediate_data"] = "1",
            ["initial_r2t"] = "1",
            ["max_outstanding_r2t"] = "1",
            ["username"] = spec.Username,
            ["username_in"] = "(null)",
            ["password"] = spec.Password,
            ["password_in"] = "(null)",
            ["ifacename"] = "default",
            ["initiatorname"] = "iqn.1993-08.org.debian:01:builder",
        };
        foreach ((string name, string value) in attrs)
        {
            Write($"{s}/{name}", value + "\n");
        }

        Link($"class/iscsi_session/session{sid}", $"../../{s}");

        string c = $"{sessionDir}/connection{sid}:0/iscsi_connection/connection{sid}:0";
        Write($"{c}/persistent_address", spec.Address + "\n");
        Write($"{c}/persistent_port", spec.Port + "\n");
        Write($"{c}/state", spec.Failed ? "failed\n" : "up\n");
        Write($"{c}/header_digest", "0\n");
        Write($"{c}/data_digest", "0\n");
        Write($"{c}/max_recv_dlength", "262144\n");
        Write($"{c}/max_xmit_dlength", "262144\n");
        if (spec.Failed)
        {
            Link($"{c}/address", "ENOTCONN");
            Link($"{c}/port", "ENOTCONN");
        }
        else
        {
            Write($"{c}/address", spec.Address + "\n");
            Write($"{c}/port", spec.Port + "\n");
        }

        Link($"class/iscsi_connection/connection{sid}:0", $"../../{c}");

        string ih = $"{hostDir}/iscsi_host/host{host}";
        Write($"{ih}/hwaddress", "(null)\n");
        Write($"{ih}/netdev", "(null)\n");
        Write($"{ih}/initiatorname", "(null)\n");
        if (spec.Failed)
        {
            Link($"{ih}/ipaddress", "ENOTCONN");
        }
        else
        {
            Write($"{ih}/ipaddress", (spec.Address.Contains('.', StringComparison.Ordinal) ? "10.0.0.254" : "fd00:0000:0000:0000:0000:0000:0000:00fe") + "\n");
        }

        Link($"class/iscsi_host/host{host}", $"../../{ih}");

        string sh = $"{hostDir}/scsi_host/host{host}";
        Write($"{sh}/state", "running\n");
        Write($"{sh}/proc_name", "iscsi_tcp\n");
        Link($"class/scsi_host/host{host}", $"../../{sh}");

        string target = $"{sessionDir}/target{host}:0:0";
        Write($"{target}/uevent", "DEVTYPE=scsi_target\n");
        for (int lun = 0; lun < spec.Luns; lun++)
        {
            string lunDir = $"{target}/{host}:0:0:{lun}";
            Write($"{lunDir}/state", spec.Failed ? "blocked\n" : "running\n");
            Write($"{lunDir}/block/{BlockName(sid, lun)}/dev", "8:0\n");
        }

        return this;
    }

    /// <summary>Full path of a file below the root.</summary>
    internal string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>The iscsi_session attribute file of a session (through the class link).</summary>
    internal string SessionFile(int sid, string attribute) => PathOf($"class/iscsi_session/session{sid}/{attribute}");

    internal void Write(string relative, string content)
    {
        string path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null)
        {
            File.Delete(path);
        }

        File.WriteAllText(path, content);
    }

    internal void Link(string relative, string target)
    {
        string path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (new FileInfo(path).LinkTarget is not null || File.Exists(path))
        {
            File.Delete(path);
        }

        File.CreateSymbolicLink(path, target);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_base, true);
        }
        catch (IOException)
        {
        }
    }

    private static string BlockName(int sid, int lun)
    {
        int n = ((sid - 1) * 8) + lun;
        string name = string.Empty;
        do
        {
            name = (char)('a' + (n % 26)) + name;
            n = (n / 26) - 1;
        }
        while (n >= 0);
        return "sd" + name;
    }
}

/// <summary>What one generated session looks like.</summary>
internal sealed record SessionSpec
{
    public int Sid { get; init; }

    public int Host { get; init; }

    public string TargetName { get; init; } = "iqn.2003-01.org.example:t";

    public string Address { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 3260;

    public bool Failed { get; init; }

    public bool Flash { get; init; }

    public int Luns { get; init; } = 1;

    public string RecoveryTimeout { get; init; } = "120";

    public string Username { get; init; } = "(null)";

    public string Password { get; init; } = "(null)";
}
