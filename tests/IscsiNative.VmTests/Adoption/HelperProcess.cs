using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace IscsiNative.VmTests.Adoption;

/// <summary>A child process (the test helper, or dd) whose stdout lines are read with bounded waits.</summary>
internal sealed class HelperProcess : IDisposable
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _stderr = [];

    private HelperProcess(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
            }
            else
            {
                _lines.Writer.TryWrite(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.Add(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public string StdErr
    {
        get
        {
            lock (_stderr)
            {
                return string.Join('\n', _stderr);
            }
        }
    }

    /// <summary>The built test helper of this repository.</summary>
    public static string HelperPath
    {
        get
        {
            // VM_REPO is set by the VM launcher; otherwise the repository is five levels above this test assembly
            // (tests/IscsiNative.VmTests/bin/CONFIG/net10.0/).
            string repo = Environment.GetEnvironmentVariable("VM_REPO")
                ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
            string config = Environment.GetEnvironmentVariable("CONFIG") ?? "Release";
            return Path.Combine(repo, "tests", "IscsiNative.TestHelper", "bin", config, "net10.0", "IscsiNative.TestHelper.dll");
        }
    }

    /// <summary>Starts <c>dotnet IscsiNative.TestHelper.dll ARGS</c>.</summary>
    public static HelperProcess StartHelper(params string[] arguments)
    {
        Assert.True(File.Exists(HelperPath), $"{HelperPath} is not built: build the solution (./build.sh build), not only the test project");
        return Start("dotnet", [HelperPath, .. arguments]);
    }

    /// <summary>Starts a program with stdin, stdout and stderr redirected.</summary>
    public static HelperProcess Start(string fileName, params string[] arguments) => Start(fileName, arguments, null);

    /// <summary>Starts a program with stdin, stdout and stderr redirected, with extra environment variables.</summary>
    public static HelperProcess Start(string fileName, string[] arguments, IReadOnlyDictionary<string, string>? environment)
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

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        return new HelperProcess(Process.Start(psi) ?? throw new InvalidOperationException("could not start " + fileName));
    }

    /// <summary>Reads lines until one equals <paramref name="last"/>.</summary>
    /// <returns>The lines before it.</returns>
    public async Task<List<string>> ReadUntilAsync(string last, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var lines = new List<string>();
        try
        {
            while (true)
            {
                string line = await _lines.Reader.ReadAsync(cts.Token);
                if (line == last)
                {
                    return lines;
                }

                lines.Add(line);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"no '{last}' from {Process.StartInfo.FileName} within {timeout.TotalSeconds:0} s; stdout: {string.Join(" | ", lines)}; stderr: {StdErr}; {ProcDump(Process.Id)}");
        }
    }

    /// <summary>Reads lines until one starts with <paramref name="prefix"/>.</summary>
    /// <returns>The lines read, that one last.</returns>
    public async Task<List<string>> ReadUntilPrefixAsync(string prefix, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var lines = new List<string>();
        try
        {
            while (true)
            {
                string line = await _lines.Reader.ReadAsync(cts.Token);
                lines.Add(line);
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return lines;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"no '{prefix}...' from {Process.StartInfo.FileName} within {timeout.TotalSeconds:0} s; stdout: {string.Join(" | ", lines)}; stderr: {StdErr}; {ProcDump(Process.Id)}");
        }
    }

    /// <summary>Waits for the exit.</summary>
    /// <returns>The exit code.</returns>
    public int WaitForExit(TimeSpan timeout)
    {
        Assert.True(Process.WaitForExit(timeout), $"{Process.StartInfo.FileName} did not exit within {timeout.TotalSeconds:0} s");
        Process.WaitForExit();
        return Process.ExitCode;
    }

    /// <summary>SIGKILL, and waits for the process to be gone.</summary>
    public void KillNine()
    {
        Process.Kill();
        Assert.True(Process.WaitForExit(TimeSpan.FromSeconds(10)), "kill -9 did not end the process");
        Assert.Equal(128 + 9, Process.ExitCode);
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
        }

        Process.Dispose();
    }

    /// <summary>For a failure message: the kernel's view of a process's threads (comm, state, wchan, syscall, kernel stack) and fds.</summary>
    public static string ProcDump(int pid)
    {
        var b = new System.Text.StringBuilder();
        b.Append("PROCDUMP ").Append(pid).Append('\n');
        try
        {
            foreach (string line in File.ReadAllLines($"/proc/{pid}/status").Where(l => l.StartsWith("State", StringComparison.Ordinal) || l.StartsWith("Sig", StringComparison.Ordinal) || l.StartsWith("Threads", StringComparison.Ordinal)))
            {
                b.Append(line).Append('\n');
            }

            foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                b.Append("task ").Append(Path.GetFileName(task)).Append(' ').Append(Read(task + "/comm").Trim())
                    .Append(" state=").Append(File.ReadAllLines(task + "/status").FirstOrDefault(l => l.StartsWith("State", StringComparison.Ordinal)))
                    .Append(" wchan=").Append(Read(task + "/wchan")).Append(" syscall=").Append(Read(task + "/syscall").Trim()).Append('\n')
                    .Append(Read(task + "/stack")).Append('\n');
            }

            foreach (string fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                b.Append("fd ").Append(Path.GetFileName(fd)).Append(" -> ").Append(new FileInfo(fd).LinkTarget).Append('\n');
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            b.Append(e.Message);
        }

        return b.ToString();

        static string Read(string path)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return e.Message;
            }
        }
    }

    public static int ParsePid(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
