using System.Diagnostics;
using System.Text;

namespace IscsiNative.VmTests.Infrastructure;

/// <summary>
/// Debian's multipathd (multipath-tools) in the foreground for the tests that need it: /etc/multipath.conf with
/// <c>find_multipaths no</c> and WWIDs as map names, no udevd (paths are handed over by the connector's
/// <c>add path</c>). Without udevd no retrigger ever answers, so <c>retrigger_tries 0</c> lets multipathd take the
/// WWID from sysfs (VPD 0x83) at once instead of failing the path. Dispose stops it.
/// </summary>
public sealed class MultipathdProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private MultipathdProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Gets the last lines multipathd printed.</summary>
    public string RecentLog
    {
        get
        {
            lock (_log)
            {
                return _log.Length > 8000 ? _log.ToString(_log.Length - 8000, 8000) : _log.ToString();
            }
        }
    }

    /// <summary>Starts multipathd and waits (bounded) until its socket answers.</summary>
    /// <returns>The running daemon.</returns>
    public static async Task<MultipathdProcess> StartAsync()
    {
        Directory.CreateDirectory("/etc/multipath");
        File.WriteAllText(
            "/etc/multipath.conf",
            "defaults {\n    user_friendly_names no\n    find_multipaths no\n    polling_interval 2\n    retrigger_tries 0\n}\n");
        // A daemon a previous test stopped may still be exiting (it holds the socket and the pid file until then).
        var gone = Stopwatch.StartNew();
        while (RunningDaemons() > 0 && gone.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        var psi = new ProcessStartInfo("multipathd", "-d -s -v3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start multipathd");
        var daemon = new MultipathdProcess(process);
        process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var client = new IscsiNative.Volumes.MultipathdClient(TimeSpan.FromSeconds(2));
        var clock = Stopwatch.StartNew();
        while (!await client.IsRunningAsync(CancellationToken.None))
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                string state = process.HasExited ? $"exited with {process.ExitCode}" : "still running";
                string log = daemon.RecentLog;
                daemon.Dispose();
                throw new TimeoutException($"multipathd did not answer within {clock.Elapsed.TotalSeconds:0} s ({state}; {RunningDaemons()} multipathd processes): {log}");
            }

            await Task.Delay(100);
        }

        return daemon;
    }

    /// <summary>Stops multipathd (maps it made stay; tests detach first).</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    /// <summary>How many multipathd processes exist (any owner, by /proc/PID/comm).</summary>
    private static int RunningDaemons()
    {
        int n = 0;
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (char.IsAsciiDigit(Path.GetFileName(dir)[0]) && File.ReadAllText(Path.Combine(dir, "comm")).Trim() == "multipathd")
                {
                    n++;
                }
            }
            catch (IOException)
            {
                // The process ended while being looked at.
            }
        }

        return n;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
