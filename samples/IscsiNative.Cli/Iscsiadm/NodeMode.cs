using IscsiNative.Formatting;
using IscsiNative.Nodes;

namespace IscsiNative.Cli.Iscsiadm;

/// <summary><c>-m node</c> (usr/iscsiadm.c main's MODE_NODE, login_by_startup, logout_by_startup).</summary>
internal static class NodeMode
{
    internal static int Run(IscsiadmArgs a, CliEnvironment env)
    {
        if (a.LoginAll)
        {
            return LoginAll(env, a.GroupMode);
        }

        if (a.LogoutAll)
        {
            return LogoutAll(env, a.GroupMode);
        }

        string iface = "";
        if (a.Ifaces.Count > 0)
        {
            iface = a.Ifaces[0];
            if (a.Ifaces.Count > 1)
            {
                env.Error($"NODE mode only accepts one interface. Using the first one driver  hwaddress  ipaddress .");
            }

            if (!IfaceExists(env, iface))
            {
                env.Error($"Could not read iface info for {iface}.");
                return (int)IscsiadmExitCode.NoMemory;
            }
        }

        int port = a.Ip is not null && a.Port == -1 ? 3260 : a.Port;
        var rec = new NodePattern(a.TargetName ?? "", a.Ip ?? "", port, a.Tpgt, iface);
        return NodeOps.Exec(a, env, rec);
    }

    internal static bool IfaceExists(CliEnvironment env, string name) =>
        name is "default" or "iser" || NodeOps.Db(env).GetIfaces().Any(i => i.Name == name);

    private static IscsiNodeStartup? Startup(string? mode) => mode switch
    {
        "automatic" => IscsiNodeStartup.Automatic,
        "manual" => IscsiNodeStartup.Manual,
        "onboot" => IscsiNodeStartup.OnBoot,
        _ => null,
    };

    /// <summary>match_startup_mode.</summary>
    private static bool MatchesStartup(IscsiNodeRecord r, string mode) =>
        mode == "all" || (Startup(mode) is { } s && (r.Startup == s || r.ConnectionStartup == s));

    private static int LoginAll(CliEnvironment env, string? mode)
    {
        if (mode is not ("automatic" or "all" or "manual" or "onboot"))
        {
            env.Error($"Invalid loginall option {mode}.");
            return IscsiadmCommand.UsageError(env);
        }

        List<IscsiNodeRecord> records = NodeOps.InIdbmOrder(env, NodeOps.Db(env).Query().Nodes.Where(r => MatchesStartup(r, mode)));
        if (records.Count == 0)
        {
            env.Error("No records found");
            return (int)IscsiadmExitCode.NoObjectsFound;
        }

        // Leading-login records are logged in like the others (iscsinat binds no other ifaces than the record's own).
        return NodeOps.LoginRecords(env, null, records, verbose: false);
    }

    private static int LogoutAll(CliEnvironment env, string? mode)
    {
        if (mode is not ("automatic" or "all" or "manual"))
        {
            env.Error($"Invalid logoutall option {mode}.");
            return IscsiadmCommand.UsageError(env);
        }

        IReadOnlyList<IscsiNodeRecord> records = NodeOps.Db(env).Query().Nodes;
        int rc = NodeOps.Logout(env, s =>
        {
            IscsiNodeRecord? r = records.FirstOrDefault(r => r.TargetName == s.TargetName && r.Tpgt == (s.Tpgt ?? -1)
                && r.Portal.Address == s.PersistentAddress && r.Portal.Port == s.PersistentPort && r.IfaceName == NodePattern.IfaceOf(s));
            return r is not null && r.TransportName == s.TransportName && r.Startup != IscsiNodeStartup.OnBoot
                && r.DiscoveryType != "fw" && MatchesStartup(r, mode);
        });
        if (rc == (int)IscsiadmExitCode.NoObjectsFound)
        {
            env.Error("No matching sessions found");
        }

        return rc;
    }
}
