namespace IscsiNative.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        using Stream stdout = Console.OpenStandardOutput();
        return CliApp.Run(args, new CliEnvironment(stdout, Console.Error));
    }
}
