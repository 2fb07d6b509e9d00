using IscsiNative.Formatting;
using IscsiNative.Initiator;
using IscsiNative.Protocol;
using IscsiNative.Sysfs;

namespace IscsiNative.Cli.Commands;

/// <summary>
/// <c>iscsinat node -T IQN -p IP[:PORT] --login|--logout</c>: the library's own kernel login (no iscsid) and a logout
/// through iscsid for the sessions it owns, else the library's own (<see cref="SessionLogout"/>), with iscsiadm's
/// messages and exit codes.
/// </summary>
internal static class NodeCommand
{
    /// <summary><c>iscsinat node ...</c>: parses the alias's options and runs it.</summary>
    internal static int Run(ReadOnlySpan<string> args, CliEnvironment environment)
    {
        var target = new SubOption("--targetname", "-T", "Target IQN.", required: true);
        var portal = new SubOption("--portal", "-p", "IP[:PORT] of the target portal.", required: true);
        var login = new SubOption("--login", "-l", "Log in (kernel session, LUN scan, wait for the disks).", takesValue: false);
        var logout = new SubOption("--logout", "-u", "Log out of every session to this target and portal.", takesValue: false);
        var chap = new CliChap();
        if (!Subcommand.TryParse(args, "iscsinat node -T IQN -p IP[:PORT] --login|--logout [options]", environment, out int rc, [target, portal, login, logout, .. chap.Options]))
        {
            return rc;
        }

        string t = target.Value!;
        string p = portal.Value!;
        if (Subcommand.Flag(login) == Subcommand.Flag(logout))
        {
            environment.Error("specify exactly one of --login and --logout");
            return (int)IscsiadmExitCode.InvalidParameter;
        }

        if (!IscsiPortal.TryParse(p, out IscsiPortal? parsed))
        {
            environment.Error($"cannot parse portal '{p}'");
            return (int)IscsiadmExitCode.InvalidParameter;
        }

        return Subcommand.Flag(login) ? Login(environment, t, parsed, chap) : Logout(environment, t, parsed);
    }

    private static int Login(CliEnvironment env, string targetName, IscsiPortal portal, CliChap chap)
    {
        string what = $"[iface: default, target: {targetName}, portal: {CliOutput.Portal(portal.Address, portal.Port)}]";
        ChapCredentials? credentials;
        try
        {
            credentials = chap.Read();
        }
        catch (ArgumentException e)
        {
            env.Error(e.Message);
            return (int)IscsiadmExitCode.InvalidParameter;
        }

        using (credentials)
        using (var initiator = new IscsiInitiator(new IscsiInitiatorOptions { SysfsRoot = env.DefaultSysfsRoot }))
        {
            CliOutput.Info(env, "Logging in to " + what);
            try
            {
                var options = new LoginOptions { Credentials = credentials };
                initiator.LoginAsync(targetName, portal, options).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is IscsiException or UnauthorizedAccessException or InvalidOperationException)
            {
                IscsiadmExitCode code = IscsiadmErrors.ForLogin(e);
                env.Error($"Could not login to {what}.");
                env.Error($"initiator reported error ({(int)code} - {IscsiadmErrors.Message(code)})");
                env.Error("Could not log into all portals");
                return (int)code;
            }

            CliOutput.Info(env, $"Login to {what} successful.");
            return (int)IscsiadmExitCode.Success;
        }
    }

    private static int Logout(CliEnvironment env, string targetName, IscsiPortal portal)
    {
        List<IscsiSession> matches;
        using (var reader = new SysfsSessionReader(env.DefaultSysfsRoot))
        {
            matches = reader.GetSessions()
                .Where(s => s.TargetName == targetName && s.PersistentAddress == portal.Address && s.PersistentPort == portal.Port)
                .ToList();
        }

        if (matches.Count == 0)
        {
            env.Error("No matching sessions found");
            return (int)IscsiadmExitCode.NoObjectsFound;
        }

        string Describe(IscsiSession s) => $"[sid: {s.Sid}, target: {s.TargetName}, portal: {CliOutput.Portal(s.PersistentAddress, s.PersistentPort ?? 0)}]";
        foreach (IscsiSession s in matches)
        {
            CliOutput.Info(env, "Logging out of session " + Describe(s));
        }

        int rc = (int)IscsiadmExitCode.Success;
        using var logout = new SessionLogout(env);
        foreach (IscsiSession s in matches)
        {
            IscsiadmExitCode code = logout.Logout(s);
            if (code == IscsiadmExitCode.Success)
            {
                CliOutput.Info(env, $"Logout of {Describe(s)} successful.");
            }
            else
            {
                env.Error($"Could not logout of {Describe(s)}.");
                env.Error($"initiator reported error ({(int)code} - {IscsiadmErrors.Message(code)})");
                rc = (int)code;
            }
        }

        if (rc != 0)
        {
            env.Error("Could not logout of all requested sessions");
        }

        return rc;
    }
}
