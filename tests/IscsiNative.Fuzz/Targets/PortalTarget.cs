using System.Text;
using IscsiNative.Initiator;

namespace IscsiNative.Fuzz;

/// <summary><c>IP[:PORT]</c> / <c>[IPv6][:PORT]</c> portal parsing (CLI and API input). TryParse never throws; Parse throws <see cref="FormatException"/>.</summary>
public static class PortalTarget
{
    public static void Run(ReadOnlySpan<byte> input)
    {
        string text = Encoding.UTF8.GetString(input);
        if (IscsiPortal.TryParse(text, out IscsiPortal? portal))
        {
            FuzzInvariantException.Check(portal.Port is >= 1 and <= 65535 && portal.Address.Length > 0, "portal fields");
            FuzzInvariantException.Check(IscsiPortal.TryParse(portal.ToString(), out IscsiPortal? again) && again == portal, "portal does not round-trip through ToString");
        }
        else
        {
            try
            {
                IscsiPortal.Parse(text);
                throw new FuzzInvariantException("Parse accepted what TryParse refused");
            }
            catch (FormatException)
            {
            }
        }
    }
}
