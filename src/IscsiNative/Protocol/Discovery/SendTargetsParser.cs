using System.Text;

namespace IscsiNative.Protocol;

/// <summary>
/// Parses a SendTargets response (RFC 7143 Appendix C) with open-iscsi's rules (OPEN-ISCSI.md §3): the tag follows the
/// last ',', brackets around IPv6 are stripped, a missing port is 3260, a missing tag is -1, and a target without any
/// TargetAddress is reachable through the discovery portal.
/// </summary>
internal static class SendTargetsParser
{
    public const int DefaultPort = 3260;

    /// <exception cref="IscsiProtocolException">Malformed text, a TargetAddress before any TargetName, or a bad port/tag.</exception>
    public static List<SendTargetsEntry> Parse(ReadOnlySpan<byte> text, string discoveryAddress, int discoveryPort, TextLimits limits)
    {
        var result = new List<SendTargetsEntry>();
        var reader = new TextKeyValueReader(text, limits);
        string? current = null;
        bool currentHasAddress = false;
        while (reader.TryRead(out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value))
        {
            if (key.SequenceEqual("TargetName"u8))
            {
                if (current is not null && !currentHasAddress)
                {
                    result.Add(new(current, discoveryAddress, discoveryPort, -1));
                }

                if (value.IsEmpty)
                {
                    ThrowHelper.ThrowProtocol("SendTargets response with an empty TargetName");
                }

                current = Encoding.UTF8.GetString(value);
                currentHasAddress = false;
            }
            else if (key.SequenceEqual("TargetAddress"u8))
            {
                if (current is null)
                {
                    ThrowHelper.ThrowProtocol("SendTargets response has a TargetAddress before any TargetName");
                }

                (string address, int port, int tag) = ParseTargetAddress(value);
                result.Add(new(current, address, port, tag));
                currentHasAddress = true;
            }
        }

        if (current is not null && !currentHasAddress)
        {
            result.Add(new(current, discoveryAddress, discoveryPort, -1));
        }

        return result;
    }

    /// <summary>Splits <c>address[:port][,tag]</c>; IPv6 in brackets, or bare with more than one ':' (then no port).</summary>
    /// <exception cref="IscsiProtocolException">Empty address, or a port/tag that is not a number in range.</exception>
    public static (string Address, int Port, int Tag) ParseTargetAddress(ReadOnlySpan<byte> value)
    {
        int tag = -1;
        int comma = value.LastIndexOf((byte)',');
        if (comma >= 0)
        {
            if (!TextValue.TryParseNumber(value[(comma + 1)..], 0, 65535, out ulong t))
            {
                ThrowHelper.ThrowProtocol("TargetAddress has a bad portal group tag");
            }

            tag = (int)t;
            value = value[..comma];
        }

        ReadOnlySpan<byte> host;
        ReadOnlySpan<byte> port = default;
        if (value.Length > 0 && value[0] == '[')
        {
            int close = value.IndexOf((byte)']');
            if (close < 0)
            {
                ThrowHelper.ThrowProtocol("TargetAddress has '[' without ']'");
            }

            host = value[1..close];
            ReadOnlySpan<byte> rest = value[(close + 1)..];
            if (!rest.IsEmpty)
            {
                if (rest[0] != ':')
                {
                    ThrowHelper.ThrowProtocol("TargetAddress has text after ']'");
                }

                port = rest[1..];
            }
        }
        else
        {
            int colon = value.IndexOf((byte)':');
            if (colon >= 0 && colon == value.LastIndexOf((byte)':'))
            {
                host = value[..colon];
                port = value[(colon + 1)..];
            }
            else
            {
                host = value;
            }
        }

        if (host.IsEmpty)
        {
            ThrowHelper.ThrowProtocol("TargetAddress has an empty address");
        }

        int portNumber = DefaultPort;
        if (!port.IsEmpty)
        {
            if (!TextValue.TryParseNumber(port, 1, 65535, out ulong p))
            {
                ThrowHelper.ThrowProtocol("TargetAddress has a bad port");
            }

            portNumber = (int)p;
        }

        return (Encoding.UTF8.GetString(host), portNumber, tag);
    }
}
