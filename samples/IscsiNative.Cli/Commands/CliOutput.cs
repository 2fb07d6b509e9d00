using System.Text;

namespace IscsiNative.Cli.Commands;

/// <summary>iscsiadm's <c>log_info</c> lines: stdout, no prefix.</summary>
internal static class CliOutput
{
    internal static void Info(CliEnvironment env, string line)
    {
        env.Stdout.Write(Encoding.UTF8.GetBytes(line + "\n"));
        env.Stdout.Flush();
    }

    internal static void Raw(CliEnvironment env, string text)
    {
        env.Stdout.Write(Encoding.UTF8.GetBytes(text));
        env.Stdout.Flush();
    }

    /// <summary>iscsiadm's portal text in messages: <c>address,port</c> (no IPv6 brackets).</summary>
    internal static string Portal(string address, int port) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{address},{port}");
}
