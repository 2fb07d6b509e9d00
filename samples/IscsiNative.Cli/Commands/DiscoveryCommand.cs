using System.CommandLine;
using IscsiNative.Formatting;
using IscsiNative.Initiator;
using IscsiNative.Protocol;

namespace IscsiNative.Cli.Commands;

/// <summary><c>iscsinat discovery -t st -p IP[:PORT]</c>: SendTargets discovery printed as <c>iscsiadm -m discovery</c> does (no node DB is written).</summary>
internal static class DiscoveryCommand
{
    internal static Command Create(CliEnvironment environment)
    {
        var type = new Option<string>("--type", "-t") { Description = "Discovery type: st / sendtargets.", Required = true };
        var portal = new Option<string>("--portal", "-p") { Description = "IP[:PORT] of the discovery portal.", Required = true };
        var chap = new CliChap();
        var command = new Command("discovery", "SendTargets discovery, like iscsiadm -m discovery -t st -p IP[:PORT].") { type, portal };
        chap.AddTo(command);
        command.SetAction(parse => Run(environment, parse.GetValue(type)!, parse.GetValue(portal)!, parse, chap));
        return command;
    }

    private static int Run(CliEnvironment env, string type, string portalText, ParseResult parse, CliChap chap)
    {
        if (type is not ("st" or "sendtargets"))
        {
            env.Error($"discovery mode '{type}' is not supported by iscsinat");
            return (int)IscsiadmExitCode.UnknownDiscoveryType;
        }

        if (!IscsiPortal.TryParse(portalText, out IscsiPortal? portal))
        {
            env.Error($"cannot parse portal '{portalText}'");
            return (int)IscsiadmExitCode.InvalidParameter;
        }

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
        using (var initiator = new IscsiInitiator())
        {
            var options = new DiscoveryOptions { Credentials = credentials };
            if (CliInitiatorName.TryRead() is { } name)
            {
                options = options with { InitiatorName = name };
            }

            IReadOnlyList<DiscoveredTarget> targets;
            try
            {
                targets = initiator.DiscoverAsync(portal, options).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is IscsiException or UnauthorizedAccessException)
            {
                IscsiadmExitCode code = IscsiadmErrors.ForLogin(e);
                if (code is IscsiadmExitCode.TransportTimeout)
                {
                    code = IscsiadmExitCode.Transport;
                }

                env.Error($"Could not perform SendTargets discovery: {IscsiadmErrors.Message(code)}");
                return (int)code;
            }

            if (targets.Count == 0)
            {
                env.Error("No portals found");
                return (int)IscsiadmExitCode.NoObjectsFound;
            }

            CliOutput.Raw(env, IscsiadmText.FormatDiscovery(targets));
            return (int)IscsiadmExitCode.Success;
        }
    }
}
