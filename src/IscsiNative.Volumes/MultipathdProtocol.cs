using System.Buffers.Binary;
using System.Text;

namespace IscsiNative.Volumes;

/// <summary>
/// libmpathcmd framing (SESSIONS-AND-VOLUMES.md §7): a native <c>size_t</c> length (strlen + 1), then the bytes
/// with their NUL; replies come back the same way. Replies are <c>ok\n</c>, <c>fail\n</c> + reason, or the
/// output of a show command.
/// </summary>
internal static class MultipathdProtocol
{
    /// <summary>Largest command multipathd accepts (CMDSIZE incl. the NUL).</summary>
    internal const int MaxCommandBytes = 512;

    /// <summary>Largest reply accepted (libmpathcmd rejects 32 MiB and more).</summary>
    internal const long MaxReplyBytes = 32L * 1024 * 1024;

    /// <summary>Encodes one command: length prefix (8 bytes, little-endian size_t on x86_64) + text + NUL.</summary>
    /// <exception cref="ArgumentException">The command is empty, has a NUL, or is longer than 511 bytes.</exception>
    internal static byte[] EncodeRequest(string command)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        if (command.Contains('\0'))
        {
            throw new ArgumentException("A multipathd command must not contain NUL.", nameof(command));
        }

        int length = Encoding.ASCII.GetByteCount(command) + 1;
        if (length > MaxCommandBytes)
        {
            throw new ArgumentException("A multipathd command is at most 511 bytes.", nameof(command));
        }

        byte[] frame = new byte[sizeof(ulong) + length];
        BinaryPrimitives.WriteUInt64LittleEndian(frame, (ulong)length);
        Encoding.ASCII.GetBytes(command, frame.AsSpan(sizeof(ulong)));
        return frame;
    }

    /// <summary>Reads the reply length prefix.</summary>
    /// <exception cref="IscsiException">0 or too large.</exception>
    internal static int DecodeReplyLength(ReadOnlySpan<byte> prefix)
    {
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (length == 0 || length >= MaxReplyBytes)
        {
            throw new IscsiException($"multipathd sent a reply length of {length}.");
        }

        return (int)length;
    }

    /// <summary>The reply text without its trailing NUL.</summary>
    internal static string DecodeReply(ReadOnlySpan<byte> body)
    {
        int nul = body.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? body : body[..nul]);
    }

    /// <summary>True for a <c>fail</c> reply; <paramref name="reason"/> is the text after the first line.</summary>
    internal static bool IsFailure(string reply, out string reason)
    {
        if (reply.StartsWith("fail", StringComparison.Ordinal))
        {
            int newline = reply.IndexOf('\n');
            reason = newline < 0 ? string.Empty : reply[(newline + 1)..].Trim();
            return true;
        }

        reason = string.Empty;
        return false;
    }

    /// <summary>
    /// Parses <c>show paths raw format %d|%w|%t|%T</c>: one line per path (device, WWID, dm state, checker state).
    /// </summary>
    internal static List<MultipathdPath> ParsePaths(string reply)
    {
        var paths = new List<MultipathdPath>();
        foreach (string line in reply.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] f = line.Split('|');
            if (f.Length == 4 && f[0].Length > 0)
            {
                paths.Add(new MultipathdPath(f[0].Trim(), f[1].Trim(), f[2].Trim(), f[3].Trim()));
            }
        }

        return paths;
    }
}

/// <summary>One path as multipathd sees it.</summary>
/// <param name="Device">Kernel name (<c>sdc</c>).</param>
/// <param name="Wwid">The WWID multipathd derived (<c>36001405…</c>), or empty.</param>
/// <param name="DmState"><c>active</c>, <c>failed</c> or <c>undef</c> (not in a map).</param>
/// <param name="CheckerState"><c>ready</c>, <c>faulty</c>, <c>i/o pending</c>, ...</param>
internal sealed record MultipathdPath(string Device, string Wwid, string DmState, string CheckerState);
