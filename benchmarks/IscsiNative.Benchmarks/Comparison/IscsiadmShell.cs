using System.Diagnostics;
using System.Text.RegularExpressions;

namespace IscsiNative.Benchmarks.Comparison;

/// <summary>A session as a shelling-out consumer (Kubernetes CSI drivers, os-brick) parses it from iscsiadm.</summary>
internal sealed record ShellSession(string Transport, int Sid, string Address, int Port, int Tpgt, string Target);

/// <summary>A -P 3 record: the flat fields plus the attached disks, parsed the os-brick way.</summary>
internal sealed record ShellSessionDetail(ShellSession Session, string State, IReadOnlyList<string> Disks);

/// <summary>
/// The way most services read iSCSI state today: run <c>iscsiadm -m session</c>, capture stdout and
/// parse it with regular expressions.
/// </summary>
internal static partial class IscsiadmShell
{
    [GeneratedRegex(@"^(\S+): \[(\d+)\] \[?([^\]\s]+?)\]?:(\d+),(-?\d+) (\S+)", RegexOptions.Multiline)]
    private static partial Regex FlatLine();

    [GeneratedRegex(@"^\t\tSID: (\d+)$|^\t\tiSCSI Session State: (\S+)$|^\t\t\tAttached scsi disk (\S+)", RegexOptions.Multiline)]
    private static partial Regex TreeLine();

    /// <summary>Runs iscsiadm and returns its standard output; exit code 21 (no sessions) is not an error.</summary>
    internal static string Run(string arguments)
    {
        var psi = new ProcessStartInfo("iscsiadm", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("iscsiadm did not start");
        string output = p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        if (!p.WaitForExit(30_000))
        {
            p.Kill();
            throw new TimeoutException("iscsiadm " + arguments);
        }

        if (p.ExitCode is not (0 or 21))
        {
            throw new InvalidOperationException($"iscsiadm {arguments} exited with {p.ExitCode}");
        }

        return output;
    }

    /// <summary><c>iscsiadm -m session</c> (-P 0) parsed into records.</summary>
    internal static List<ShellSession> GetSessions()
    {
        var list = new List<ShellSession>();
        foreach (Match m in FlatLine().Matches(Run("-m session")))
        {
            list.Add(new ShellSession(
                m.Groups[1].Value,
                int.Parse(m.Groups[2].ValueSpan),
                m.Groups[3].Value,
                int.Parse(m.Groups[4].ValueSpan),
                int.Parse(m.Groups[5].ValueSpan),
                m.Groups[6].Value));
        }

        return list;
    }

    /// <summary><c>iscsiadm -m session -P 3</c> parsed into sid, state and disks per session.</summary>
    internal static List<(int Sid, string State, List<string> Disks)> GetSessionDetails()
    {
        var list = new List<(int Sid, string State, List<string> Disks)>();
        foreach (Match m in TreeLine().Matches(Run("-m session -P 3")))
        {
            if (m.Groups[1].Success)
            {
                list.Add((int.Parse(m.Groups[1].ValueSpan), string.Empty, new List<string>()));
            }
            else if (m.Groups[2].Success && list.Count > 0)
            {
                list[^1] = list[^1] with { State = m.Groups[2].Value };
            }
            else if (m.Groups[3].Success && list.Count > 0)
            {
                list[^1].Disks.Add("/dev/" + m.Groups[3].Value);
            }
        }

        return list;
    }
}
