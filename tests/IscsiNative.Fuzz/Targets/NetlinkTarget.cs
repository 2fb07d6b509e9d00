using IscsiNative.Netlink;

namespace IscsiNative.Fuzz;

/// <summary>
/// NETLINK_ISCSI replies and events, truncated and oversized: the datagram is parsed the way the connection's reader
/// does (IscsiNetlinkMessage.TryParse, then the reply fields or the per-event fields, RECV_PDU extraction and the
/// GET_STATS payload). Every prefix length of the input is also tried when the input is short (truncation), and the
/// input is tried inside a larger buffer with trailing bytes (oversized datagrams). Parsing never throws: all
/// failures are a <c>false</c> from a Try method.
/// </summary>
public static class NetlinkTarget
{
    public static void Run(ReadOnlySpan<byte> input)
    {
        Parse(input);

        // Truncation: every cut in the first 200 bytes, then a few further ones.
        for (int cut = 0; cut < input.Length; cut += cut < 200 ? 1 : 97)
        {
            Parse(input[..cut]);
        }

        // Oversized: the message claims less than the datagram holds.
        byte[] bigger = new byte[input.Length + 64];
        input.CopyTo(bigger);
        bigger.AsSpan(input.Length).Fill(0xA5);
        Parse(bigger);
    }

    private static void Parse(ReadOnlySpan<byte> datagram)
    {
        if (!IscsiNetlinkMessage.TryParse(datagram, out IscsiNetlinkMessage message))
        {
            return;
        }

        FuzzInvariantException.Check(message.Length >= NetlinkHeaderLayout.MinIscsiMessage && message.Length <= datagram.Length, "message length");
        FuzzInvariantException.Check(message.Event.Length == IscsiUeventLayout.Size, "event size");
        FuzzInvariantException.Check(message.Payload.Length == message.Length - NetlinkHeaderLayout.MinIscsiMessage, "payload length");

        IscsiUeventReply reply = IscsiUeventReply.From(message);
        ulong sink = (ulong)reply.Type + (ulong)reply.IfError + reply.R0 + reply.R1 + (ulong)reply.RetCode + message.NetlinkType
            + message.TransportHandle + (ulong)message.RetCode + (ulong)message.IfError;
        for (int offset = 0; offset <= IscsiUeventLayout.Size - 4; offset += 4)
        {
            sink += message.ReadUInt32(offset);
        }

        switch (message.EventType)
        {
            case IscsiUeventType.KernelRecvPdu:
                if (message.TryGetReceivedPdu(out uint sid, out uint cid, out ReadOnlySpan<byte> bhs, out ReadOnlySpan<byte> data))
                {
                    FuzzInvariantException.Check(bhs.Length == 48, "RECV_PDU BHS length");
                    FuzzInvariantException.Check(data.Length == ((bhs[5] << 16) | (bhs[6] << 8) | bhs[7]), "RECV_PDU data length");
                    using var pdu = new IscsiReceivedPdu(sid, cid, bhs, data);
                    FuzzInvariantException.Check(pdu.Header.SequenceEqual(bhs) && pdu.Data.SequenceEqual(data), "RECV_PDU copy");
                    sink += pdu.Opcode;
                }

                break;
            case IscsiUeventType.GetStats:
                if (IscsiStatsLayout.TryDecode(message.Payload, out IscsiStatistics? stats))
                {
                    sink += (ulong)stats!.Custom.Count;
                }

                break;
            case IscsiUeventType.KernelConnError:
                sink += message.ReadUInt32(IscsiUeventLayout.ConnErrorSid) + message.ReadUInt32(IscsiUeventLayout.ConnErrorCid)
                    + message.ReadUInt32(IscsiUeventLayout.ConnErrorError);
                break;
            case IscsiUeventType.KernelCreateSession:
                sink += message.ReadUInt32(IscsiUeventLayout.CSessionRetSid) + message.ReadUInt32(IscsiUeventLayout.CSessionRetHostNo);
                break;
            case IscsiUeventType.KernelUnbindSession:
                sink += message.ReadUInt32(IscsiUeventLayout.UnbindSessionSid) + message.ReadUInt32(IscsiUeventLayout.UnbindSessionHostNo);
                break;
            case IscsiUeventType.KernelDestroySession:
                sink += message.ReadUInt32(IscsiUeventLayout.DestroyedSessionSid) + message.ReadUInt32(IscsiUeventLayout.DestroyedSessionHostNo);
                break;
        }

        GC.KeepAlive(sink);
    }
}
