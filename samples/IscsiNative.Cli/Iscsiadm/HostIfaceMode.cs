using System.Globalization;
using System.Text;
using IscsiNative.Formatting;
using IscsiNative.Nodes;

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

        if (a.Op is not (IscsiadmOp.Noop or IscsiadmOp.Show))
        {
            env.Stderr.Write("iscsinat: iface mode supports listing and showing only\n");
            return (int)IscsiadmExitCode.OperationNotSupported;
        }

        if (a.InfoLevel is not (0 or -1))
        {
            if (a.InfoLevel == 1)
            {
                env.Stderr.Write("iscsinat: -m iface -P 1 is not supported\n");
                return (int)IscsiadmExitCode.OperationNotSupported;
            }

            env.Error($"Invalid info level {a.InfoLevel}. Try 0 - 1.");
            return (int)IscsiadmExitCode.InvalidParameter;
        }

        List<IscsiIfaceRecord> ifaces = Ifaces(env);
        if (a.Ifaces.Count > 0)
        {
            IscsiIfaceRecord? one = ifaces.FirstOrDefault(i => i.Name == a.Ifaces[0]);
            if (one is null)
            {
                env.Error($"Could not read iface info for {a.Ifaces[0]}.");
                return (int)IscsiadmExitCode.NoObjectsFound;
            }

            Commands.CliOutput.Raw(env, one.Format());
            return 0;
        }

        List<IfaceRow> rows = [.. ifaces.Select(i => new IfaceRow(i.Name, i.TransportName, i.HardwareAddress ?? "", i.IPAddress ?? "", i.NetworkDevice ?? "", i.InitiatorName ?? ""))];
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

    internal static int RunHost(IscsiadmArgs a, CliEnvironment env)
    {
        if (a.SubMode != -1)
        {
            env.Stderr.Write("iscsinat: host submodes (chap, flashnode, stats) need offload hardware and are not supported\n");
            return (int)IscsiadmExitCode.OperationNotSupported;
        }

        if (a.InfoLevel is not (0 or -1))
        {
            if (a.InfoLevel is >= 1 and <= 4)
            {
                env.Stderr.Write("iscsinat: -m host -P 1..4 is not supported\n");
                return (int)IscsiadmExitCode.OperationNotSupported;
            }

            env.Error($"Invalid info level {a.InfoLevel}. Try 0 - 4.");
            return (int)IscsiadmExitCode.InvalidParameter;
        }

        List<HostRow> hosts = Hosts(env.DefaultSysfsRoot);
        if (a.Json)
        {
            CliJson.WriteHosts(env, hosts);
        }
        else
        {
            var sb = new StringBuilder();
            foreach (HostRow h in hosts)
            {
                string ip = h.IpAddress.Length == 0 ? "<empty>" : h.IpAddress.Contains('.') ? h.IpAddress : $"[{h.IpAddress}]";
                sb.Append(CultureInfo.InvariantCulture, $"{U(h.Transport)}: [{h.HostNumber}] {ip},[{U(h.HwAddress)}],{U(h.NetDev)} {U(h.InitiatorName)}\n");
            }

            Commands.CliOutput.Raw(env, sb.ToString());
        }

        if (hosts.Count == 0)
        {
            env.Error("No iSCSI hosts.");
            return (int)IscsiadmExitCode.NoObjectsFound;
        }

        return 0;
    }

    /// <summary>The built-in ifaces (default over tcp, iser) followed by the iface records of the database.</summary>
    internal static List<IscsiIfaceRecord> Ifaces(CliEnvironment env)
    {
        var list = new List<IscsiIfaceRecord>
        {
            new("default") { TransportName = "tcp" },
            new("iser") { TransportName = "iser" },
        };
        list.AddRange(NodeOps.Db(env).GetIfaces().Where(i => i.Name is not ("default" or "iser")));
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
