namespace IscsiNative.Nodes;

/// <summary>
/// iscsid.conf as iscsiadm reads it for the defaults of new records: <c>key = value</c> lines, '#' comments; lines
/// that do not parse are skipped, as iscsiadm does with a warning (a broken config must not stop discovery).
/// </summary>
internal static class IscsidConf
{
    internal static IEnumerable<(string Key, string Value)> Parse(string text)
    {
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int eq = line.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }

            string key = line[..eq].Trim();
            string value = line[(eq + 1)..].Trim();
            if (key.Length == 0 || key.Any(char.IsWhiteSpace) || value.Length == 0)
            {
                continue;
            }

            yield return (key, value);
        }
    }
}
