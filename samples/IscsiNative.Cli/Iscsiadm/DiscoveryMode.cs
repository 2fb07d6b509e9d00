using System.Globalization;
using System.Text;
using IscsiNative.Formatting;
using IscsiNative.Initiator;
using IscsiNative.Nodes;

namespace IscsiNative.Cli.Iscsiadm;

/// <summary><c>-m discovery</c> and <c>-m discoverydb</c> for SendTargets (usr/iscsiadm.c exec_disc_op, exec_disc2_op).</summary>
internal static class DiscoveryMode
{
    internal static int Run(IscsiadmArgs a, CliEnvironment env, bool db)
    {
        switch (a.Type)
        {
            case 0:
                int port = a.Port < 0 ? 3260 : a.Port;
                if (a.Ip is null)
                {
                    env.Error("Please specify portal as <ipaddr>[:<ipport>]");
                    return (int)IscsiadmExitCode.InvalidParameter;
                }

                var portal = new IscsiPortal(a.Ip, port);
                if (db)
                {
                    return RunDb(a, env, portal);
                }

                return SendTargets(a, env, portal, writeDiscoveryRecord: true);
            case 1:
                env.Error("SLP discovery is not fully implemented yet.");
                return (int)IscsiadmExitCode.InvalidParameter;
            case 2:
            case 3:
                env.Stderr.Write("iscsinat: only SendTargets discovery is supported\n");
                return (int)IscsiadmExitCode.OperationNotSupported;
        }

        if (a.Ip is not null)
        {
            if (db)
            {
                env.Error(a.Op != IscsiadmOp.Noop ? "Invalid command. Possibly missing discovery --type." : "Invalid command. Portal not needed or Possibly missing discovery --type.");
                return (int)IscsiadmExitCode.InvalidParameter;
            }

            var portal = new IscsiPortal(a.Ip, a.Port < 0 ? 3260 : a.Port);
            IscsiDiscoveryRecord? drec = NodeOps.Db(env).FindSendTargetsDiscovery(portal);
            if (drec is null)
            {
                env.Error($"Discovery record [{portal.Address},{portal.Port}] not found!");
                return (int)IscsiadmExitCode.InvalidParameter;
            }

            if (a.Discover || a.Login)
            {
                return SendTargets(a, env, portal, writeDiscoveryRecord: false);
            }

            return DiscoveryDbOp(a, env, portal, drec);
        }

        if (a.Op is IscsiadmOp.Noop or IscsiadmOp.Show)
        {
            return PrintAll(a, env);
        }

        env.Error(db ? "Invalid operation. Operation not supported." : "Invalid operation.");
        return (int)IscsiadmExitCode.InvalidParameter;
    }

    /// <summary>exec_discover, then exec_disc2_op's operations on the discovery record (do_db_op).</summary>
    private static int RunDb(IscsiadmArgs a, CliEnvironment env, IscsiPortal portal)
    {
        IscsiNodeDatabase database = NodeOps.Db(env);
        if (a.Op.HasFlag(IscsiadmOp.New) && !a.Discover)
        {
            database.AddSendTargetsDiscovery(portal);
            Commands.CliOutput.Raw(env, string.Create(CultureInfo.InvariantCulture, $"New discovery record for [{a.Ip},{portal.Port}] added.\n"));
            return 0;
        }

        IscsiDiscoveryRecord? drec = database.FindSendTargetsDiscovery(portal);
        if (drec is null && !a.Discover)
        {
            // idbm_discovery_read's ISCSI_ERR_IDBM.
            env.Error($"Discovery record [{portal.Address},{portal.Port}] not found.");
            return 6;
        }

        if (a.Discover)
        {
            return SendTargets(a, env, portal, writeDiscoveryRecord: drec is null);
        }

        return DbOp(a, env, database, drec!);
    }

    /// <summary>exec_disc_op with a portal and a record but no discovery: show it; other operations need discoverydb.</summary>
    private static int DiscoveryDbOp(IscsiadmArgs a, CliEnvironment env, IscsiPortal portal, IscsiDiscoveryRecord drec)
    {
        if (a.Op is IscsiadmOp.Noop or IscsiadmOp.Show)
        {
            Commands.CliOutput.Raw(env, drec.Format(a.Show));
            return 0;
        }

        if (a.Op is IscsiadmOp.Update or IscsiadmOp.New)
        {
            env.Error("Operations new and update for discovery mode is not supported. Use discoverydb mode.");
            return (int)IscsiadmExitCode.InvalidParameter;
        }

        if (a.Op == IscsiadmOp.Delete)
        {
            NodeOps.Db(env).DeleteSendTargetsDiscovery(portal);
            return 0;
        }

        env.Error("Invalid operation.");
        return (int)IscsiadmExitCode.InvalidParameter;
    }

    /// <summary>exec_disc2_op's do_db_op: show, delete or update the discovery record.</summary>
    private static int DbOp(IscsiadmArgs a, CliEnvironment env, IscsiNodeDatabase database, IscsiDiscoveryRecord drec)
    {
        if (a.Op is IscsiadmOp.Noop or IscsiadmOp.Show)
        {
            Commands.CliOutput.Raw(env, drec.Format(a.Show));
            return 0;
        }

        if (a.Op == IscsiadmOp.Delete)
        {
            database.DeleteSendTargetsDiscovery(drec.Portal);
            return 0;
        }

        if (a.Op == IscsiadmOp.Update)
        {
            if (a.Params.Count == 0)
            {
                env.Error("Update requires name and value.");
                return (int)IscsiadmExitCode.InvalidParameter;
            }

            try
            {
                foreach ((string name, string value) in a.Params)
                {
                    drec.SetValue(name, value);
                }
            }
            catch (ArgumentException e)
            {
                env.Error(e.Message[..(e.Message.IndexOf(" (Parameter", StringComparison.Ordinal) is int i and >= 0 ? i : e.Message.Length)]);
                return (int)IscsiadmExitCode.InvalidParameter;
            }

            database.SaveDiscovery(drec);
            return 0;
        }

        env.Error("Operation is not supported.");
        return (int)IscsiadmExitCode.InvalidParameter;
    }

    /// <summary>idbm_print_all_discovery, levels below 1: <c>ADDR:PORT via sendtargets</c> per record.</summary>
    private static int PrintAll(IscsiadmArgs a, CliEnvironment env)
    {
        string dir = Path.Combine(env.NodeDatabase.Root, "send_targets");
        var lines = new StringBuilder();
        var found = new List<(string Address, int Port)>();
        if (Directory.Exists(dir))
        {
            foreach (string entry in Directory.EnumerateDirectories(dir).Select(Path.GetFileName).OfType<string>())
            {
                int comma = entry.LastIndexOf(',');
                if (comma < 0 || !File.Exists(Path.Combine(dir, entry, "st_config")))
                {
                    continue;
                }

                int port = IscsiadmCommand.Atoi(entry[(comma + 1)..]);
                found.Add((entry[..comma], port));
                lines.Append(CultureInfo.InvariantCulture, $"{entry[..comma]}:{port} via sendtargets\n");
            }
        }

        if (a.Json)
        {
            CliJson.WriteDiscoveryRecords(env, found);
        }
        else if (a.InfoLevel >= 1)
        {
            return PrintAllTree(env, found);
        }
        else
        {
            Commands.CliOutput.Raw(env, lines.ToString());
        }

        return found.Count == 0 ? (int)IscsiadmExitCode.NoObjectsFound : 0;
    }

    /// <summary>idbm_print_all_discovery at levels 1 and up: each section with the node records it discovered (idbm_print_discovered).</summary>
    private static int PrintAllTree(CliEnvironment env, List<(string Address, int Port)> sendTargets)
    {
        IReadOnlyList<IscsiNodeRecord> nodes = NodeOps.Db(env).Query().Nodes;
        var text = new StringBuilder("SENDTARGETS:\n");
        int found = 0;
        foreach ((string address, int port) in sendTargets)
        {
            text.Append(CultureInfo.InvariantCulture, $"DiscoveryAddress: {address},{port}\n");
            Tree(text, nodes.Where(n => n.DiscoveryType == "send_targets" && n.DiscoveryAddress == address && n.DiscoveryPort == port));
            found++;
        }

        if (sendTargets.Count == 0)
        {
            text.Append("No targets found.\n");
        }

        foreach ((string title, string type) in (ReadOnlySpan<(string, string)>)[("iSNS", "isns"), ("STATIC", "static"), ("FIRMWARE", "fw")])
        {
            text.Append(title).Append(":\n");
            int n = Tree(text, nodes.Where(r => r.DiscoveryType == type));
            if (n == 0)
            {
                text.Append("No targets found.\n");
            }

            found += n;
        }

        Commands.CliOutput.Raw(env, text.ToString());
        return found == 0 ? (int)IscsiadmExitCode.NoObjectsFound : 0;
    }

    /// <summary>idbm_print_node_tree + the iface line, one "last record" per call.</summary>
    private static int Tree(StringBuilder text, IEnumerable<IscsiNodeRecord> records)
    {
        IscsiNodeRecord? last = null;
        int count = 0;
        foreach (IscsiNodeRecord r in records)
        {
            if (last is null || last.TargetName != r.TargetName)
            {
                text.Append("Target: ").Append(r.TargetName).Append('\n');
                last = null;
            }

            if (last is null || last.Portal.Address != r.Portal.Address || last.Portal.Port != r.Portal.Port)
            {
                text.Append(CultureInfo.InvariantCulture, $"\tPortal: {NodeOps.PortalText(r.Portal.Address, r.Portal.Port)},{r.Tpgt}\n");
            }

            text.Append("\t\tIface Name: ").Append(r.IfaceName).Append('\n');
            last = r;
            count++;
        }

        return count;
    }

    /// <summary>do_software_sendtargets + exec_disc_op_on_recs.</summary>
    private static int SendTargets(IscsiadmArgs a, CliEnvironment env, IscsiPortal portal, bool writeDiscoveryRecord)
    {
        _ = writeDiscoveryRecord;
        string iface = a.Ifaces.Count > 0 ? a.Ifaces[0] : "default";
        IReadOnlyList<DiscoveredTarget> targets;
        using (var initiator = new IscsiInitiator(new IscsiInitiatorOptions { SysfsRoot = env.DefaultSysfsRoot }))
        {
            var options = new DiscoveryOptions();
            if (Commands.CliInitiatorName.TryRead(Path.Combine(env.NodeDatabase.ConfigDirectory, "initiatorname.iscsi")) is { } name)
            {
                options = options with { InitiatorName = name };
            }

            try
            {
                targets = initiator.DiscoverAsync(portal, options).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is IscsiException or TimeoutException or UnauthorizedAccessException)
            {
                IscsiadmExitCode code = Commands.IscsiadmErrors.ForLogin(e);
                if (code is IscsiadmExitCode.TransportTimeout)
                {
                    code = IscsiadmExitCode.Transport;
                }

                env.Error($"Could not perform SendTargets discovery: {Commands.IscsiadmErrors.Message(code)}");
                return (int)code;
            }
        }

        var found = new List<IscsiNodeTarget>();
        foreach (DiscoveredTarget t in targets)
        {
            foreach (DiscoveredPortal p in t.Portals)
            {
                found.Add(new IscsiNodeTarget(t.Name, p.Portal, p.PortalGroupTag));
            }
        }

        if (found.Count == 0)
        {
            env.Error("No portals found");
            return (int)IscsiadmExitCode.NoObjectsFound;
        }

        IscsiNodeDatabase database = NodeOps.Db(env);
        List<IscsiNodeRecord> records;
        if (a.Op.HasFlag(IscsiadmOp.NonPersistent))
        {
            records = [.. found.Select(f => database.NewRecord(f.TargetName, f.Portal, f.Tpgt, iface))];
        }
        else
        {
            records = [.. database.SaveSendTargetsDiscovery(portal, found, iface)];
        }

        if (a.Json)
        {
            CliJson.WriteDiscovered(env, found, iface);
        }
        else
        {
            var text = new StringBuilder();
            string? previousTarget = null;
            string? previousPortal = null;
            foreach (IscsiNodeTarget f in found)
            {
                string p = f.Portal.Address.Contains('.')
                    ? string.Create(CultureInfo.InvariantCulture, $"{f.Portal.Address}:{f.Portal.Port},{f.Tpgt}")
                    : string.Create(CultureInfo.InvariantCulture, $"[{f.Portal.Address}]:{f.Portal.Port},{f.Tpgt}");
                if (a.InfoLevel == 1)
                {
                    if (previousTarget != f.TargetName)
                    {
                        text.Append("Target: ").Append(f.TargetName).Append('\n');
                        previousPortal = null;
                    }

                    if (previousPortal != p)
                    {
                        text.Append("\tPortal: ").Append(p).Append('\n');
                    }

                    text.Append("\t\tIface Name: ").Append(iface).Append('\n');
                    previousTarget = f.TargetName;
                    previousPortal = p;
                }
                else if (a.InfoLevel is 0 or -1)
                {
                    text.Append(p).Append(' ').Append(f.TargetName).Append('\n');
                }
            }

            Commands.CliOutput.Raw(env, text.ToString());
        }

        if (!a.Login)
        {
            return 0;
        }

        return NodeOps.LoginRecords(env, null, records, verbose: false);
    }
}
