using System.Globalization;

namespace IscsiNative.Cli.Commands;

/// <summary>One option of an alias subcommand (<c>iscsinat session|node|discovery|volume ...</c>).</summary>
/// <param name="name">The long name with its dashes (<c>--targetname</c>).</param>
/// <param name="alias">The short alias (<c>-T</c>) or null.</param>
/// <param name="description">One line for <c>--help</c>.</param>
/// <param name="takesValue">False for a flag.</param>
/// <param name="required">True when the command cannot run without it.</param>
internal sealed class SubOption(string name, string? alias, string description, bool takesValue = true, bool required = false)
{
    private readonly List<string> _values = [];

    internal string Name => name;

    internal string? Alias => alias;

    internal string Description => description;

    internal bool TakesValue => takesValue;

    internal bool Required => required;

    /// <summary>Gets a value indicating whether the option was given at least once.</summary>
    internal bool IsSet { get; private set; }

    /// <summary>Gets the last value given (null when absent or a flag).</summary>
    internal string? Value => _values.Count == 0 ? null : _values[^1];

    /// <summary>Gets every value given, in order (a repeatable option such as <c>-p</c>).</summary>
    internal string[] Values => [.. _values];

    internal bool Matches(string token) => token == name || token == alias;

    internal void Set(string? value)
    {
        IsSet = true;
        if (value is not null)
        {
            _values.Add(value);
        }
    }
}

/// <summary>
/// The command line of the alias subcommands, parsed by hand (it used to be System.CommandLine, whose types made up a
/// large share of the NativeAOT image that is rehydrated before <c>Main</c> on every start). Accepts <c>--name value</c>,
/// <c>--name=value</c>, <c>--name:value</c> and the short aliases; errors are System.CommandLine's texts on stderr, exit 1.
/// </summary>
internal static class Subcommand
{
    /// <summary>Parses <paramref name="args"/> into <paramref name="options"/>; false (errors written, or help printed) when the command should not run.</summary>
    /// <param name="args">The arguments after the subcommand name(s).</param>
    /// <param name="usage">The subcommand's usage line for <c>--help</c>.</param>
    /// <param name="env">Where help and errors go.</param>
    /// <param name="exitCode">0 after <c>--help</c>, 1 after a parse error.</param>
    /// <param name="options">The subcommand's options.</param>
    internal static bool TryParse(ReadOnlySpan<string> args, string usage, CliEnvironment env, out int exitCode, params SubOption[] options)
    {
        var errors = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg is "-h" or "--help" or "-?" or "/?" or "/h")
            {
                PrintHelp(usage, env, options);
                exitCode = 0;
                return false;
            }

            string token = arg;
            string? inline = null;
            int sep = arg.StartsWith('-') ? arg.IndexOfAny(['=', ':']) : -1;
            if (sep > 1)
            {
                token = arg[..sep];
                inline = arg[(sep + 1)..];
            }

            SubOption? option = Find(options, token);
            if (option is null)
            {
                errors.Add($"Unrecognized command or argument '{arg}'.");
                continue;
            }

            if (!option.TakesValue)
            {
                if (inline is not null && !bool.TryParse(inline, out _))
                {
                    errors.Add($"Cannot parse argument '{inline}' for option '{token}' as expected type 'System.Boolean'.");
                }

                option.Set(null);
                continue;
            }

            if (inline is null && (i + 1 >= args.Length || Find(options, args[i + 1]) is not null))
            {
                errors.Add($"Required argument missing for option: '{token}'.");
                continue;
            }

            option.Set(inline ?? args[++i]);
        }

        foreach (SubOption option in options)
        {
            if (option.Required && !option.IsSet)
            {
                errors.Add($"Option '{option.Name}' is required.");
            }
        }

        exitCode = errors.Count == 0 ? 0 : 1;
        foreach (string error in errors)
        {
            env.Stderr.Write(error + "\n");
        }

        env.Stderr.Flush();
        return errors.Count == 0;
    }

    /// <summary>A flag's value: given without a value (or as <c>--flag=true</c>).</summary>
    internal static bool Flag(SubOption option) => option.IsSet && (option.Value is null || bool.Parse(option.Value));

    /// <summary>An integer option's value, or false with System.CommandLine's message written.</summary>
    internal static bool TryInt(SubOption option, int fallback, CliEnvironment env, out int value)
    {
        if (option.Value is not string text)
        {
            value = fallback;
            return true;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        env.Stderr.Write($"Cannot parse argument '{text}' for option '{option.Name}' as expected type 'System.Int32'.\n");
        env.Stderr.Flush();
        return false;
    }

    /// <summary>An unknown or missing subcommand name: System.CommandLine's message, exit 1.</summary>
    internal static int Unrecognized(CliEnvironment env, ReadOnlySpan<string> args)
    {
        env.Stderr.Write(args.Length == 0 ? "Required command was not provided.\n" : $"Unrecognized command or argument '{args[0]}'.\n");
        env.Stderr.Flush();
        return 1;
    }

    private static SubOption? Find(SubOption[] options, string token)
    {
        foreach (SubOption o in options)
        {
            if (o.Matches(token))
            {
                return o;
            }
        }

        return null;
    }

    private static void PrintHelp(string usage, CliEnvironment env, SubOption[] options)
    {
        var text = new System.Text.StringBuilder();
        text.Append("Usage:\n  ").Append(usage).Append("\n\nOptions:\n");
        foreach (SubOption o in options)
        {
            string names = o.Alias is null ? o.Name : o.Alias + ", " + o.Name;
            text.Append("  ").Append(names.PadRight(24)).Append(o.Description);
            text.Append(o.Required ? " (REQUIRED)\n" : "\n");
        }

        CliOutput.Raw(env, text.ToString());
    }
}
