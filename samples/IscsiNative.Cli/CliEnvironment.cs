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

    /// <summary>Writes an iscsiadm error line (<c>iscsiadm: message</c>), the text operators diff against.</summary>
    public void Error(string message)
    {
        // One write(2) per line: the writer flushes after every Write call.
        Stderr.Write(string.Concat("iscsiadm: ", message, "\n"));
        Stderr.Flush();
    }
}
