namespace IscsiNative.Cli.Iscsiadm;

/// <summary>One entry of a getopt_long option table.</summary>
/// <param name="Name">The long name (without <c>--</c>).</param>
/// <param name="HasArg">0 none, 1 required, 2 optional (only as <c>--name=value</c>).</param>
/// <param name="Value">The short option character returned for it.</param>
internal readonly record struct LongOption(string Name, int HasArg, char Value);

/// <summary>
/// GNU getopt_long as glibc implements it for an option string without a leading <c>+</c>, <c>-</c> or <c>:</c>:
/// arguments are permuted (options first), short options cluster, <c>--name</c> may be abbreviated to a unique prefix,
/// <c>--</c> ends option parsing, and errors are written to stderr with glibc's texts, prefixed with the program name.
/// </summary>
internal sealed class Getopt
{
    private readonly string[] _args;
    private readonly string _shortOptions;
    private readonly LongOption[] _longOptions;
    private readonly string _program;
    private readonly TextWriter _stderr;
    private int _index;
    private int _charIndex;

    internal Getopt(string[] args, string shortOptions, LongOption[] longOptions, string program, TextWriter stderr)
    {
        _args = args;
        _shortOptions = shortOptions;
        _longOptions = longOptions;
        _program = program;
        _stderr = stderr;
    }

    /// <summary>Gets or sets glibc's <c>optopt</c>: the option character of the last error (0 for an unknown long option). Not reset on success.</summary>
    internal char OptOpt { get; set; }

    /// <summary>Gets the argument of the option last returned.</summary>
    internal string? OptArg { get; private set; }

    /// <summary>Starts over from the first argument (glibc's <c>optind = 0</c>).</summary>
    internal void Reset()
    {
        _index = 0;
        _charIndex = 0;
    }

    /// <summary>Gets or sets the scan position (glibc's <c>optind</c> plus the position inside a cluster).</summary>
    internal (int Index, int CharIndex) Position
    {
        get => (_index, _charIndex);
        set => (_index, _charIndex) = value;
    }

    /// <summary>The next option character, <c>'?'</c> on an error (already reported), or -1 at the end.</summary>
    internal int Next()
    {
        OptArg = null;
        if (_charIndex == 0)
        {
            // Skip non-options (glibc moves them behind the options; nothing here reads them).
            while (_index < _args.Length && !IsOption(_args[_index]))
            {
                _index++;
            }

            if (_index >= _args.Length)
            {
                return -1;
            }

            if (_args[_index] == "--")
            {
                _index = _args.Length;
                return -1;
            }

            if (_args[_index].StartsWith("--", StringComparison.Ordinal))
            {
                return NextLong();
            }

            _charIndex = 1;
        }

        string arg = _args[_index];
        char c = arg[_charIndex++];
        int spec = c == ':' ? -1 : _shortOptions.IndexOf(c, StringComparison.Ordinal);
        bool last = _charIndex >= arg.Length;
        if (spec < 0)
        {
            Fail($"invalid option -- '{c}'");
            OptOpt = c;
            Advance(last);
            return '?';
        }

        bool required = spec + 1 < _shortOptions.Length && _shortOptions[spec + 1] == ':';
        if (!required)
        {
            Advance(last);
            return c;
        }

        if (!last)
        {
            OptArg = arg[_charIndex..];
            Advance(true);
            return c;
        }

        Advance(true);
        if (_index >= _args.Length)
        {
            Fail($"option requires an argument -- '{c}'");
            OptOpt = c;
            return '?';
        }

        OptArg = _args[_index++];
        return c;
    }

    private static bool IsOption(string arg) => arg.Length > 1 && arg[0] == '-';

    private void Advance(bool endOfCluster)
    {
        if (endOfCluster)
        {
            _index++;
            _charIndex = 0;
        }
    }

    private int NextLong()
    {
        string text = _args[_index][2..];
        _index++;
        int eq = text.IndexOf('=', StringComparison.Ordinal);
        string name = eq < 0 ? text : text[..eq];
        LongOption? found = null;
        var candidates = new List<LongOption>();
        foreach (LongOption o in _longOptions)
        {
            if (o.Name == name)
            {
                found = o;
                candidates.Clear();
                break;
            }

            if (o.Name.StartsWith(name, StringComparison.Ordinal))
            {
                candidates.Add(o);
            }
        }

        if (found is null && candidates.Count > 0)
        {
            // glibc: several prefixes matching options that behave the same are not ambiguous.
            LongOption first = candidates[0];
            if (candidates.TrueForAll(o => o.HasArg == first.HasArg && o.Value == first.Value))
            {
                found = first;
            }
            else
            {
                _stderr.Write($"{_program}: option '--{text}' is ambiguous; possibilities:");
                foreach (LongOption o in candidates)
                {
                    _stderr.Write($" '--{o.Name}'");
                }

                _stderr.Write('\n');
                OptOpt = '\0';
                return '?';
            }
        }

        if (found is not LongOption option)
        {
            Fail($"unrecognized option '--{text}'");
            OptOpt = '\0';
            return '?';
        }

        if (eq >= 0)
        {
            if (option.HasArg == 0)
            {
                Fail($"option '--{option.Name}' doesn't allow an argument");
                OptOpt = option.Value;
                return '?';
            }

            OptArg = text[(eq + 1)..];
        }
        else if (option.HasArg == 1)
        {
            if (_index >= _args.Length)
            {
                Fail($"option '--{option.Name}' requires an argument");
                OptOpt = option.Value;
                return '?';
            }

            OptArg = _args[_index++];
        }

        return option.Value;
    }

    private void Fail(string message)
    {
        _stderr.Write(_program);
        _stderr.Write(": ");
        _stderr.Write(message);
        _stderr.Write('\n');
    }
}
