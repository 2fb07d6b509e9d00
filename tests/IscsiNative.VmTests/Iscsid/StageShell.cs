using System.Diagnostics;

namespace IscsiNative.VmTests.Iscsid;

/// <summary>Runs short shell snippets inside the VM stage with a bounded wait.</summary>
internal static class StageShell
{
    internal static bool InVm => Environment.GetEnvironmentVariable("ISCSINATIVE_VM_STAGE") == "1";

    /// <summary>Runs <paramref name="script"/> with /bin/sh; kills it (our own child) if it outlives the timeout.</summary>
    internal static (int ExitCode, string Stdout, string Stderr) Run(string script, int timeoutSeconds = 60)
    {
        var psi = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        using Process process = Process.Start(psi) ?? throw new InvalidOperationException("could not start /bin/sh");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
            throw new TimeoutException($"'{script}' did not finish within {timeoutSeconds} s");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs a snippet that must succeed.</summary>
    internal static string Check(string script, int timeoutSeconds = 60)
    {
        (int rc, string stdout, string stderr) = Run(script, timeoutSeconds);
        Assert.True(rc == 0, $"'{script}' exited {rc}: {stdout}{stderr}");
        return stdout;
    }

    /// <summary>Polls <paramref name="condition"/> every 200 ms until it holds or the bound passes.</summary>
    internal static bool WaitUntil(Func<bool> condition, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < bound)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(200);
        }

        return condition();
    }
}
