using IscsiNative.Iscsid;

namespace IscsiNative.Cli;

internal static class Program
{
    /// <summary>How long one question to iscsid may take; iscsiadm itself waits without bound.</summary>
    private static readonly TimeSpan IscsidTimeout = TimeSpan.FromSeconds(5);

    private static int Main(string[] args)
    {
        using Stream stdout = Console.OpenStandardOutput();
        var env = new CliEnvironment(stdout, Console.Error);

        // iscsiadm asks iscsid for two lines of -P 1..3 and, when it cannot reach it, says so once per session.
        var states = new IscsidStateSource(new IscsidClient(), IscsidTimeout, (_, error) =>
        {
            if (error.IscsiadmMessage is { } message)
            {
                env.Error(message);
            }
        });
        return CliApp.Run(args, env with { IscsidStates = states });
    }
}
