using System.CommandLine;
using System.Text;
using IscsiNative.Cli.Commands;

namespace IscsiNative.Cli;

/// <summary>Builds the command tree; each command lives in its own file under Commands/.</summary>
internal static class CliApp
{
    /// <summary>Parses and runs one command line; returns the process exit code.</summary>
    internal static int Run(string[] args, CliEnvironment environment)
    {
        // iscsiadm's own syntax (-m MODE ...) first: no System.CommandLine tree is built for it.
        if (Iscsiadm.IscsiadmCommand.IsIscsiadmSyntax(args))
        {
            int rc = Iscsiadm.IscsiadmCommand.Run(args, environment);
            environment.Stderr.Flush();
            return rc;
        }

        return RunSubcommand(args, environment);
    }

    private static int RunSubcommand(string[] args, CliEnvironment environment)
    {
        var root = new RootCommand("iscsinat: the Linux iSCSI initiator without iscsiadm/iscsid; output matches iscsiadm 2.1.8.")
        {
            SessionCommand.Create(environment),
            DiscoveryCommand.Create(environment),
            NodeCommand.Create(environment),
            VolumeCommand.Create(environment),
        };

        using var output = new StreamWriter(environment.Stdout, new UTF8Encoding(false), 4096, leaveOpen: true) { AutoFlush = true };
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = environment.Stderr });
    }
}
