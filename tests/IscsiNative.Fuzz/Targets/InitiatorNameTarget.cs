using System.Text;
using IscsiNative.Initiator;

namespace IscsiNative.Fuzz;

/// <summary><c>/etc/iscsi/initiatorname.iscsi</c> parsing (a file an administrator edits). Never throws; null means no name.</summary>
public static class InitiatorNameTarget
{
    public static void Run(ReadOnlySpan<byte> input)
    {
        string? name = InitiatorNameFile.Parse(Encoding.UTF8.GetString(input));
        if (name is not null)
        {
            FuzzInvariantException.Check(name.Length > 0 && !name.Any(char.IsWhiteSpace), "name empty or with whitespace");
        }
    }
}
