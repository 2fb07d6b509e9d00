using System.Diagnostics;

namespace IscsiNative.VmTests.Infrastructure;

/// <summary>Runs a command to completion with a bounded wait.</summary>
public static class ProcessRunner
{
    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/> and collects its output.</summary>
    /// <param name="timeout">How long to wait before the process tree is killed.</param>
    /// <param name="fileName">The program.</param>
    /// <param name="arguments">Its arguments, passed as is (no shell).</param>
    /// <returns>The exit code and output.</returns>
    /// <exception cref="TimeoutException">The process did not exit in time (it has been killed).</exception>
    public static ProcessResult Run(TimeSpan timeout, string fileName, params string[] arguments)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        string commandLine = fileName + " " + string.Join(' ', arguments);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {commandLine}");
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(5));
            throw new TimeoutException($"`{commandLine}` did not exit within {timeout.TotalSeconds:0} s; killed. "
                + $"stdout so far: {Partial(stdout)} stderr so far: {Partial(stderr)}");
        }

        // The process has exited; its pipes close with it unless it left a child holding them.
        if (!Task.WaitAll([stdout, stderr], TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException($"`{commandLine}` exited but its output did not close (a daemon kept it open)");
        }

        return new ProcessResult(commandLine, process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Partial(Task<string> t) => t.IsCompletedSuccessfully ? t.Result : "(pending)";
}
