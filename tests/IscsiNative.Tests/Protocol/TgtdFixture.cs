using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace IscsiNative.Tests.Protocol;

/// <summary>
/// Starts a private tgtd on loopback (two portals, its own control port) and configures targets with tgtadm:
/// open, one-way CHAP, mutual CHAP and many targets. Tests skip when tgtd cannot run (not root, not installed).
/// </summary>
public sealed class TgtdFixture : IDisposable
{
    public const string Prefix = "iqn.2025-01.org.iscsinative.test:";
    public const string OpenTarget = Prefix + "open";
    public const string ChapTarget = Prefix + "chap";
    public const string MutualTarget = Prefix + "mutual";
    public const string ChapUser = "chapuser";
    public const string ChapSecret = "chapsecret-0123";
    public const string MutualUser = "mutualuser";
    public const string MutualSecret = "mutualsecret-0123";
    public const string TargetUser = "targetuser";
    public const string TargetSecret = "targetsecret-4567";
    public const int ManyTargetCount = 40;

    private readonly Process? _process;
    private readonly int _controlPort;
    private readonly System.Text.StringBuilder _log = new();

    public TgtdFixture()
    {
        if (!File.Exists("/usr/sbin/tgtd") || !File.Exists("/usr/sbin/tgtadm"))
        {
            MissingReason = "tgtd/tgtadm not installed (Debian package tgt)";
            return;
        }

        if (Environment.UserName != "root")
        {
            MissingReason = "tgtd needs root";
            return;
        }

        Port = FreePort();
        SecondPort = FreePort();
        _controlPort = Random.Shared.Next(1000, 30000);
        while (File.Exists($"/var/run/tgtd/socket.{_controlPort}"))
        {
            _controlPort++;
        }

        var psi = new ProcessStartInfo("/usr/sbin/tgtd")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "-f", "-C", _controlPort.ToString(), "--iscsi", $"portal=127.0.0.1:{Port}" })
        {
            psi.ArgumentList.Add(a);
        }

        try
        {
            _process = Process.Start(psi)!;
            _process.OutputDataReceived += (_, e) => Log(e.Data);
            _process.ErrorDataReceived += (_, e) => Log(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            if (!WaitForListener(_process, Port, TimeSpan.FromSeconds(10)))
            {
                MissingReason = "tgtd did not start listening within 10 s: " + _log;
                return;
            }

            Configure();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            MissingReason = "tgtd could not be started: " + e.Message;
        }
    }

    public string? MissingReason { get; private set; }

    public int Port { get; }

    public int SecondPort { get; }

    /// <summary>tgtd lists one TargetAddress per distinct IP, so the second portal uses another loopback address.</summary>
    public string SecondAddress => "127.0.0.2";

    public static string ManyTargetName(int i) => $"{Prefix}many-{i:D3}-" + new string('x', 200);

    public void RequireAvailable() => IscsiNative.TestShared.Prerequisites.Require(MissingReason is null, MissingReason ?? string.Empty);

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        foreach (string f in new[] { $"/var/run/tgtd/socket.{_controlPort}", $"/var/run/tgtd/socket.{_controlPort}.lock" })
        {
            try
            {
                File.Delete(f);
            }
            catch (IOException)
            {
            }
        }
    }

    private void Log(string? line)
    {
        if (line is not null && _log.Length < 4096)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static bool WaitForListener(Process process, int port, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout && !process.HasExited)
        {
            try
            {
                using var c = new TcpClient();
                c.Connect(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }

        return false;
    }

    private void Configure()
    {
        Adm("--mode", "portal", "--op", "new", "--param", $"portal={SecondAddress}:{SecondPort}");
        NewTarget(1, OpenTarget);
        NewTarget(2, ChapTarget);
        Adm("--mode", "account", "--op", "new", "--user", ChapUser, "--password", ChapSecret);
        Adm("--mode", "account", "--op", "bind", "--tid", "2", "--user", ChapUser);
        NewTarget(3, MutualTarget);
        Adm("--mode", "account", "--op", "new", "--user", MutualUser, "--password", MutualSecret);
        Adm("--mode", "account", "--op", "new", "--user", TargetUser, "--password", TargetSecret);
        Adm("--mode", "account", "--op", "bind", "--tid", "3", "--user", MutualUser);
        Adm("--mode", "account", "--op", "bind", "--tid", "3", "--user", TargetUser, "--outgoing");
        for (int i = 0; i < ManyTargetCount; i++)
        {
            NewTarget(10 + i, ManyTargetName(i));
        }
    }

    private void NewTarget(int tid, string name)
    {
        Adm("--mode", "target", "--op", "new", "--tid", tid.ToString(), "--targetname", name);
        Adm("--mode", "target", "--op", "bind", "--tid", tid.ToString(), "--initiator-address", "ALL");
    }

    private void Adm(params string[] args)
    {
        var psi = new ProcessStartInfo("/usr/sbin/tgtadm") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-C");
        psi.ArgumentList.Add(_controlPort.ToString());
        psi.ArgumentList.Add("--lld");
        psi.ArgumentList.Add("iscsi");
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(10000))
        {
            p.Kill();
            throw new IOException("tgtadm timed out: " + string.Join(' ', args));
        }

        if (p.ExitCode != 0)
        {
            throw new IOException($"tgtadm {string.Join(' ', args)} failed ({p.ExitCode}): {err.Result}");
        }
    }
}
