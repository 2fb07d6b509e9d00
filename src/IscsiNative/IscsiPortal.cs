using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace IscsiNative;

/// <summary>
/// An iSCSI portal: host (IPv4, IPv6 without brackets, or a name) and TCP port. Parses <c>IP[:PORT]</c>,
/// <c>[IPv6]:PORT</c>, <c>[IPv6]</c> and a bare IPv6 address; the port defaults to 3260.
/// </summary>
public sealed record IscsiPortal
{
    /// <summary>The well-known iSCSI port.</summary>
    public const int DefaultPort = 3260;

    /// <summary>Creates a portal.</summary>
    /// <param name="address">Host: IPv4, IPv6 (without brackets) or a DNS name.</param>
    /// <param name="port">TCP port, 1 to 65535.</param>
    /// <exception cref="ArgumentException">Empty address or one containing brackets, commas or whitespace.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Port outside 1..65535.</exception>
    public IscsiPortal(string address, int port = DefaultPort)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        if (!IsValidAddress(address))
        {
            throw new ArgumentException("A portal address must not contain brackets, commas, whitespace or control characters.", nameof(address));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        Address = address;
        Port = port;
    }

    /// <summary>The portal of an address and port read from the kernel, or null when they do not make a valid one.</summary>
    /// <param name="address">Host, possibly empty.</param>
    /// <param name="port">Port, possibly unknown.</param>
    /// <returns>The portal or null.</returns>
    internal static IscsiPortal? TryCreate(string? address, int? port) =>
        !string.IsNullOrEmpty(address) && IsValidAddress(address) && port is >= 1 and <= 65535 ? new IscsiPortal(address, port.Value) : null;

    private static bool IsValidAddress(ReadOnlySpan<char> address)
    {
        // No brackets or commas (portal and record syntax), no whitespace or control characters: any of them would not
        // survive ToString and TryParse (which trims), nor a node record line.
        foreach (char c in address)
        {
            if (c is '[' or ']' or ',' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The host, IPv6 without brackets.</summary>
    public string Address { get; }

    /// <summary>The TCP port.</summary>
    public int Port { get; }

    /// <summary>Whether <see cref="Address"/> is an IPv6 literal (contains ':').</summary>
    public bool IsIPv6 => Address.Contains(':');

    /// <summary>Parses <c>IP[:PORT]</c> or <c>[IPv6][:PORT]</c>.</summary>
    /// <param name="text">The portal text.</param>
    /// <returns>The portal.</returns>
    /// <exception cref="FormatException">Not a valid portal.</exception>
    public static IscsiPortal Parse(string text) =>
        TryParse(text, out IscsiPortal? portal) ? portal : throw new FormatException($"'{text}' is not a portal (IP[:PORT] or [IPv6]:PORT).");

    /// <summary>Tries to parse <c>IP[:PORT]</c> or <c>[IPv6][:PORT]</c>.</summary>
    /// <param name="text">The portal text.</param>
    /// <param name="portal">The portal, or <see langword="null"/>.</param>
    /// <returns>Whether <paramref name="text"/> was valid.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out IscsiPortal? portal)
    {
        portal = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        ReadOnlySpan<char> s = text.AsSpan().Trim();
        ReadOnlySpan<char> host;
        ReadOnlySpan<char> port = default;
        if (s[0] == '[')
        {
            int close = s.IndexOf(']');
            if (close < 0)
            {
                return false;
            }

            host = s[1..close];
            ReadOnlySpan<char> rest = s[(close + 1)..];
            if (!rest.IsEmpty)
            {
                if (rest[0] != ':' || rest.Length == 1)
                {
                    return false;
                }

                port = rest[1..];
            }
        }
        else
        {
            int colon = s.IndexOf(':');
            if (colon >= 0 && colon == s.LastIndexOf(':'))
            {
                host = s[..colon];
                port = s[(colon + 1)..];
                if (port.IsEmpty)
                {
                    return false;
                }
            }
            else
            {
                host = s;
            }
        }

        int portNumber = DefaultPort;
        if (!port.IsEmpty && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber) || portNumber is < 1 or > 65535))
        {
            return false;
        }

        if (host.IsEmpty || !IsValidAddress(host))
        {
            return false;
        }

        portal = new IscsiPortal(host.ToString(), portNumber);
        return true;
    }

    /// <summary><c>address:port</c>, or <c>[address]:port</c> for IPv6.</summary>
    /// <returns>The portal text.</returns>
    public override string ToString() => IsIPv6
        ? string.Create(CultureInfo.InvariantCulture, $"[{Address}]:{Port}")
        : string.Create(CultureInfo.InvariantCulture, $"{Address}:{Port}");
}
