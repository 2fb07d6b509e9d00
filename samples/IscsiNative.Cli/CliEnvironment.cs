using IscsiNative.Iscsid;
using IscsiNative.Formatting;
using IscsiNative.Nodes;

namespace IscsiNative.Cli;

/// <summary>What a command runs against: its output streams and the pluggable sources (tests swap them).</summary>
/// <param name="Stdout">Standard output; iscsiadm-compatible text is written to it as raw bytes.</param>
/// <param name="Stderr">Standard error; iscsiadm's <c>iscsiadm: …</c> messages go here.</param>
internal sealed record CliEnvironment(Stream Stdout, TextWriter Stderr)
{
    /// <summary>iscsid's connection/session states for <c>-P 1..3</c>; <see langword="null"/> prints Unknown.</summary>
    public IIscsidStateSource? IscsidStates { get; init; }

    /// <summary>The sysfs root when <c>--sysfs-root</c> is not given.</summary>
    public string DefaultSysfsRoot { get; init; } = "/sys";

    /// <summary>The node database iscsiadm 2.1.8 uses (<c>/etc/iscsi</c>); tests point it at a temporary tree.</summary>
    public IscsiNodeDatabaseOptions NodeDatabase { get; init; } = new();

    /// <summary>The abstract socket name iscsid listens on (<c>ISCSIADM_ABSTRACT_NAMESPACE</c>); tests point it at a fake.</summary>
    public string IscsidSocketName { get; init; } = IscsidClient.DefaultAbstractName;

    /// <summary>iscsiadm's <c>-d N</c>: at 1 and above, <see cref="Debug"/> lines are written.</summary>
    public int DebugLevel { get; init; }

    /// <summary>Writes a debug line (<c>iscsiadm: message</c> on stderr, as iscsiadm's log_debug) when
    /// <c>-d</c> is at least <paramref name="level"/>.</summary>
    /// <param name="level">The least debug level that shows the line.</param>
    /// <param name="message">The text; each of its lines gets the prefix.</param>
    public void Debug(int level, string message)
    {
        if (DebugLevel < level)
        {
            return;
        }

        foreach (string line in message.Split('\n'))
        {
            Error(line.TrimEnd('\r'));
        }
    }

    /// <summary>Writes an iscsiadm error line (<c>iscsiadm: message</c>), the text operators diff against.</summary>
    public void Error(string message)
    {
        // One write(2) per line: the writer flushes after every Write call.
        Stderr.Write(string.Concat("iscsiadm: ", message, "\n"));
        Stderr.Flush();
    }
}
