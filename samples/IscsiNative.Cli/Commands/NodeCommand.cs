using System.CommandLine;
using IscsiNative.Formatting;
using IscsiNative.Initiator;
using IscsiNative.Protocol;
using IscsiNative.Sysfs;

namespace IscsiNative.Cli.Commands;

/// <summary>
/// <c>iscsinat node -T IQN -p IP[:PORT] --login|--logout</c>: the library's own kernel login/logout (no iscsid),
/// with iscsiadm's messages and exit codes.
/// </summary>
internal static class NodeCommand
{
    internal static Command Create(CliEnvironment environment)
    {
        var target = new Option<string>("--targetname", "-T") { Description = "Target IQN.", Required = true };
        var portal = new Option<string>("--portal", "-p") { Description = "IP[:PORT] of the target portal.", Required = true };
        var login = new Option<bool>("--login", "-l") { Description = "Log in (kernel session, LUN scan, wait for the disks)." };
        var logout = new Option<bool>("--logout", "-u") { Description = "Log out of every session to this target and portal." };
        var chap = new CliChap();
        var command = new Command("node", "Log in to or out of a target, like iscsiadm -m node -T IQN -p IP --login/--logout.") { target, portal, login, logout };
        chap.AddTo(command);
        command.SetAction(parse =>
        {
            string t = parse.GetValue(target)!;
            string p = parse.GetValue(portal)!;
            if (parse.GetValue(login) == parse.GetValue(logout))
            {
                environment.Error("specify exactly one of --login and --logout");
                return (int)IscsiadmExitCode.InvalidParameter;
            }

            if (!IscsiPortal.TryParse(p, out IscsiPortal? parsed))
            {
                environment.Error($"cannot parse portal '{p}'");
                return (int)IscsiadmExitCode.InvalidParameter;
            }

            return parse.GetValue(login) ? Login(environment, t, parsed, parse, chap) : Logout(environment, t, parsed);
        });
        return command;
    }

    private static int Login(CliEnvironment env, string targetName, IscsiPortal portal, ParseResult parse, CliChap chap)
    {
        string what = $"[iface: default, target: {targetName}, portal: {CliOutput.Portal(portal.Address, portal.Port)}]";
        ChapCredentials? credentials;
        try
        {
            credentials = chap.Read(parse);
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
        using var initiator = new IscsiInitiator(new IscsiInitiatorOptions { SysfsRoot = env.DefaultSysfsRoot });
        foreach (IscsiSession s in matches)
        {
            try
            {
                initiator.LogoutAsync(s.Sid).GetAwaiter().GetResult();
                CliOutput.Info(env, $"Logout of {Describe(s)} successful.");
            }
            catch (Exception e) when (e is IscsiException or UnauthorizedAccessException)
            {
                IscsiadmExitCode code = e is UnauthorizedAccessException ? IscsiadmExitCode.Access : IscsiadmExitCode.Logout;
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
