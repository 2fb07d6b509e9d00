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
/// Values live in one slot array per record over a shared schema index (<see cref="RecordLayout"/>); a slot holding
/// null has the code default. A line that is not valid UTF-8 is read as Latin-1 (one char per byte) and its key is
/// remembered, so a rewrite writes that line's bytes back unchanged until the key is set through the API.
/// </summary>
internal sealed class RecordFields
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private readonly RecordLayout _layout;
    private readonly string?[] _values;
    private int[]? _lines;
    private List<Extra>? _extras;
    private HashSet<string>? _latin1Keys;

    internal RecordFields(RecordKind kind, string? path = null)
    {
        Kind = kind;
        Path = path;
        _layout = RecordLayout.For(kind);
        _values = new string?[_layout.Keys.Length];
    }

    internal RecordKind Kind { get; }

    /// <summary>The file the record was read from (for error messages), or null.</summary>
    internal string? Path { get; set; }

    /// <summary>Keys the schema does not know, in file order.</summary>
    internal IEnumerable<string> UnknownKeys => _extras is null ? [] : _extras.Select(e => e.Key);

    /// <summary>Keys whose line was not valid UTF-8 and is kept as read (Latin-1, byte for byte) until set again.</summary>
    internal IReadOnlyCollection<string> RawKeys => (IReadOnlyCollection<string>?)_latin1Keys ?? [];

    internal bool IsKnown(string key) => _layout.Index.ContainsKey(key);

    internal string Get(string key) => _layout.Index.TryGetValue(key, out int slot) ? Get(slot) : FindExtra(key) ?? "";

    private string Get(int slot) => _values[slot] ?? _layout.Defaults[slot];

    /// <summary>The source line of a key (0 when not from a file or not present).</summary>
    internal int LineOf(string key)
    {
        if (_layout.Index.TryGetValue(key, out int slot))
        {
            return _lines?[slot] ?? 0;
        }

        if (_extras is not null)
        {
            foreach (Extra e in _extras)
            {
                if (e.Key == key)
                {
                    return e.Line;
                }
            }
        }

        return 0;
    }

    internal void Set(string key, string value)
    {
        _latin1Keys?.Remove(key);
        if (_layout.Index.TryGetValue(key, out int slot))
        {
            _values[slot] = value;
            return;
        }

        _extras ??= [];
        for (int i = 0; i < _extras.Count; i++)
        {
            if (_extras[i].Key == key)
            {
                _extras[i] = _extras[i] with { Value = value };
                return;
            }
        }

        _extras.Add(new Extra(key, value, null, 0));
    }

    /// <summary>Sets a value read from a file (iscsid.conf); <paramref name="raw"/>: its line was read as Latin-1 and is written back so.</summary>
    internal void SetFromFile(string key, string value, bool raw)
    {
        Set(key, value);
        if (raw)
        {
            (_latin1Keys ??= new HashSet<string>(StringComparer.Ordinal)).Add(key);
        }
    }

    internal RecordFields Clone()
    {
        var copy = new RecordFields(Kind, Path);
        Array.Copy(_values, copy._values, _values.Length);
        copy._lines = (int[]?)_lines?.Clone();
        copy._extras = _extras is null ? null : [.. _extras];
        copy._latin1Keys = _latin1Keys is null ? null : new HashSet<string>(_latin1Keys, StringComparer.Ordinal);
        return copy;
    }

    /// <summary>
    /// Parses a record file with iscsiadm's line rules (usr/idbm.c <c>idbm_recinfo_config</c>): lines end at '\n' only,
    /// are trimmed of C-locale white space, blank and '#' lines are skipped, a line is NAME [spaces] '=' [spaces] VALUE.
    /// A key with nothing after '=' keeps its default, as iscsiadm reads it (iscsiadm never writes an empty value).
    /// </summary>
    /// <exception cref="IscsiNodeRecordFormatException">A line that is not <c>key = value</c>, holds a NUL byte, or is longer than iscsiadm reads.</exception>
    internal static RecordFields Parse(RecordKind kind, string text, string path) =>
        Parse(kind, Encoding.UTF8.GetBytes(text), path);

    /// <summary>Reads and parses a record file (a leading UTF-8 byte order mark is skipped, as a text reader does).</summary>
    /// <exception cref="IscsiNodeRecordFormatException">The file is malformed.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file is not readable.</exception>
    internal static RecordFields ReadFile(RecordKind kind, string path)
    {
        byte[] buffer = RecordFile.Read(path, out int length, out bool pooled);
        try
        {
            ReadOnlySpan<byte> data = buffer.AsSpan(0, length);
            return Parse(kind, data.StartsWith(Utf8Bom) ? data[3..] : data, path);
        }
        finally
        {
            RecordFile.Return(buffer, pooled);
        }
    }

    /// <summary>Parses the bytes of a record file; see <see cref="Parse(RecordKind, string, string)"/>.</summary>
    internal static RecordFields Parse(RecordKind kind, ReadOnlySpan<byte> data, string path)
    {
        var fields = new RecordFields(kind, path);
        RecordLayout layout = fields._layout;
        int[] lines = fields._lines = new int[layout.Keys.Length];
        Span<char> keyBuffer = stackalloc char[128];
        string? anchor = null;
        int lineNumber = 0;
        bool allUtf8 = System.Text.Unicode.Utf8.IsValid(data);
        while (true)
        {
            lineNumber++;
            int nl = data.IndexOf((byte)'\n');
            ReadOnlySpan<byte> raw = nl < 0 ? data : data[..nl];
            string? error = TryParseLine(raw, out Range keyRange, out Range valueRange);
            if (error is not null)
            {
                throw new IscsiNodeRecordFormatException(path, lineNumber, error);
            }

            ReadOnlySpan<byte> valueBytes = raw[valueRange];
            if (!valueBytes.IsEmpty)
            {
                ReadOnlySpan<byte> keyBytes = raw[keyRange];
                bool latin1 = !allUtf8 && !System.Text.Unicode.Utf8.IsValid(raw);
                int slot = -1;
                if (!latin1 && keyBytes.Length <= keyBuffer.Length && System.Text.Ascii.IsValid(keyBytes))
                {
                    Span<char> keyChars = keyBuffer[..keyBytes.Length];
                    System.Text.Ascii.ToUtf16(keyBytes, keyChars, out _);
                    if (!layout.SpanIndex.TryGetValue(keyChars, out slot))
                    {
                        slot = -1;
                    }
                }

                if (slot >= 0)
                {
                    string key = layout.Keys[slot];
                    string def = layout.Defaults[slot];
                    valueBytes = ClipToLine(keyBytes.Length, valueBytes, latin1);
                    fields._values[slot] = System.Text.Ascii.Equals(valueBytes, def) ? null : Decode(valueBytes, latin1);
                    lines[slot] = lineNumber;
                    anchor = key;
                    if (fields._latin1Keys is not null)
                    {
                        fields._latin1Keys.Remove(key);
                    }
                }
                else
                {
                    string name = Decode(keyBytes, latin1);
                    string value = Decode(valueBytes, latin1);
                    if (latin1 && layout.Index.ContainsKey(name))
                    {
                        value = Decode(ClipToLine(keyBytes.Length, valueBytes, latin1), latin1);
                        // A known key with a Latin-1 value.
                        int s = layout.Index[name];
                        fields._values[s] = value;
                        lines[s] = lineNumber;
                        anchor = layout.Keys[s];
                    }
                    else if (keyBytes.Length + valueBytes.Length + 4 <= MaxLineLength)
                    {
                        // Kept, to be written back as "key = value\n": that line must still be one iscsiadm (and this
                        // parser) reads. A longer one is dropped when the record is rewritten, as iscsiadm drops every
                        // key it does not know (found by afl: "key =value" 1 byte under the limit came back over it).
                        fields._extras ??= [];
                        fields._extras.RemoveAll(e => e.Key == name);
                        fields._extras.Add(new Extra(name, value, anchor, lineNumber));
                    }

                    if (latin1)
                    {
                        (fields._latin1Keys ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
                    }
                    else
                    {
                        fields._latin1Keys?.Remove(name);
                    }
                }
            }

            if (nl < 0)
            {
                break;
            }

            data = data[(nl + 1)..];
        }

        return fields;
    }

    /// <summary>
    /// A known key's value cut so that <c>KEY = VALUE\n</c>, the way the record is written back, still fits iscsiadm's
    /// line (found by afl for unknown lines; the same held for known ones). iscsiadm itself cuts every value to its field's
    /// size (at most 1025 bytes) when it reads the line, so this keeps at least as much as iscsiadm does. The cut falls on
    /// a UTF-8 character boundary and drops the white space it leaves at the end (the parser trims it).
    /// </summary>
    private static ReadOnlySpan<byte> ClipToLine(int keyLength, ReadOnlySpan<byte> value, bool latin1)
    {
        int room = MaxLineLength - keyLength - 4;
        if (value.Length <= room)
        {
            return value;
        }

        int end = Math.Max(room, 0);
        while (!latin1 && end > 0 && (value[end] & 0xC0) == 0x80)
        {
            end--;
        }

        while (end > 0 && IsCSpace((char)value[end - 1]))
        {
            end--;
        }

        return value[..end];
    }

    private static string Decode(ReadOnlySpan<byte> bytes, bool latin1) =>
        latin1 ? Encoding.Latin1.GetString(bytes) : Encoding.UTF8.GetString(bytes);

    /// <summary>The longest line iscsiadm 2.1.8 reads (its fgets buffer, newline included); it skips longer ones.</summary>
    internal const int MaxLineLength = 2047;

    /// <summary>
    /// One line of a record file or iscsid.conf, by iscsiadm's rules: the key and value as ranges of
    /// <paramref name="raw"/> (both empty for a blank or comment line; the value empty for "key ="). Returns null, or
    /// the reason the line is malformed (a NUL byte, longer than iscsiadm reads, not <c>key = value</c>).
    /// </summary>
    internal static string? TryParseLine(ReadOnlySpan<byte> raw, out Range key, out Range value)
    {
        key = default;
        value = default;
        if (raw.Contains((byte)0))
        {
            return "the line holds a NUL byte";
        }

        if (raw.Length + 1 > MaxLineLength)
        {
            return $"the line is longer than {MaxLineLength} bytes";
        }

        (int start, int end) = TrimC(raw, 0, raw.Length);
        if (start == end || raw[start] == (byte)'#')
        {
            return null;
        }

        int i = start;
        while (i < end && !IsCSpace((char)raw[i]) && raw[i] != (byte)'=')
        {
            i++;
        }

        if (i == start || i == end)
        {
            return "the line is not 'key = value'";
        }

        (int restStart, int restEnd) = TrimC(raw, i, end);
        if (restStart == restEnd || raw[restStart] != (byte)'=')
        {
            string name = System.Text.Unicode.Utf8.IsValid(raw[start..i]) ? Encoding.UTF8.GetString(raw[start..i]) : Encoding.Latin1.GetString(raw[start..i]);
            return $"'{name}' is not followed by '='";
        }

        (int valueStart, int valueEnd) = TrimC(raw, restStart + 1, restEnd);
        key = start..i;
        value = valueStart..valueEnd;
        return null;
    }

    private static (int Start, int End) TrimC(ReadOnlySpan<byte> s, int start, int end)
    {
        while (start < end && IsCSpace((char)s[start]))
        {
            start++;
        }

        while (end > start && IsCSpace((char)s[end - 1]))
        {
            end--;
        }

        return (start, end);
    }

    /// <summary>C's isspace in the C locale, which is what iscsiadm trims: space, \t, \n, \v, \f, \r (no Unicode spaces).</summary>
    internal static bool IsCSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    /// <summary>The file form: <c># BEGIN RECORD 2.1.8</c>, non-empty values only, secrets in clear, <c># END RECORD</c>.</summary>
    internal string ToFileText() => Render(file: true, showSecrets: true);

    /// <summary>
    /// The file form as bytes: UTF-8, except the lines of <see cref="RawKeys"/> (read as Latin-1 from a line that was
    /// not valid UTF-8 and not set since), which get their original bytes back.
    /// </summary>
    internal byte[] ToFileBytes()
    {
        string text = ToFileText();
        if (_latin1Keys is null || _latin1Keys.Count == 0)
        {
            return Encoding.UTF8.GetBytes(text);
        }

        HashSet<string>.AlternateLookup<ReadOnlySpan<char>> raw = _latin1Keys.GetAlternateLookup<ReadOnlySpan<char>>();
        var output = new List<byte>(text.Length + 16);
        ReadOnlySpan<char> rest = text;
        while (!rest.IsEmpty)
        {
            int nl = rest.IndexOf('\n');
            ReadOnlySpan<char> line = nl < 0 ? rest : rest[..(nl + 1)];
            int eq = line.IndexOf(" = ", StringComparison.Ordinal);
            bool latin1 = eq > 0 && raw.Contains(line[..eq]) && !line.ContainsAnyExceptInRange('\0', '\u00FF');
            output.AddRange(latin1 ? Encoding.Latin1.GetBytes(line.ToArray()) : Encoding.UTF8.GetBytes(line.ToArray()));
            rest = nl < 0 ? [] : rest[(nl + 1)..];
        }

        return [.. output];
    }

    /// <summary>The <c>iscsiadm -o show</c> form: every key, <c>&lt;empty&gt;</c>, passwords masked unless <paramref name="showSecrets"/>.</summary>
    internal string ToShowText(bool showSecrets) => Render(file: false, showSecrets);

    private string Render(bool file, bool showSecrets)
    {
        var sb = new StringBuilder(4096);
        sb.Append(NodeRecordSchema.BeginPrefix).Append(' ').Append(NodeRecordSchema.Version).Append('\n');
        int[] order = Order();
        string[] keys = _layout.Keys;
        if (_extras is null || _extras.Count == 0)
        {
            foreach (int slot in order)
            {
                AppendLine(sb, keys[slot], Get(slot), file, showSecrets);
            }
        }
        else
        {
            var emitted = new HashSet<string?>(StringComparer.Ordinal);
            AppendExtras(sb, null, file, showSecrets, emitted);
            foreach (int slot in order)
            {
                AppendLine(sb, keys[slot], Get(slot), file, showSecrets);
                AppendExtras(sb, keys[slot], file, showSecrets, emitted);
            }

            foreach (Extra e in _extras)
            {
                if (!emitted.Contains(e.Anchor))
                {
                    AppendLine(sb, e.Key, e.Value, file, showSecrets);
                }
            }
        }

        sb.Append(NodeRecordSchema.EndLine).Append('\n');
        return sb.ToString();
    }

    private void AppendExtras(StringBuilder sb, string? anchor, bool file, bool showSecrets, HashSet<string?> emitted)
    {
        emitted.Add(anchor);
        foreach (Extra e in _extras!)
        {
            if (e.Anchor == anchor)
            {
                AppendLine(sb, e.Key, e.Value, file, showSecrets);
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

    private int[] Order()
    {
        if (Kind == RecordKind.Discovery)
        {
            return _layout.OrderIPv4;
        }

        bool v6 = NodeRecordSchema.IsIPv6Iface(Get("iface.ipaddress"), Get("iface.iscsi_ifacename"), Get("iface.bootproto"));
        return v6 ? _layout.OrderIPv6 : _layout.OrderIPv4;
    }

    private string? FindExtra(string key)
    {
        if (_extras is not null)
        {
            foreach (Extra e in _extras)
            {
                if (e.Key == key)
                {
                    return e.Value;
                }
            }
        }

        return null;
    }

    /// <summary>A key the schema does not know: its value, the known key it followed (null: before all), its line.</summary>
    private readonly record struct Extra(string Key, string Value, string? Anchor, int Line);
}

/// <summary>
/// The keys of one record kind, shared by every record of that kind: slot numbers, code defaults, and the slot orders
/// of the IPv4 and IPv6 key blocks (the file order iscsiadm writes).
/// </summary>
internal sealed class RecordLayout
{
    private static readonly RecordLayout Node = new(NodeRecordSchema.NodeIPv4, NodeRecordSchema.NodeIPv6);
    private static readonly RecordLayout Iface = new(NodeRecordSchema.IfaceRecordIPv4, NodeRecordSchema.IfaceRecordIPv6);
    private static readonly RecordLayout Discovery = new(NodeRecordSchema.Discovery, NodeRecordSchema.Discovery);

    private RecordLayout((string Key, string Default)[] ipv4, (string Key, string Default)[] ipv6)
    {
        var keys = new List<string>();
        var defaults = new List<string>();
        Index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach ((string key, string value) in ipv4.Concat(ipv6))
        {
            if (Index.TryGetValue(key, out int slot))
            {
                defaults[slot] = value;
            }
            else
            {
                Index[key] = keys.Count;
                keys.Add(key);
                defaults.Add(value);
            }
        }

        Keys = [.. keys];
        Defaults = [.. defaults];
        SpanIndex = Index.GetAlternateLookup<ReadOnlySpan<char>>();
        OrderIPv4 = [.. ipv4.Select(k => Index[k.Key])];
        OrderIPv6 = [.. ipv6.Select(k => Index[k.Key])];
    }

    internal string[] Keys { get; }

    internal string[] Defaults { get; }

    internal Dictionary<string, int> Index { get; }

    internal Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> SpanIndex { get; }

    internal int[] OrderIPv4 { get; }

    internal int[] OrderIPv6 { get; }

    internal static RecordLayout For(RecordKind kind) => kind switch
    {
        RecordKind.Node => Node,
        RecordKind.Iface => Iface,
        _ => Discovery,
    };
}
