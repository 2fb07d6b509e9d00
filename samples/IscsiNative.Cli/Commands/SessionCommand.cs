using System.Buffers;
using IscsiNative.Formatting;
using IscsiNative.Sysfs;

namespace IscsiNative.Cli.Commands;

/// <summary><c>iscsinat session [-P N] [-r SID] [--json] [--sysfs-root DIR]</c>: <c>iscsiadm -m session</c>.</summary>
internal static class SessionCommand
{
    /// <summary><c>iscsinat session ...</c>: parses the alias's options and runs it.</summary>
    internal static int Run(ReadOnlySpan<string> args, CliEnvironment environment)
    {
        var print = new SubOption("--print", "-P", "Info level 0-3, as iscsiadm -P (parsed like atoi).");
        var sid = new SubOption("--sid", "-r", "Only this session id (or a sysfs path containing sessionN).");
        var json = new SubOption("--json", null, "Print the sessions as JSON instead of iscsiadm text.", takesValue: false);
        var sysfsRoot = new SubOption("--sysfs-root", null, "Read this sysfs tree instead of /sys.");
        var stats = new SubOption("--stats", "-s", "With -r: the session's statistics, as iscsiadm -s.", takesValue: false);
        var rescan = new SubOption("--rescan", "-R", "With -r: rescan the session's LUNs, as iscsiadm --rescan.", takesValue: false);
        if (!Subcommand.TryParse(args, "iscsinat session [options]", environment, out int rc, print, sid, json, sysfsRoot, stats, rescan))
        {
            return rc;
        }

        string root = sysfsRoot.Value ?? environment.DefaultSysfsRoot;
        return (Subcommand.Flag(stats) || Subcommand.Flag(rescan)) && sid.Value is string r && ParseSid(r) > 0
            ? (Subcommand.Flag(stats)
                ? SessionStatsCommand.Stats(environment, ParseSid(r), root)
                : SessionStatsCommand.Rescan(environment, ParseSid(r), root))
            : Run(environment, print.Value, sid.Value, Subcommand.Flag(json), root);
    }

    internal static int Run(CliEnvironment env, string? print, string? sidText, bool json, string sysfsRoot)
    {
        int level = print is null ? -1 : (int)SysfsNumberText.Atoi(print);
        using var reader = new SysfsSessionReader(sysfsRoot);
        int sid = -1;
        if (sidText is not null)
        {
            sid = ParseSid(sidText);
            if (sid <= 0)
            {
                env.Error($"{sidText} is an invalid session ID or path");
                return (int)IscsiadmExitCode.Error;
            }

            return RunOne(env, reader, sid, level, json);
        }

        if (!IscsiadmSessionWriter.IsValidInfoLevel(level))
        {
            // iscsiadm checks for sessions before it looks at the level.
            if (CountSessions(reader) == 0)
            {
                env.Error("No active sessions.");
                return (int)IscsiadmExitCode.NoObjectsFound;
            }

            env.Error($"Invalid info level {level}. Try 0 - 3.");
            return (int)IscsiadmExitCode.InvalidParameter;
        }

        if (json)
        {
            return WriteJson(env, reader.GetSessions());
        }

        var output = new ArrayBufferWriter<byte>(16 * 1024);
        if (IscsiadmSessionWriter.WriteSessions(reader, output, level, env.IscsidStates) == 0)
        {
            env.Error("No active sessions.");
            return (int)IscsiadmExitCode.NoObjectsFound;
        }

        env.Stdout.Write(output.WrittenSpan);
        env.Stdout.Flush();
        return (int)IscsiadmExitCode.Success;
    }

    /// <summary><c>-m session -r SID</c>: usr/iscsiadm.c reads the session's targetname first and fails with SYSFS_LOOKUP.</summary>
    private static int RunOne(CliEnvironment env, SysfsSessionReader reader, int sid, int level, bool json)
    {
        if (!reader.TryGetSession(sid, out IscsiSession? session))
        {
            env.Error("could not read session targetname: 5");
            env.Error($"Could not get session info for sid {sid}");
            return (int)IscsiadmExitCode.SysfsLookup;
        }

        if (json && IscsiadmSessionWriter.IsValidInfoLevel(level))
        {
            return WriteJson(env, [session!]);
        }

        if (level <= 0)
        {
            // iscsiadm prints the session's node record here; the node database is not part of this tool yet.
            env.Stderr.Write("iscsinat: -r without -P 1..3 prints the node record in iscsiadm; not supported yet\n");
            return (int)IscsiadmExitCode.OperationNotSupported;
        }

        if (string.IsNullOrEmpty(session!.TransportName))
        {
            // iscsiadm stops silently when it cannot tell the session's transport.
            return (int)IscsiadmExitCode.Success;
        }

        if (!IscsiadmSessionWriter.IsValidInfoLevel(level))
        {
            env.Error($"Invalid info level {level}. Try 0 - 3.");
            return (int)IscsiadmExitCode.InvalidParameter;
        }

        var output = new ArrayBufferWriter<byte>(4096);
        IscsiadmSessionWriter.WriteSessions(reader, output, level, env.IscsidStates, sid);
        env.Stdout.Write(output.WrittenSpan);
        env.Stdout.Flush();
        return (int)IscsiadmExitCode.Success;
    }

    private static int WriteJson(CliEnvironment env, IReadOnlyList<IscsiSession> sessions)
    {
        Iscsiadm.CliJson.WriteSessions(env, sessions);
        if (sessions.Count == 0)
        {
            env.Error("No active sessions.");
            return (int)IscsiadmExitCode.NoObjectsFound;
        }

        return (int)IscsiadmExitCode.Success;
    }

    private static int CountSessions(SysfsSessionReader reader)
    {
        int count = 0;
        foreach (ref readonly IscsiSessionEntry session in reader.EnumerateSessions())
        {
            _ = session.Sid;
            count++;
        }

        return count;
    }

    /// <summary>iscsi_sysfs_get_sid_from_path: a positive number, or the sessionN component of a sysfs path.</summary>
    private static int ParseSid(string text)
    {
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int sid))
        {
            return sid;
        }

        foreach (string part in text.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
        {
            if (part.StartsWith("session", StringComparison.Ordinal)
                && int.TryParse(part.AsSpan("session".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out sid))
            {
                return sid;
            }
        }

        return -1;
    }
}
