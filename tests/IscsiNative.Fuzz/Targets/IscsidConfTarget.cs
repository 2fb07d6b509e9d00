using IscsiNative.Nodes;

namespace IscsiNative.Fuzz;

/// <summary>
/// <c>iscsid.conf</c> as an administrator may have edited it: its settings become the defaults of every new record
/// (node, and discovery for <c>discovery.sendtargets.*</c>). Lines that do not parse are skipped, never an exception; a
/// record built from any config must write a file that parses back unchanged (a setting must not smuggle a line break
/// or anything else into a record that iscsiadm or the library would then misread).
/// </summary>
public static class IscsidConfTarget
{
    public static void Run(ReadOnlySpan<byte> input)
    {
        var node = new RecordFields(RecordKind.Node);
        var discovery = new RecordFields(RecordKind.Discovery);
        foreach ((string key, string value, bool raw) in IscsidConf.Parse(input))
        {
            FuzzInvariantException.Check(key.Length > 0 && value.Length > 0, "empty key or value");
            foreach (RecordFields fields in new[] { node, discovery })
            {
                if (fields.IsKnown(key))
                {
                    fields.SetFromFile(key, value, raw);
                }
            }
        }

        NodeRecordTarget.CheckRoundTrip(node);
        NodeRecordTarget.CheckRoundTrip(discovery);
    }
}
