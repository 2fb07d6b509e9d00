using System.Globalization;
using System.Text.RegularExpressions;

namespace IscsiNative.VmTests.Oracle;

/// <summary>Parses the tree form of <c>iscsiadm -m session -P 1..3</c> into one <see cref="ParsedSession"/> per session.</summary>
public static partial class IscsiadmTreeParser
{
    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <param name="text">iscsiadm's stdout.</param>
    /// <returns>The sessions in the order printed.</returns>
    /// <exception cref="FormatException">A line has no known shape.</exception>
    public static IReadOnlyList<ParsedSession> Parse(string text)
    {
        var sessions = new List<ParsedSession>();
        string target = string.Empty, nodeType = string.Empty, current = string.Empty, persistent = string.Empty;
        ParsedSession? s = null;
        foreach (string line in text.Split('\n'))
        {
            Match m;
            if (line.Length == 0 || line.StartsWith("iSCSI Transport Class version ", StringComparison.Ordinal)
                || line.StartsWith("version ", StringComparison.Ordinal) || line.TrimStart('\t').StartsWith('*'))
            {
                continue;
            }
            else if ((m = TargetLine().Match(line)).Success)
            {
                (target, nodeType) = (m.Groups[1].Value, m.Groups[2].Value);
            }
            else if (line.StartsWith("\tCurrent Portal: ", StringComparison.Ordinal))
            {
                current = line["\tCurrent Portal: ".Length..];
            }
            else if (line.StartsWith("\tPersistent Portal: ", StringComparison.Ordinal))
            {
                persistent = line["\tPersistent Portal: ".Length..];
            }
            else if (line == "\t\tInterface:")
            {
                s = new ParsedSession { Target = target, NodeType = nodeType, CurrentPortal = current, PersistentPortal = persistent };
                sessions.Add(s);
            }
            else if (s is null)
            {
                throw new FormatException($"line before the first session: '{line}'");
            }
            else if ((m = HostLine().Match(line)).Success)
            {
                s.HostNumber = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                s.HostState = m.Groups[2].Value;
            }
            else if ((m = LunLine().Match(line)).Success)
            {
                s.Luns.Add(new ParsedLun(Int(m, 1), Int(m, 2), Int(m, 3), Int(m, 4), null, null));
            }
            else if ((m = DiskLine().Match(line)).Success && s.Luns.Count > 0)
            {
                s.Luns[^1] = s.Luns[^1] with { Disk = m.Groups[1].Value, DiskState = m.Groups[2].Value };
            }
            else if (line is "\t\tTimeouts:" or "\t\tCHAP:" or "\t\tNegotiated iSCSI params:" or "\t\tAttached SCSI devices:")
            {
                continue;
            }
            else if ((m = FieldLine().Match(line)).Success)
            {
                s.Fields.Add(m.Groups[1].Value, m.Groups[2].Value);
            }
            else
            {
                throw new FormatException($"unknown iscsiadm line '{line}'");
            }
        }

        return sessions;
    }

    private static int Int(Match m, int group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^Target: (\S+) \((flash|non-flash)\)$")]
    private static partial Regex TargetLine();

    [GeneratedRegex(@"^\t\tHost Number: (\d+)\tState: (.*)$")]
    private static partial Regex HostLine();

    [GeneratedRegex(@"^\t\tscsi(\d+) Channel (\d+) Id (\d+) Lun: (\d+)$")]
    private static partial Regex LunLine();

    [GeneratedRegex(@"^\t\t\tAttached scsi disk (\S+)\t\tState: (.*)$")]
    private static partial Regex DiskLine();

    [GeneratedRegex(@"^\t\t([^:\t]+): (.*)$")]
    private static partial Regex FieldLine();
}
