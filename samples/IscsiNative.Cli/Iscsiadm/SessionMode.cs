using System.Globalization;
using IscsiNative.Formatting;
using IscsiNative.Sysfs;

namespace IscsiNative.Cli.Iscsiadm;

/// <summary><c>-m session</c> (usr/iscsiadm.c main's MODE_SESSION).</summary>
internal static class SessionMode
{
    internal static int Run(IscsiadmArgs a, CliEnvironment env)
    {
        string? level = a.InfoLevel == -1 ? null : a.InfoLevel.ToString(CultureInfo.InvariantCulture);
        if (a.Sid >= 0)
        {
            IscsiSession? session;
            using (var reader = new SysfsSessionReader(env.DefaultSysfsRoot))
            {
                if (!reader.TryGetSession(a.Sid, out session))
                {
                    env.Error("could not read session targetname: 5");
                    env.Error($"Could not get session info for sid {a.Sid}");
                    return (int)IscsiadmExitCode.SysfsLookup;
                }
            }

            if (string.IsNullOrEmpty(session!.TransportName))
            {
                return 0;
            }

            if (!a.Logout && !a.Rescan && !a.Stats && a.Op == IscsiadmOp.Noop && (a.InfoLevel > 0 || a.Json))
            {
                return Commands.SessionCommand.Run(env, level, a.Sid.ToString(CultureInfo.InvariantCulture), a.Json, env.DefaultSysfsRoot);
            }

            if (a.Op == IscsiadmOp.New)
            {
                env.Stderr.Write("iscsinat: -m session -r SID -o new (an extra session to the same portal) is not supported\n");
                return (int)IscsiadmExitCode.OperationNotSupported;
            }

            var rec = new NodePattern(session.TargetName, session.PersistentAddress, session.PersistentPort ?? -1, session.Tpgt ?? -1, NodePattern.IfaceOf(session), a.Sid);
            return NodeOps.Exec(a, env, rec);
        }

        if (a.Op == IscsiadmOp.New)
        {
            env.Error("session mode: Operation 'new' only allowed with specific session IDs");
            return (int)IscsiadmExitCode.InvalidParameter;
        }

        if (a.Logout || a.Rescan || a.Stats)
        {
            return NodeOps.Exec(a, env, null);
        }

        return Commands.SessionCommand.Run(env, level, null, a.Json, env.DefaultSysfsRoot);
    }
}
