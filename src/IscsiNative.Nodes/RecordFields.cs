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
    /// Parses a record file with iscsiadm's line rules (usr/idbm.c <c>idbm_recinfo_config</c>): lines are trimmed,
    /// blank and '#' lines skipped, a line is NAME [spaces] '=' [spaces] VALUE; a key with nothing after '=' is empty.
    /// </summary>
    /// <exception cref="IscsiNodeRecordFormatException">A line that is not <c>key = value</c>.</exception>
    internal static RecordFields Parse(RecordKind kind, string text, string path)
    {
        var fields = new RecordFields(kind, path);
        string? anchor = null;
        int lineNumber = 0;
        foreach (ReadOnlySpan<char> raw in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            ReadOnlySpan<char> line = raw.Trim();
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            int i = 0;
            while (i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] != '=')
            {
                i++;
            }

            if (i == 0 || i == line.Length)
            {
                throw new IscsiNodeRecordFormatException(path, lineNumber, "the line is not 'key = value'");
            }

            string name = line[..i].ToString();
            ReadOnlySpan<char> rest = line[i..].TrimStart();
            if (rest.IsEmpty || rest[0] != '=')
            {
                throw new IscsiNodeRecordFormatException(path, lineNumber, $"'{name}' is not followed by '='");
            }

            string value = rest[1..].Trim().ToString();
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
