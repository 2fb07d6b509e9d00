using System.Text;

namespace IscsiNative.Volumes;

/// <summary>
/// The WWID of a SCSI disk in multipath's form (SESSIONS-AND-VOLUMES.md §7): the kernel's <c>device/wwid</c>
/// (<c>naa.</c>/<c>eui.</c>/<c>t10.</c> → type digit 3/2/1) or, without it, the best designator of VPD page 0x83
/// (NAA > EUI-64 > T10), as <c>36001405…</c>.
/// </summary>
internal static class Wwid
{
    /// <summary>Converts the kernel's <c>device/wwid</c> text; null for an unknown form.</summary>
    internal static string? FromKernelWwid(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        return text switch
        {
            _ when text.StartsWith("naa.", StringComparison.Ordinal) => "3" + text[4..].ToLowerInvariant(),
            _ when text.StartsWith("eui.", StringComparison.Ordinal) => "2" + text[4..].ToLowerInvariant(),
            _ when text.StartsWith("t10.", StringComparison.Ordinal) => "1" + text[4..],
            _ => null,
        };
    }

    /// <summary>Picks the best logical-unit designator of a VPD page 0x83; null when it has none of NAA, EUI-64, T10.</summary>
    internal static string? FromVpdPage83(ReadOnlySpan<byte> page)
    {
        if (page.Length < 4 || page[1] != 0x83)
        {
            return null;
        }

        int end = Math.Min(page.Length, 4 + ((page[2] << 8) | page[3]));
        string? best = null;
        int bestRank = 0;
        for (int i = 4; i + 4 <= end;)
        {
            int codeSet = page[i] & 0x0f;
            int association = (page[i + 1] >> 4) & 0x3;
            int type = page[i + 1] & 0x0f;
            int length = page[i + 3];
            if (i + 4 + length > end)
            {
                break;
            }

            ReadOnlySpan<byte> id = page.Slice(i + 4, length);
            i += 4 + length;
            if (association != 0 || length == 0)
            {
                continue;
            }

            (int rank, string? value) = type switch
            {
                3 when codeSet == 1 => (3, "3" + Convert.ToHexStringLower(id)),
                2 when codeSet == 1 => (2, "2" + Convert.ToHexStringLower(id)),
                1 => (1, "1" + Encoding.ASCII.GetString(id).Trim()),
                _ => (0, null),
            };
            if (rank > bestRank)
            {
                (bestRank, best) = (rank, value);
            }
        }

        return best;
    }
}
