using IscsiNative.Formatting;
using IscsiNative.Initiator;
using IscsiNative.Netlink;
using IscsiNative.Sysfs;

namespace IscsiNative.Cli.Commands;

/// <summary><c>iscsinat session -r SID -s</c> (statistics) and <c>-r SID --rescan</c>, as iscsiadm prints them.</summary>
internal static class SessionStatsCommand
{
    /// <summary>Prints the session's statistics (GET_STATS) in iscsiadm's <c>-s</c> format.</summary>
    internal static int Stats(CliEnvironment env, int sid, string sysfsRoot)
    {
        if (!TryFind(env, sid, sysfsRoot, out IscsiSession? session))
        {
            return (int)IscsiadmExitCode.SysfsLookup;
        }

        using var initiator = new IscsiInitiator(new IscsiInitiatorOptions { SysfsRoot = sysfsRoot });
        IscsiStatistics statistics;
        try
        {
            statistics = initiator.GetStatisticsAsync(sid).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IscsiException or UnauthorizedAccessException)
        {
            env.Error($"Could not get host stats: {e.Message}");
            return (int)(e is UnauthorizedAccessException ? IscsiadmExitCode.Access : IscsiadmExitCode.Internal);
        }

        CliOutput.Raw(env, IscsiadmText.FormatStatistics(session!, statistics));
        return (int)IscsiadmExitCode.Success;
    }

    /// <summary>Rescans the session's LUNs (rescan each, then scan the host) and waits for their disks.</summary>
    internal static int Rescan(CliEnvironment env, int sid, string sysfsRoot)
    {
        if (!TryFind(env, sid, sysfsRoot, out IscsiSession? session))
        {
            return (int)IscsiadmExitCode.SysfsLookup;
        }

        CliOutput.Info(env, $"Rescanning session [sid: {sid}, target: {session!.TargetName}, portal: {CliOutput.Portal(session.PersistentAddress, session.PersistentPort ?? 0)}]");
        using var initiator = new IscsiInitiator(new IscsiInitiatorOptions { SysfsRoot = sysfsRoot });
        try
        {
            initiator.RescanAsync(sid).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IscsiException or UnauthorizedAccessException)
        {
            env.Error(e.Message);
            return (int)IscsiadmExitCode.Error;
        }

        return (int)IscsiadmExitCode.Success;
    }

    private static bool TryFind(CliEnvironment env, int sid, string sysfsRoot, out IscsiSession? session)
    {
        using var reader = new SysfsSessionReader(sysfsRoot);
        if (reader.TryGetSession(sid, out session))
        {
            return true;
        }

        env.Error("could not read session targetname: 5");
        env.Error($"Could not get session info for sid {sid}");
        return false;
    }
}
