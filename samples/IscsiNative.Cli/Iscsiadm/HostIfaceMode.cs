using System.Buffers;
using System.Globalization;
using System.Text;
using IscsiNative.Formatting;
using IscsiNative.Nodes;
using IscsiNative.Sysfs;

namespace IscsiNative.Cli.Iscsiadm;

/// <summary><c>-m iface</c> (listing and showing ifaces) and <c>-m host</c> (the flat host list).</summary>
internal static class HostIfaceMode
{
    /// <summary>One iface as <c>-m iface</c> lists it.</summary>
    internal sealed record IfaceRow(string Name, string Transport, string HwAddress, string IpAddress, string NetDev, string InitiatorName);

    /// <summary>One iSCSI host as <c>-m host</c> lists it.</summary>
    internal sealed record HostRow(int HostNumber, string Transport, string IpAddress, string HwAddress, string NetDev, string InitiatorName);

    internal static int RunIface(IscsiadmArgs a, CliEnvironment env)
    {
        if (a.Ifaces.Count > 1)
        {
            env.Error($"iface mode only accepts one interface. Using the first one {a.Ifaces[0]}.");
        }

        if (a.SubMode != -1)
        {
            env.Stderr.Write("iscsinat: -m iface -C ping is not supported\n");
            return (int)IscsiadmExitCode.OperationNotSupported;
        }

        if (a.Op is not (IscsiadmOp.Noop or IscsiadmOp.Show))
        {
            env.Stderr.Write("iscsinat: iface mode supports listing and showing only\n");
            return (int)IscsiadmExitCode.OperationNotSupported;
        }

        if (a.InfoLevel is not (0 or -1 or 1))
        {
            env.Error($"Invalid info level {a.InfoLevel}. Try 0 - 1.");
            return (int)IscsiadmExitCode.InvalidParameter;
        }

        if (a.InfoLevel == 1 && !a.Json && NodeOps.Db(env).Query().Nodes.Count == 0)
        {
            // print_iface_tree returns before it looks the iface up when there are no node records.
            return 0;
        }

        List<IscsiIfaceRecord> ifaces = Ifaces(env);
        IscsiIfaceRecord? one = null;
        if (a.Ifaces.Count > 0)
        {
            one = ifaces.FirstOrDefault(i => i.Name == a.Ifaces[0]);
            if (one is null)
            {
                // libopeniscsiusr's own error line (iscsi_iface_get -> _idbm_recs_read) and its LIBISCSI_ERR_IDBM.
                string path = Path.Combine(env.NodeDatabase.Root, "ifaces", a.Ifaces[0]);
                env.Stderr.Write($"iSCSI ERROR: Failed to open {path} using read mode: 2 No such file or directory # idbm.c:_idbm_recs_read():834\n");
                env.Stderr.Flush();
                return 6;
            }
        }

        if (a.InfoLevel == 1 && !a.Json)
        {
            return PrintIfaceTree(env, one is null ? ifaces : [one]);
        }

        if (one is not null && !a.Json)
        {
            Commands.CliOutput.Raw(env, one.Format());
            return 0;
        }

        List<IfaceRow> rows = [.. (one is null ? ifaces : [one]).Select(i => new IfaceRow(i.Name, i.TransportName, i.HardwareAddress ?? "", i.IPAddress ?? "", i.NetworkDevice ?? "", i.InitiatorName ?? ""))];
        if (a.Json)
        {
            CliJson.WriteIfaces(env, rows);
            return 0;
        }

        var sb = new StringBuilder();
        foreach (IfaceRow r in rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{U(r.Name)} {U(r.Transport)},{U(r.HwAddress)},{U(r.IpAddress)},{U(r.NetDev)},{U(r.InitiatorName)}\n");
        }

        Commands.CliOutput.Raw(env, sb.ToString());
        return 0;
    }

    /// <summary>print_iface_tree: per iface, <c>Iface: NAME</c> and the node records bound to it (nothing at all without records).</summary>
    private static int PrintIfaceTree(CliEnvironment env, List<IscsiIfaceRecord> ifaces)
    {
        IReadOnlyList<IscsiNodeRecord> nodes = NodeOps.Db(env).Query().Nodes;
        if (nodes.Count == 0)
        {
            return 0;
        }

        var sb = new StringBuilder();
        foreach (IscsiIfaceRecord iface in ifaces)
        {
            sb.Append("Iface: ").Append(iface.Name).Append('\n');
            string? previous = null;
            foreach (IscsiNodeRecord n in nodes.Where(n => n.IfaceName == iface.Name))
            {
                if (previous != n.TargetName)
                {
                    sb.Append("\tTarget: ").Append(n.TargetName).Append('\n');
                }

                sb.Append(CultureInfo.InvariantCulture, $"\t\tPortal: {NodeOps.PortalText(n.Portal.Address, n.Portal.Port)},{n.Tpgt}\n");
                previous = n.TargetName;
            }
        }

        Commands.CliOutput.Raw(env, sb.ToString());
        return 0;
    }

    internal static int RunHost(IscsiadmArgs a, CliEnvironment env)
    {
        if (a.SubMode != -1)
        {
            env.Stderr.Write("iscsinat: host submodes (chap, flashnode, stats) need offload hardware and are not supported\n");
            return (int)IscsiadmExitCode.OperationNotSupported;
        }

        if (a.InfoLevel is < -1 or > 4)
        {
            env.Error($"Invalid info level {a.InfoLevel}. Try 0 - 4.");
            return (int)IscsiadmExitCode.InvalidParameter;
        }

        List<HostRow> hosts = Hosts(env.DefaultSysfsRoot);
        if (a.Json)
        {
            CliJson.WriteHosts(env, hosts);
        }
        else if (a.InfoLevel is 0 or -1)
        {
            var sb = new StringBuilder();
            foreach (HostRow h in hosts)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{U(h.Transport)}: [{h.HostNumber}] {IpText(h.IpAddress)},[{U(h.HwAddress)}],{U(h.NetDev)} {U(h.InitiatorName)}\n");
            }

            Commands.CliOutput.Raw(env, sb.ToString());
        }
        else
        {
            // host_info_print's single-host branch only runs for host numbers above MAX_HOST_NO, which -H rejects:
            // a valid -H changes nothing, every host is printed.
            WriteHostTree(env, hosts, a.InfoLevel);
        }

        if (hosts.Count == 0)
        {
            env.Error("No iSCSI hosts.");
            return (int)IscsiadmExitCode.NoObjectsFound;
        }

        return 0;
    }

    /// <summary>usr/host.c host_info_print_tree for each host; levels 2..4 add the host's sessions, indented one tab.</summary>
    private static void WriteHostTree(CliEnvironment env, List<HostRow> hosts, int level)
    {
        SessionTreeSections sections = level switch
        {
            4 => SessionTreeSections.Iface | SessionTreeSections.State | SessionTreeSections.Params | SessionTreeSections.ScsiDevices,
            3 => SessionTreeSections.Iface | SessionTreeSections.State | SessionTreeSections.Params,
            2 => SessionTreeSections.Iface | SessionTreeSections.State,
            _ => SessionTreeSections.None,
        };
        var text = new StringBuilder();
        using var reader = new SysfsSessionReader(env.DefaultSysfsRoot);
        if (level == 4)
        {
            Span<byte> version = stackalloc byte[128];
            if (reader.TryReadTransportClassVersion(version, out int n))
            {
                text.Append("iSCSI Transport Class version ").Append(Encoding.UTF8.GetString(version[..n]))
                    .Append("\nversion ").Append(IscsiadmCommand.Version).Append('\n');
            }
        }

        foreach (HostRow h in hosts)
        {
            string state = Read(Path.Combine(env.DefaultSysfsRoot, "class", "scsi_host", "host" + h.HostNumber.ToString(CultureInfo.InvariantCulture), "state"));
            text.Append(CultureInfo.InvariantCulture, $"Host Number: {h.HostNumber}\n\tState: {(state.Length == 0 ? "Unknown" : state)}\n");
            text.Append(CultureInfo.InvariantCulture, $"\tTransport: {U(h.Transport)}\n\tInitiatorname: {U(h.InitiatorName)}\n\tIPaddress: {IpText(h.IpAddress)}\n");
            text.Append(CultureInfo.InvariantCulture, $"\tHWaddress: {U(h.HwAddress)}\n\tNetdev: {U(h.NetDev)}\n");
            if (level < 2)
            {
                continue;
            }

            var output = new ArrayBufferWriter<byte>(4096);
            var writer = new IscsiadmSessionWriter(output, sections, env.IscsidStates);
            int count = 0;
            foreach (ref readonly IscsiSessionEntry s in reader.EnumerateSessions(IscsiSessionFields.All))
            {
                if (s.HostNumber == h.HostNumber)
                {
                    writer.WriteSession(s);
                    count++;
                }
            }

            if (count == 0)
            {
                continue;
            }

            text.Append("\t*********\n\tSessions:\n\t*********\n");
            foreach (string line in Encoding.UTF8.GetString(output.WrittenSpan).Split('\n'))
            {
                if (line.Length > 0)
                {
                    text.Append('\t').Append(line).Append('\n');
                }
                else
                {
                    text.Append('\n');
                }
            }

            // Split leaves one empty piece after the last newline.
            text.Length--;
        }

        Commands.CliOutput.Raw(env, text.ToString());
    }

    private static string IpText(string ip) => ip.Length == 0 ? "<empty>" : ip.Contains('.') ? ip : $"[{ip}]";

    /// <summary>libopeniscsiusr iscsi_ifaces_get: the iface records of the database (alphasort), then the built-in default (tcp) and iser.</summary>
    internal static List<IscsiIfaceRecord> Ifaces(CliEnvironment env)
    {
        List<IscsiIfaceRecord> list = [.. NodeOps.Db(env).GetIfaces()];
        list.Add(new("default") { TransportName = "tcp" });
        list.Add(new("iser") { TransportName = "iser" });
        return list;
    }

    /// <summary>/sys/class/iscsi_host/hostN in alphasort order, with the transport from the SCSI host's proc_name.</summary>
    internal static List<HostRow> Hosts(string sysfsRoot)
    {
        string dir = Path.Combine(sysfsRoot, "class", "iscsi_host");
        var rows = new List<HostRow>();
        if (!Directory.Exists(dir))
        {
            return rows;
        }

        foreach (string name in Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal))
        {
            if (!name.StartsWith("host", StringComparison.Ordinal) || !int.TryParse(name.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            {
                continue;
            }

            string proc = Read(Path.Combine(sysfsRoot, "class", "scsi_host", name, "proc_name"));
            string transport = proc.StartsWith("iscsi_", StringComparison.Ordinal) ? proc["iscsi_".Length..] : proc;
            string Attr(string attr) => Read(Path.Combine(dir, name, attr));
            rows.Add(new HostRow(n, transport, Attr("ipaddress"), Attr("hwaddress"), Attr("netdev"), Attr("initiatorname")));
        }

        return rows;
    }

    private static string Read(string path)
    {
        try
        {
            string v = File.ReadAllText(path).TrimEnd('\n');
            return v == "(null)" ? "" : v;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static string U(string v) => v.Length == 0 ? "<empty>" : v;
}
