namespace IscsiNative.Nodes;

/// <summary>
/// iscsid.conf as iscsiadm reads it for the defaults of new records: the same line rules as a record file
/// (<see cref="RecordFields.TryParseLine"/>); lines that do not parse, and keys with no value, are skipped, as iscsiadm
/// does with a warning (a broken config must not stop discovery).
/// </summary>
internal static class IscsidConf
{
    internal static IEnumerable<(string Key, string Value)> Parse(string text)
    {
        foreach (string raw in text.Split('\n'))
        {
            if (RecordFields.TryParseLine(raw, out string? key, out string? value) is null && key is not null && value!.Length > 0)
            {
                yield return (key, value);
            }
        }
    }
}
