using System.Diagnostics;
using IscsiNative.Sysfs;

namespace IscsiNative.Benchmarks.Harness;

/// <summary>
/// What the Stopwatch harnesses (login, hosting, volumes) share: running a tool to completion with a bound,
/// counting sessions in sysfs, and reading <c>--name value</c> arguments.
/// </summary>
internal static class HarnessTools
{
    /// <summary>
    /// Runs <paramref name="program"/> to completion, draining both pipes, and throws when it exceeds
    /// <paramref name="timeout"/> (its whole process tree is killed) or exits with a code not in
    /// <paramref name="acceptedExitCodes"/> (0 when none are given).
    /// </summary>
    public static void Run(string program, string arguments, TimeSpan timeout, params int[] acceptedExitCodes)
    {
        var psi = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException(program + " did not start");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {arguments}: still running after {timeout.TotalSeconds:F0} s");
        }

        p.WaitForExit();
        _ = stdout.Result;
        bool accepted = acceptedExitCodes.Length == 0 ? p.ExitCode == 0 : Array.IndexOf(acceptedExitCodes, p.ExitCode) >= 0;
        if (!accepted)
        {
            throw new InvalidOperationException($"{program} {arguments} exited with {p.ExitCode}: {stderr.Result.Trim()}");
        }
    }

    /// <summary>Throws unless sysfs holds exactly <paramref name="expected"/> iSCSI sessions.</summary>
    public static void ExpectSessions(int expected, string when)
    {
        using var reader = new SysfsSessionReader("/sys");
        int n = 0;
        foreach (ref readonly IscsiSessionEntry s in reader.EnumerateSessions())
        {
            n++;
        }

        if (n != expected)
        {
            throw new InvalidOperationException($"{when}: {n} sessions, expected {expected}");
        }
    }

    /// <summary>The value after <paramref name="name"/> in <paramref name="args"/>, or null.</summary>
    public static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
