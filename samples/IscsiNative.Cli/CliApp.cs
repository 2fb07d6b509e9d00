using IscsiNative.Cli.Commands;

namespace IscsiNative.Cli;

/// <summary>Dispatches one command line; each command lives in its own file under Commands/ or Iscsiadm/.</summary>
internal static class CliApp
{
    /// <summary>Parses and runs one command line; returns the process exit code.</summary>
    internal static int Run(string[] args, CliEnvironment environment)
    {
        // iscsiadm's own syntax (-m MODE ...) first.
        if (Iscsiadm.IscsiadmCommand.IsIscsiadmSyntax(args))
        {
            int rc = Iscsiadm.IscsiadmCommand.Run(args, environment);
            environment.Stderr.Flush();
            return rc;
        }

        // The older subcommand form, kept as aliases (parsed by hand: see Subcommand).
        ReadOnlySpan<string> rest = args.AsSpan(1);
        return args[0] switch
        {
            "session" => SessionCommand.Run(rest, environment),
            "discovery" => DiscoveryCommand.Run(rest, environment),
            "node" => NodeCommand.Run(rest, environment),
            "volume" => VolumeCommand.Run(rest, environment),
            _ => Subcommand.Unrecognized(environment, args),
        };
    }
}
