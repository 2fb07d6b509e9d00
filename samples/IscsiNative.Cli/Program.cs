using IscsiNative.Iscsid;

namespace IscsiNative.Cli;

internal static class Program
{
    /// <summary>How long one question to iscsid may take; iscsiadm itself waits without bound.</summary>
    private static readonly TimeSpan IscsidTimeout = TimeSpan.FromSeconds(5);

    private static int Main(string[] args)
    {
        // Raw standard streams: Console.Error/Out would set up the terminal (terminfo, signal handling) before the first byte.
        using Stream stdout = Console.OpenStandardOutput();
        using var stderr = new StreamWriter(Console.OpenStandardError(), new System.Text.UTF8Encoding(false), 1024) { AutoFlush = true };
        var env = new CliEnvironment(stdout, stderr);

        // iscsiadm asks iscsid for two lines of -P 1..3 and, when it cannot reach it, says so once per session.
        var states = new LazyIscsidStateSource(() => new IscsidStateSource(new IscsidClient(), IscsidTimeout, (_, error) =>
        {
            if (error.IscsiadmMessage is { } message)
            {
                env.Error(message);
            }
        }));
        return CliApp.Run(args, env with { IscsidStates = states });
    }
}
