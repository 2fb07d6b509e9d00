using System.Diagnostics;

namespace IscsiNative.VmTests.Infrastructure;

/// <summary>iscsid in the foreground (<c>iscsid -f</c>) as a child of the test run, unless one already runs.</summary>
public sealed class IscsidProcess : IDisposable
{
    /// <summary>The initiator name the VM stage uses (/etc is on the tmpfs overlay, so it can be written).</summary>
    public const string InitiatorName = "iqn.1993-08.org.debian:01:stagevm";

    private const string AbstractSocket = "@ISCSIADM_ABSTRACT_NAMESPACE";
    private readonly Process? _process;
    private readonly Queue<string> _log = new();

    private IscsidProcess(Process? process)
    {
        _process = process;
    }

    /// <summary>Gets the last lines iscsid logged (when this run started it).</summary>
    public string RecentLog
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log);
            }
        }
    }

    /// <summary>Writes /etc/iscsi/initiatorname.iscsi and starts iscsid unless it already listens.</summary>
    /// <returns>The handle; dispose it to stop an iscsid this call started.</returns>
    /// <exception cref="TimeoutException">iscsid did not start listening within 10 s.</exception>
    public static IscsidProcess EnsureRunning()
    {
        Directory.CreateDirectory("/etc/iscsi");
        Directory.CreateDirectory("/run/lock/iscsi");
        File.WriteAllText("/etc/iscsi/initiatorname.iscsi", $"InitiatorName={InitiatorName}\n");
        if (IsListening())
        {
            return new IscsidProcess(null);
        }

        var psi = new ProcessStartInfo("iscsid", "-f")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start iscsid");
        var iscsid = new IscsidProcess(process);
        process.OutputDataReceived += (_, e) => iscsid.Append(e.Data);
        process.ErrorDataReceived += (_, e) => iscsid.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // A liveness bound, not a speed check: under TCG on a busy host iscsid's start (it syncs existing sessions
        // before it listens) has been seen to take over 10 s.
        if (!Wait.Until(() => IsListening() || process.HasExited, ListenBound) || process.HasExited)
        {
            string log = iscsid.RecentLog;
            iscsid.Dispose();
            throw new TimeoutException($"iscsid did not start listening within {ListenBound.TotalSeconds:0} s: {log}");
        }

        return iscsid;
    }

    private static readonly TimeSpan ListenBound = TimeSpan.FromSeconds(45);

    /// <summary>
    /// Makes sure no iscsid runs (SIGTERM, then SIGKILL after 10 s), whoever started it, so a test can assert what
    /// happens without one. Disposing the result starts iscsid again if one was running before.
    /// </summary>
    /// <returns>The scope; dispose it to restore a running iscsid.</returns>
    /// <exception cref="TimeoutException">iscsid was still listening 15 s after being killed.</exception>
    public static IDisposable EnsureStopped()
    {
        bool wasRunning = IsListening();
        foreach (int pid in IscsidPids())
        {
            Signal(pid, "TERM");
        }

        if (!Wait.Until(() => !IsListening() && IscsidPids().Count == 0, TimeSpan.FromSeconds(10)))
        {
            foreach (int pid in IscsidPids())
            {
                Signal(pid, "KILL");
            }

            if (!Wait.Until(() => !IsListening() && IscsidPids().Count == 0, TimeSpan.FromSeconds(5)))
            {
                throw new TimeoutException("iscsid still runs 15 s after SIGTERM and SIGKILL");
            }
        }

        return new Restore(wasRunning);
    }

    /// <summary>Gets whether an iscsid listens on its management socket.</summary>
    public static bool IsRunning => IsListening();

    /// <summary>Stops iscsid if this run started it.</summary>
    public void Dispose()
    {
        if (_process is null)
        {
            return;
        }

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

    private static List<int> IscsidPids()
    {
        var pids = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out int pid) && pid != Environment.ProcessId)
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(dir, "comm")).TrimEnd() == "iscsid")
                    {
                        pids.Add(pid);
                    }
                }
                catch (IOException)
                {
                    // The process ended while we looked.
                }
            }
        }

        return pids;
    }

    private static void Signal(int pid, string signal) => ProcessRunner.Run(TimeSpan.FromSeconds(5), "kill", "-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static bool IsListening() =>
        File.ReadLines("/proc/net/unix").Any(l => l.EndsWith(AbstractSocket, StringComparison.Ordinal));

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Enqueue(line);
            while (_log.Count > 200)
            {
                _log.Dequeue();
            }
        }
    }

    private sealed class Restore(bool wasRunning) : IDisposable
    {
        private static readonly List<IscsidProcess> s_restarted = [];

        public void Dispose()
        {
            if (wasRunning)
            {
                // Kept until the process ends, like the fixture's own: the stage powers the VM off afterwards.
                lock (s_restarted)
                {
                    s_restarted.Add(EnsureRunning());
                }
            }
        }
    }
}
