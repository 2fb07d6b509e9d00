using System.Buffers;
using System.Globalization;
using System.Text;
using IscsiNative.Initiator;

namespace IscsiNative.Formatting;

/// <summary>
/// Writes discovery results exactly as <c>iscsiadm -m discovery -t st</c> prints them (open-iscsi
/// <c>idbm_print_node_flat</c>): one <c>address:port,tpgt target</c> line per portal, with the address in brackets when
/// it contains no '.' (the same "no dot" test iscsiadm uses, so dot-less host names get brackets too).
/// </summary>
internal static class DiscoveryFormatter
{
    /// <summary>Writes one line per portal of every target.</summary>
    /// <param name="writer">Destination.</param>
    /// <param name="targets">Discovery results.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void Write(TextWriter writer, IEnumerable<DiscoveredTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(targets);
        foreach (DiscoveredTarget target in targets)
        {
            foreach (DiscoveredPortal portal in target.Portals)
            {
                writer.Write(FormatLine(target.Name, portal));
            }
        }
    }

    /// <summary>Writes the lines as UTF-8.</summary>
    /// <param name="writer">Destination.</param>
    /// <param name="targets">Discovery results.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void Write(IBufferWriter<byte> writer, IEnumerable<DiscoveredTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(targets);
        foreach (DiscoveredTarget target in targets)
        {
            foreach (DiscoveredPortal portal in target.Portals)
            {
                string line = FormatLine(target.Name, portal);
                Span<byte> span = writer.GetSpan(Encoding.UTF8.GetMaxByteCount(line.Length));
                writer.Advance(Encoding.UTF8.GetBytes(line, span));
            }
        }
    }

    /// <summary>All lines as one string.</summary>
    /// <param name="targets">Discovery results.</param>
    /// <returns>The iscsiadm text, each line ending in '\n'.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="targets"/> is null.</exception>
    public static string Format(IEnumerable<DiscoveredTarget> targets)
    {
        var sw = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        Write(sw, targets);
        return sw.ToString();
    }

    /// <summary>One line: <c>"%s:%d,%d %s\n"</c>, or <c>"[%s]:%d,%d %s\n"</c> when the address has no '.'.</summary>
    /// <param name="targetName">The target name.</param>
    /// <param name="portal">One of its portals.</param>
    /// <returns>The line including its '\n'.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static string FormatLine(string targetName, DiscoveredPortal portal)
    {
        ArgumentNullException.ThrowIfNull(targetName);
        ArgumentNullException.ThrowIfNull(portal);
        string address = portal.Portal.Address;
        return address.Contains('.')
            ? string.Create(CultureInfo.InvariantCulture, $"{address}:{portal.Portal.Port},{portal.PortalGroupTag} {targetName}\n")
            : string.Create(CultureInfo.InvariantCulture, $"[{address}]:{portal.Portal.Port},{portal.PortalGroupTag} {targetName}\n");
    }
}
