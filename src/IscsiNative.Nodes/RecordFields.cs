using System.Text;

namespace IscsiNative.Nodes;

/// <summary>What a record file holds: a node, an iface or a SendTargets discovery record.</summary>
internal enum RecordKind
{
    Node,
    Iface,
    Discovery,
}

/// <summary>
/// The key/value content of one open-iscsi record, lossless: every schema key has a value (the file's, or the code
/// default when the file omits it, as iscsiadm reads), and keys the schema does not know are kept with the position
/// they had (after the known key they followed), so a rewrite never drops a newer or older open-iscsi's setting.
/// </summary>
internal sealed class RecordFields
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);
    private readonly List<(string Key, string Value, string? Anchor)> _extras = [];

    internal RecordFields(RecordKind kind, string? path = null)
    {
        Kind = kind;
        Path = path;
        foreach ((string key, string value) in AllKeys(kind))
        {
            _values[key] = value;
        }
    }

    internal RecordKind Kind { get; }

    /// <summary>The file the record was read from (for error messages), or null.</summary>
    internal string? Path { get; set; }

    /// <summary>Keys the schema does not know, in file order.</summary>
    internal IEnumerable<string> UnknownKeys => _extras.Select(e => e.Key);

    internal bool IsKnown(string key) => _values.ContainsKey(key);

    internal string Get(string key) => _values.TryGetValue(key, out string? v) ? v : FindExtra(key) ?? "";

    /// <summary>The source line of a key (0 when not from a file or not present).</summary>
    internal int LineOf(string key) => _lines.TryGetValue(key, out int line) ? line : 0;

    internal void Set(string key, string value)
    {
        if (_values.ContainsKey(key))
        {
            _values[key] = value;
            return;
        }

        for (int i = 0; i < _extras.Count; i++)
        {
            if (_extras[i].Key == key)
            {
                _extras[i] = (key, value, _extras[i].Anchor);
                return;
            }
        }

        _extras.Add((key, value, null));
    }

    internal RecordFields Clone()
    {
        var copy = new RecordFields(Kind, Path);
        foreach (KeyValuePair<string, string> kv in _values)
        {
            copy._values[kv.Key] = kv.Value;
        }

        foreach (KeyValuePair<string, int> kv in _lines)
        {
            copy._lines[kv.Key] = kv.Value;
        }

        copy._extras.AddRange(_extras);
        return copy;
    }

    /// <summary>
    /// Parses a record file with iscsiadm's line rules (usr/idbm.c <c>idbm_recinfo_config</c>): lines end at '\n' only,
    /// are trimmed of C-locale white space, blank and '#' lines are skipped, a line is NAME [spaces] '=' [spaces] VALUE.
    /// A key with nothing after '=' keeps its default, as iscsiadm reads it (iscsiadm never writes an empty value).
    /// </summary>
    /// <exception cref="IscsiNodeRecordFormatException">A line that is not <c>key = value</c>, holds a NUL byte, or is longer than iscsiadm reads.</exception>
    internal static RecordFields Parse(RecordKind kind, string text, string path)
    {
        var fields = new RecordFields(kind, path);
        string? anchor = null;
        int lineNumber = 0;
        foreach (string raw in text.Split('\n'))
        {
            lineNumber++;
            string? error = TryParseLine(raw, out string? name, out string? value);
            if (error is not null)
            {
                throw new IscsiNodeRecordFormatException(path, lineNumber, error);
            }

            if (name is null || value!.Length == 0)
            {
                continue;
            }

            if (fields._values.ContainsKey(name))
            {
                fields._values[name] = value;
                fields._lines[name] = lineNumber;
                anchor = name;
            }
            else
            {
                fields._extras.RemoveAll(e => e.Key == name);
                fields._extras.Add((name, value, anchor));
                fields._lines[name] = lineNumber;
            }
        }

        return fields;
    }

    /// <summary>The longest line iscsiadm 2.1.8 reads (its fgets buffer, newline included); it skips longer ones.</summary>
    internal const int MaxLineLength = 2047;

    /// <summary>
    /// One line of a record file or iscsid.conf, by iscsiadm's rules. Returns null with <paramref name="name"/> null for
    /// a blank or comment line, null with both set for a setting (<paramref name="value"/> may be empty: "key ="), or
    /// the reason the line is malformed.
    /// </summary>
    internal static string? TryParseLine(string raw, out string? name, out string? value)
    {
        name = null;
        value = null;
        if (raw.Contains('\0', StringComparison.Ordinal))
        {
            return "the line holds a NUL byte";
        }

        if (System.Text.Encoding.UTF8.GetByteCount(raw) + 1 > MaxLineLength)
        {
            return $"the line is longer than {MaxLineLength} bytes";
        }

        ReadOnlySpan<char> line = TrimC(raw);
        if (line.IsEmpty || line[0] == '#')
        {
            return null;
        }

        int i = 0;
        while (i < line.Length && !IsCSpace(line[i]) && line[i] != '=')
        {
            i++;
        }

        if (i == 0 || i == line.Length)
        {
            return "the line is not 'key = value'";
        }

        string key = line[..i].ToString();
        ReadOnlySpan<char> rest = TrimC(line[i..]);
        if (rest.IsEmpty || rest[0] != '=')
        {
            return $"'{key}' is not followed by '='";
        }

        name = key;
        value = TrimC(rest[1..]).ToString();
        return null;
    }

    /// <summary>C's isspace in the C locale, which is what iscsiadm trims: space, \t, \n, \v, \f, \r (no Unicode spaces).</summary>
    internal static bool IsCSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    private static ReadOnlySpan<char> TrimC(ReadOnlySpan<char> s)
    {
        int start = 0, end = s.Length;
        while (start < end && IsCSpace(s[start]))
        {
            start++;
        }

        while (end > start && IsCSpace(s[end - 1]))
        {
            end--;
        }

        return s[start..end];
    }

    /// <summary>The file form: <c># BEGIN RECORD 2.1.8</c>, non-empty values only, secrets in clear, <c># END RECORD</c>.</summary>
    internal string ToFileText() => Render(file: true, showSecrets: true);

    /// <summary>The <c>iscsiadm -o show</c> form: every key, <c>&lt;empty&gt;</c>, passwords masked unless <paramref name="showSecrets"/>.</summary>
    internal string ToShowText(bool showSecrets) => Render(file: false, showSecrets);

    private string Render(bool file, bool showSecrets)
    {
        var sb = new StringBuilder(4096);
        sb.Append(NodeRecordSchema.BeginPrefix).Append(' ').Append(NodeRecordSchema.Version).Append('\n');
        (string Key, string Default)[] order = Order();
        var emitted = new HashSet<string?>(StringComparer.Ordinal);
        AppendExtras(sb, null, file, emitted);
        foreach ((string key, _) in order)
        {
            AppendLine(sb, key, _values[key], file, showSecrets);
            AppendExtras(sb, key, file, emitted);
        }

        foreach ((string key, string value, string? anchor) in _extras)
        {
            if (!emitted.Contains(anchor))
            {
                AppendLine(sb, key, value, file, showSecrets);
            }
        }

        sb.Append(NodeRecordSchema.EndLine).Append('\n');
        return sb.ToString();
    }

    private void AppendExtras(StringBuilder sb, string? anchor, bool file, HashSet<string?> emitted)
    {
        emitted.Add(anchor);
        foreach ((string key, string value, string? a) in _extras)
        {
            if (a == anchor)
            {
                AppendLine(sb, key, value, file, showSecrets: true);
            }
        }
    }

    private static void AppendLine(StringBuilder sb, string key, string value, bool file, bool showSecrets)
    {
        if (!showSecrets && value.Length > 0 && NodeRecordSchema.IsPassword(key))
        {
            sb.Append(key).Append(" = ********\n");
        }
        else if (value.Length > 0)
        {
            sb.Append(key).Append(" = ").Append(value).Append('\n');
        }
        else if (!file)
        {
            sb.Append(key).Append(" = <empty>\n");
        }
    }

    private (string Key, string Default)[] Order()
    {
        if (Kind == RecordKind.Discovery)
        {
            return NodeRecordSchema.Discovery;
        }

        bool v6 = NodeRecordSchema.IsIPv6Iface(_values["iface.ipaddress"], _values["iface.iscsi_ifacename"], _values["iface.bootproto"]);
        return Kind == RecordKind.Node
            ? (v6 ? NodeRecordSchema.NodeIPv6 : NodeRecordSchema.NodeIPv4)
            : (v6 ? NodeRecordSchema.IfaceRecordIPv6 : NodeRecordSchema.IfaceRecordIPv4);
    }

    private string? FindExtra(string key)
    {
        foreach ((string k, string v, _) in _extras)
        {
            if (k == key)
            {
                return v;
            }
        }

        return null;
    }

    private static IEnumerable<(string Key, string Default)> AllKeys(RecordKind kind) => kind switch
    {
        RecordKind.Node => NodeRecordSchema.NodeIPv4.Concat(NodeRecordSchema.NodeIPv6),
        RecordKind.Iface => NodeRecordSchema.IfaceRecordIPv4.Concat(NodeRecordSchema.IfaceRecordIPv6),
        _ => NodeRecordSchema.Discovery,
    };
}
