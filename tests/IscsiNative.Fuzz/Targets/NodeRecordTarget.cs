using System.Text;
using IscsiNative.Nodes;

namespace IscsiNative.Fuzz;

/// <summary>
/// A node record file as an administrator may have edited it (<c>nodes/IQN/PORTAL/IFACE</c>): the first byte picks
/// the record kind (node, iface, discovery), the rest is the file. A malformed line is
/// <see cref="IscsiNodeRecordFormatException"/> naming the line; a record that parses must write back to a file that
/// parses to the same file text (nothing lost or corrupted on rewrite), and the <c>-o show</c> form must mask every
/// password.
/// </summary>
public static class NodeRecordTarget
{
    private static readonly RecordKind[] Kinds = [RecordKind.Node, RecordKind.Iface, RecordKind.Discovery];

    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        RecordKind kind = Kinds[input[0] % Kinds.Length];
        string text = Encoding.UTF8.GetString(input[1..]);
        RecordFields fields;
        try
        {
            fields = RecordFields.Parse(kind, text, "fuzz");
        }
        catch (IscsiNodeRecordFormatException e)
        {
            FuzzInvariantException.Check(e.LineNumber > 0 && e.FilePath == "fuzz", "format error without its file and line");
            return;
        }

        CheckRoundTrip(fields);
    }

    /// <summary>The record's file text parses back, and rewriting that gives the same text; show masks passwords.</summary>
    internal static void CheckRoundTrip(RecordFields fields)
    {
        string file = fields.ToFileText();
        RecordFields again;
        try
        {
            again = RecordFields.Parse(fields.Kind, file, "rewrite");
        }
        catch (IscsiNodeRecordFormatException e)
        {
            throw new FuzzInvariantException($"a record the library wrote does not parse back (line {e.LineNumber}: {e.Message})");
        }

        FuzzInvariantException.Check(again.ToFileText() == file, "rewriting a record changed it");
        foreach (string line in fields.ToShowText(showSecrets: false).Split('\n'))
        {
            int eq = line.IndexOf(" = ", StringComparison.Ordinal);
            if (eq > 0 && NodeRecordSchema.IsPassword(line[..eq]))
            {
                string shown = line[(eq + 3)..];
                FuzzInvariantException.Check(shown is "********" or "<empty>", $"a password ({line[..eq]}) is shown in clear by -o show");
            }
        }
    }
}
