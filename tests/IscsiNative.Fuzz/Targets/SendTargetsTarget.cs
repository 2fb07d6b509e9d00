using IscsiNative.Protocol;

namespace IscsiNative.Fuzz;

/// <summary>SendTargets response parsing (RFC 7143 Appendix C, open-iscsi rules). Documented: <see cref="IscsiProtocolException"/>.</summary>
public static class SendTargetsTarget
{
    public static void Run(ReadOnlySpan<byte> input)
    {
        List<SendTargetsEntry> entries;
        try
        {
            entries = SendTargetsParser.Parse(input, "192.0.2.1", 3260, TextLimits.Default);
        }
        catch (IscsiProtocolException)
        {
            return;
        }

        FuzzInvariantException.Check(entries.Count <= input.Length, "more entries than bytes");
        foreach (SendTargetsEntry e in entries)
        {
            FuzzInvariantException.Check(e.TargetName.Length > 0 && e.Address.Length > 0, "empty target name or address");
            FuzzInvariantException.Check(e.Port is >= 1 and <= 65535, "port out of range");
            FuzzInvariantException.Check(e.PortalGroupTag is >= -1 and <= 65535, "tag out of range");
        }
    }
}
