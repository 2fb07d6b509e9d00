using System.Text;

namespace IscsiNative.Nodes;

/// <summary>
/// iscsid.conf as iscsiadm reads it for the defaults of new records: the same line rules as a record file
/// (<see cref="RecordFields.TryParseLine(ReadOnlySpan{byte}, out Range, out Range)"/>); lines that do not parse, and
/// keys with no value, are skipped, as iscsiadm does with a warning (a broken config must not stop discovery).
/// </summary>
internal static class IscsidConf
{
    /// <summary>
    /// The settings of the file's bytes, in file order. A line that is not valid UTF-8 is read as Latin-1 and flagged
    /// <c>Raw</c>, so a record that takes the value writes the same bytes (as iscsiadm copies them).
    /// </summary>
    internal static List<(string Key, string Value, bool Raw)> Parse(ReadOnlySpan<byte> data)
    {
        var settings = new List<(string Key, string Value, bool Raw)>();
        while (true)
        {
            int nl = data.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = nl < 0 ? data : data[..nl];
            if (RecordFields.TryParseLine(line, out Range key, out Range value) is null && !line[value].IsEmpty)
            {
                bool raw = !System.Text.Unicode.Utf8.IsValid(line);
                Encoding encoding = raw ? Encoding.Latin1 : Encoding.UTF8;
                settings.Add((encoding.GetString(line[key]), encoding.GetString(line[value]), raw));
            }

            if (nl < 0)
            {
                return settings;
            }

            data = data[(nl + 1)..];
        }
    }
}
