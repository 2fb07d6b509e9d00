using IscsiNative.Formatting;
using IscsiNative.Initiator;
using IscsiNative.Protocol;

namespace IscsiNative.Cli.Commands;

/// <summary><c>iscsinat discovery -t st -p IP[:PORT]</c>: SendTargets discovery printed as <c>iscsiadm -m discovery</c> does (no node DB is written).</summary>
internal static class DiscoveryCommand
{
    /// <summary><c>iscsinat discovery ...</c>: parses the alias's options and runs it.</summary>
    internal static int Run(ReadOnlySpan<string> args, CliEnvironment environment)
    {
        var type = new SubOption("--type", "-t", "Discovery type: st / sendtargets.", required: true);
        var portal = new SubOption("--portal", "-p", "IP[:PORT] of the discovery portal.", required: true);
        var chap = new CliChap();
        return Subcommand.TryParse(args, "iscsinat discovery -t st -p IP[:PORT] [options]", environment, out int rc, [type, portal, .. chap.Options])
            ? Run(environment, type.Value!, portal.Value!, chap)
            : rc;
    }

    private static int Run(CliEnvironment env, string type, string portalText, CliChap chap)
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
            credentials = chap.Read();
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
