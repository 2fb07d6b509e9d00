using System.Globalization;
using IscsiNative.Formatting;
using IscsiNative.Initiator;
using IscsiNative.Nodes;
using IscsiNative.Sysfs;

namespace IscsiNative.Cli.Iscsiadm;

/// <summary>The pattern a node/session command matches records and sessions with (iscsiadm's pattern <c>node_rec</c>).</summary>
/// <param name="Name">Target name, empty = any.</param>
/// <param name="Address">Portal address, empty = any.</param>
/// <param name="Port">Portal port, -1 = any.</param>
/// <param name="Tpgt">Portal group tag, -1 = unknown.</param>
/// <param name="IfaceName">Iface name, empty = any.</param>
/// <param name="Sid">A session id (session mode), -1 = none.</param>
internal sealed record NodePattern(string Name, string Address, int Port, int Tpgt, string IfaceName, int Sid = -1)
{
    internal bool IsEmpty => Name.Length == 0 && Address.Length == 0 && IfaceName.Length == 0;

    /// <summary>__iscsi_match_session against a node record.</summary>
    internal bool Matches(IscsiNodeRecord r) =>
        (Name.Length == 0 || Name == r.TargetName) && (Address.Length == 0 || Address == r.Portal.Address)
        && (Port == -1 || Port == r.Portal.Port) && (IfaceName.Length == 0 || IfaceName == r.IfaceName);

    /// <summary>iscsi_match_session against a live session.</summary>
    internal bool Matches(IscsiSession s) => Sid > 0
        ? s.Sid == Sid
        : (Name.Length == 0 || Name == s.TargetName) && (Address.Length == 0 || Address == s.PersistentAddress)
            && (Port == -1 || Port == s.PersistentPort) && (IfaceName.Length == 0 || IfaceName == IfaceOf(s));

    internal static string IfaceOf(IscsiSession s) => s.IfaceName.Length == 0 ? "default" : s.IfaceName;
}

/// <summary>The node-record and session operations iscsiadm's node and session modes share (exec_node_op and its helpers).</summary>
internal static class NodeOps
{
    /// <summary>exec_node_op.</summary>
    internal static int Exec(IscsiadmArgs a, CliEnvironment env, NodePattern? rec)
    {
        if (a.Op == IscsiadmOp.New)
        {
            return AddStatic(env, rec!);
        }

        if (a.Rescan)
        {
            return ForEachSession(env, rec, s => Commands.SessionStatsCommand.Rescan(env, s.Sid, env.DefaultSysfsRoot));
        }

        if (a.Stats)
        {
            return ForEachSession(env, rec, s => Commands.SessionStatsCommand.Stats(env, s.Sid, env.DefaultSysfsRoot));
        }

        if (a.Login && a.Logout)
        {
            env.Error("Invalid parameters. Both login and logout passed in");
            return (int)IscsiadmExitCode.InvalidParameter;
        }

        if ((a.Login || a.Logout) && a.Op > IscsiadmOp.Noop)
        {
            env.Error("Invalid parameters. Login/logout and op passed in");
            return (int)IscsiadmExitCode.InvalidParameter;
        }

        if (!a.Login && !a.Logout && a.Op == IscsiadmOp.Noop && (rec is null || rec.IsEmpty))
        {
            return PrintNodes(env, a.InfoLevel, a.Json);
        }

        if (a.Login)
        {
            return LoginRecords(env, rec!, InIdbmOrder(env, Records(env, rec!)), verbose: true);
        }

        if (a.Logout)
        {
            int rc = Logout(env, rec is null ? _ => true : rec.Matches);
            if (rc == (int)IscsiadmExitCode.NoObjectsFound)
            {
                env.Error("No matching sessions found");
            }

            return rc;
        }

        if (a.Op is IscsiadmOp.Noop or IscsiadmOp.Show)
        {
            bool any = false;
            foreach (IscsiNodeRecord r in Records(env, rec!))
            {
                Commands.CliOutput.Raw(env, r.Format(a.Show));
                any = true;
            }

            if (!any)
            {
                env.Error("No records found");
                return (int)IscsiadmExitCode.NoObjectsFound;
            }

            return 0;
        }

        if (a.Op == IscsiadmOp.Update)
        {
            return Update(a, env, rec!);
        }

        if (a.Op == IscsiadmOp.Delete)
        {
            IscsiNodeDatabase db = Db(env);
            return ForEachRecord(env, rec!, r =>
            {
                try
                {
                    db.Delete(r.TargetName, r.Portal, r.IfaceName);
                    return 0;
                }
                catch (IscsiNodeDatabaseException e) when (e.IscsiadmErrorCode != 0)
                {
                    env.Error(e.Message);
                    return e.IscsiadmErrorCode;
                }
            });
        }

        env.Error("operation is not supported.");
        return (int)IscsiadmExitCode.InvalidParameter;
    }

    internal static IscsiNodeDatabase Db(CliEnvironment env) => new(env.NodeDatabase);

    /// <summary>The records matching <paramref name="rec"/>, in database order.</summary>
    internal static List<IscsiNodeRecord> Records(CliEnvironment env, NodePattern rec) =>
        [.. Db(env).Query().Nodes.Where(rec.Matches)];

    /// <summary>
    /// <paramref name="records"/> in the order idbm_for_each_rec visits them (login_by_startup, login_portals): readdir
    /// order of <c>nodes/</c>, of each target directory, of each portal directory; not sorted. Records it would not
    /// visit keep their relative order, last.
    /// </summary>
    internal static List<IscsiNodeRecord> InIdbmOrder(CliEnvironment env, IEnumerable<IscsiNodeRecord> records)
    {
        string nodes = Path.Combine(env.NodeDatabase.Root, "nodes");
        var rank = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            foreach (string target in Directory.EnumerateDirectories(nodes))
            {
                foreach (string portal in Directory.EnumerateFileSystemEntries(target))
                {
                    if (File.Exists(portal))
                    {
                        rank.TryAdd(portal, rank.Count); // old style: the portal is the record
                        continue;
                    }

                    foreach (string iface in Directory.EnumerateFiles(portal))
                    {
                        rank.TryAdd(iface, rank.Count);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Changed while read: what was seen keeps its place, the rest follows.
        }

        return [.. records.OrderBy(r => r.FilePath is { } f && rank.TryGetValue(f, out int i) ? i : int.MaxValue)];
    }

    /// <summary>
    /// iscsi_logout_portals' session list: sysfs alphasort order, each session inserted after the first one with the
    /// same target, address and port, else after the last one with the same target (session_info_create_list).
    /// </summary>
    internal static List<IscsiSession> InLogoutOrder(List<IscsiSession> sessions)
    {
        var list = new List<IscsiSession>();
        foreach (IscsiSession s in sessions)
        {
            int match = -1;
            for (int i = 0; i < list.Count; i++)
            {
                if (list[i].TargetName == s.TargetName)
                {
                    match = i;
                    if (list[i].Address == s.Address && list[i].Port == s.Port)
                    {
                        break;
                    }
                }
            }

            list.Insert(match < 0 ? list.Count : match + 1, s);
        }

        return list;
    }

    /// <summary>Live sessions in iscsiadm's order (alphasort of the sysfs names).</summary>
    internal static List<IscsiSession> Sessions(CliEnvironment env)
    {
        using var reader = new SysfsSessionReader(env.DefaultSysfsRoot);
        return [.. reader.GetSessions().OrderBy(s => "session" + s.Sid.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal)];
    }

    /// <summary>for_each_session.</summary>
    internal static int ForEachSession(CliEnvironment env, NodePattern? rec, Func<IscsiSession, int> fn)
    {
        int found = 0;
        int err = 0;
        foreach (IscsiSession s in Sessions(env))
        {
            if (rec is not null && !rec.Matches(s))
            {
                continue;
            }

            found++;
            int rc = fn(s);
            if (rc != 0 && err == 0)
            {
                err = rc;
            }
        }

        if (err != 0)
        {
            env.Error($"Could not execute operation on all sessions: {Commands.IscsiadmErrors.Message((IscsiadmExitCode)err)}");
        }
        else if (found == 0)
        {
            env.Error("No session found.");
            return (int)IscsiadmExitCode.NoObjectsFound;
        }

        return err;
    }

    /// <summary>for_each_matched_rec.</summary>
    internal static int ForEachRecord(CliEnvironment env, NodePattern rec, Func<IscsiNodeRecord, int> fn)
    {
        int found = 0;
        int err = 0;
        foreach (IscsiNodeRecord r in Records(env, rec))
        {
            int rc = fn(r);
            if (rc == 0)
            {
                found++;
            }
            else if (err == 0)
            {
                err = rc;
            }
        }

        if (err != 0)
        {
            env.Error($"Could not execute operation on all records: {Commands.IscsiadmErrors.Message((IscsiadmExitCode)err)}");
            return err;
        }

        if (found == 0)
        {
            env.Error("No records found");
            return (int)IscsiadmExitCode.NoObjectsFound;
        }

        return 0;
    }

    /// <summary>print_nodes: <c>-m node [-P 0|1]</c>.</summary>
    internal static int PrintNodes(CliEnvironment env, int level, bool json)
    {
        if (level is not (0 or -1 or 1))
        {
            env.Error($"Invalid info level {level}. Try 0 or 1.");
            return (int)IscsiadmExitCode.InvalidParameter;
        }

        IReadOnlyList<IscsiNodeRecord> nodes = Db(env).Query().Nodes;
        if (json)
        {
            CliJson.WriteNodes(env, nodes);
        }

        if (nodes.Count == 0)
        {
            env.Error("No records found");
            return (int)IscsiadmExitCode.NoObjectsFound;
        }

        if (json)
        {
            return 0;
        }

        var sb = new System.Text.StringBuilder();
        string? previous = null;
        foreach (IscsiNodeRecord n in nodes)
        {
            string portal = PortalText(n.Portal.Address, n.Portal.Port);
            if (level == 1)
            {
                if (previous != n.TargetName)
                {
                    sb.Append("Target: ").Append(n.TargetName).Append('\n');
                }

                sb.Append(CultureInfo.InvariantCulture, $"\tPortal: {portal},{n.Tpgt}\n\t\tIface Name: {n.IfaceName}\n");
                previous = n.TargetName;
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"{portal},{(uint)n.Tpgt} {n.TargetName}\n");
            }
        }

        Commands.CliOutput.Raw(env, sb.ToString());
        return 0;
    }

    /// <summary>libopeniscsiusr's portal text: <c>ip:port</c>, <c>[ip]:port</c> when the address has no '.'.</summary>
    internal static string PortalText(string address, int port) => address.Contains('.')
        ? string.Create(CultureInfo.InvariantCulture, $"{address}:{port}")
        : string.Create(CultureInfo.InvariantCulture, $"[{address}]:{port}");

    /// <summary>add_static_recs: <c>-m node -o new -T IQN -p IP[:PORT][,TPGT]</c>.</summary>
    private static int AddStatic(CliEnvironment env, NodePattern rec)
    {
        IscsiNodeDatabase db = Db(env);
        var existing = db.Query().Nodes.Where(r => (rec.Name.Length == 0 || r.TargetName == rec.Name)).ToList();
        var added = new List<(string Name, string Address, int Port, int Tpgt)>();
        if (rec.Name.Length > 0 && rec.Address.Length > 0)
        {
            added.Add((rec.Name, rec.Address, rec.Port, rec.Tpgt));
        }
        else if (rec.Name.Length > 0 || existing.Count > 0)
        {
            // An existing target: re-add its portals (matching address/port when given).
            foreach (IscsiNodeRecord r in existing.Where(r => (rec.Address.Length == 0 || rec.Address == r.Portal.Address) && (rec.Port == -1 || rec.Port == r.Portal.Port)))
            {
                added.Add((r.TargetName, r.Portal.Address, r.Portal.Port, r.Tpgt));
            }
        }

        if (added.Count == 0)
        {
            env.Error("Error while adding record: no objects found");
            return (int)IscsiadmExitCode.NoObjectsFound;
        }

        string iface = rec.IfaceName.Length == 0 ? "default" : rec.IfaceName;
        foreach ((string name, string address, int port, int tpgt) in added)
        {
            IscsiNodeRecord r = db.NewRecord(name, new IscsiPortal(address, port), tpgt, iface);
            r.SetValue("node.discovery_type", "static");
            db.Save(r);
            Commands.CliOutput.Raw(env, string.Create(CultureInfo.InvariantCulture,
                $"New iSCSI node [{r.TransportName}:[hw={r.IfaceHardwareAddress},ip={r.GetValue("iface.ipaddress")},net_if={r.IfaceNetworkDevice},iscsi_if={iface}] {address},{port},{tpgt} {name}] added\n"));
        }

        return 0;
    }

    private static int Update(IscsiadmArgs a, CliEnvironment env, NodePattern rec)
    {
        if (a.Params.Count == 0)
        {
            env.Error("update requires name and value");
            return (int)IscsiadmExitCode.InvalidParameter;
        }

        var parameters = new List<(string Name, string Value)>();
        foreach ((string name, string value) in a.Params)
        {
            if (name.StartsWith("iface.", StringComparison.Ordinal) && name != "iface.transport_name")
            {
                env.Error($"Cannot modify {name}. Use iface mode to update this value.");
                return (int)IscsiadmExitCode.InvalidParameter;
            }

            string key = name == "node.transport_name" ? "iface.transport_name" : name;
            if (key == "iface.transport_name" && Sessions(env).Any(rec.Matches))
            {
                env.Error("Cannot modify node/iface transport name while a session is using it. Log out the session then update record.");
                return (int)IscsiadmExitCode.SessionExists;
            }

            parameters.Add((key, value));
        }

        IscsiNodeDatabase db = Db(env);
        return ForEachRecord(env, rec, r =>
        {
            try
            {
                foreach ((string key, string value) in parameters)
                {
                    r.SetValue(key, value);
                }
            }
            catch (ArgumentException e)
            {
                env.Error(e.Message[..(e.Message.IndexOf(" (Parameter", StringComparison.Ordinal) is int i and >= 0 ? i : e.Message.Length)]);
                return (int)IscsiadmExitCode.InvalidParameter;
            }

            db.Save(r);
            return 0;
        });
    }

    /// <summary>
    /// iscsi_login_portals over <paramref name="records"/>: a warning for records whose sessions already exist, then
    /// every "Logging in to" line, then the logins (the library's own, no iscsid) and one result line each, in order.
    /// </summary>
    internal static int LoginRecords(CliEnvironment env, NodePattern? pattern, List<IscsiNodeRecord> records, bool verbose)
    {
        if (records.Count == 0)
        {
            if (verbose)
            {
                env.Error("No records found");
            }

            return (int)IscsiadmExitCode.NoObjectsFound;
        }

        _ = pattern;
        int rc = 0;
        List<IscsiSession> sessions = Sessions(env);
        var queue = new List<IscsiNodeRecord>();
        foreach (IscsiNodeRecord r in records)
        {
            int present = sessions.Count(s => s.TargetName == r.TargetName && s.PersistentAddress == r.Portal.Address && s.PersistentPort == r.Portal.Port && NodePattern.IfaceOf(s) == r.IfaceName);
            int wanted = r.SessionCount;
            if (present >= wanted)
            {
                env.Error($"{r.IfaceName}: {wanted} session{(wanted == 1 ? "" : "s")} requested, but {present} already present.");
                rc = rc == 0 ? (int)IscsiadmExitCode.SessionExists : rc;
                continue;
            }

            for (int i = present; i < wanted; i++)
            {
                Commands.CliOutput.Info(env, $"Logging in to {Describe(r)}{(wanted > 1 ? " (multiple)" : "")}");
                queue.Add(r);
            }
        }

        if (queue.Count > 0)
        {
            using var initiator = new IscsiInitiator(new IscsiInitiatorOptions { SysfsRoot = env.DefaultSysfsRoot });
            Task<IscsiSession>[] logins = [.. queue.Select(r => Task.Run(() => initiator.LoginNodeAsync(r)))];
            for (int i = 0; i < queue.Count; i++)
            {
                try
                {
                    logins[i].GetAwaiter().GetResult();
                    Commands.CliOutput.Info(env, $"Login to {Describe(queue[i])} successful.");
                }
                catch (Exception e) when (e is IscsiException or TimeoutException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
                {
                    IscsiadmExitCode code = Commands.IscsiadmErrors.ForLogin(e);
                    env.Error($"Could not login to {Describe(queue[i])}.");
                    env.Error($"initiator reported error ({(int)code} - {Commands.IscsiadmErrors.Message(code)})");
                    rc = rc == 0 ? (int)code : rc;
                }
            }
        }

        if (rc != 0)
        {
            env.Error("Could not log into all portals");
        }

        return rc;
    }

    /// <summary>
    /// iscsi_logout_portals over the sessions <paramref name="match"/> accepts (21 when none, message left to the caller):
    /// each through iscsid when it runs and owns the session, else by the library (<see cref="Commands.SessionLogout"/>).
    /// </summary>
    internal static int Logout(CliEnvironment env, Func<IscsiSession, bool> match)
    {
        List<IscsiSession> matches = [.. InLogoutOrder(Sessions(env)).Where(match)];
        if (matches.Count == 0)
        {
            return (int)IscsiadmExitCode.NoObjectsFound;
        }

        foreach (IscsiSession s in matches)
        {
            Commands.CliOutput.Info(env, "Logging out of session " + Describe(s));
        }

        int rc = 0;
        using var logout = new Commands.SessionLogout(env);
        foreach (IscsiSession s in matches)
        {
            IscsiadmExitCode code = logout.Logout(s);
            if (code == IscsiadmExitCode.Success)
            {
                Commands.CliOutput.Info(env, $"Logout of {Describe(s)} successful.");
            }
            else
            {
                env.Error($"Could not logout of {Describe(s)}.");
                env.Error($"initiator reported error ({(int)code} - {Commands.IscsiadmErrors.Message(code)})");
                rc = rc == 0 ? (int)code : rc;
            }
        }

        if (rc != 0)
        {
            env.Error("Could not logout of all requested sessions");
        }

        return rc;
    }

    private static string Describe(IscsiNodeRecord r) =>
        string.Create(CultureInfo.InvariantCulture, $"[iface: {r.IfaceName}, target: {r.TargetName}, portal: {r.Portal.Address},{r.Portal.Port}]");

    private static string Describe(IscsiSession s) =>
        string.Create(CultureInfo.InvariantCulture, $"[sid: {s.Sid}, target: {s.TargetName}, portal: {s.PersistentAddress},{s.Port ?? s.PersistentPort ?? 0}]");
}
