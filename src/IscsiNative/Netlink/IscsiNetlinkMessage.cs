using System.Buffers.Binary;

namespace IscsiNative.Netlink;

/// <summary>
/// A view of one NETLINK_ISCSI message (nlmsghdr + <c>struct iscsi_uevent</c> + payload) inside a received
/// datagram. <see cref="TryParse"/> checks every length first, so no accessor reads outside the datagram.
/// </summary>
internal readonly ref struct IscsiNetlinkMessage
{
    private readonly ReadOnlySpan<byte> _message;

    private IscsiNetlinkMessage(ReadOnlySpan<byte> message)
    {
        _message = message;
    }

    /// <summary><c>nlmsg_len</c>: the message length the header claims (bounded by the datagram).</summary>
    public int Length => _message.Length;

    /// <summary><c>nlmsg_type</c>: the request type for unicast replies, 0 for events.</summary>
    public ushort NetlinkType => BinaryPrimitives.ReadUInt16LittleEndian(_message[NetlinkHeaderLayout.NlmsgType..]);

    /// <summary>The 56 bytes of <c>struct iscsi_uevent</c>.</summary>
    public ReadOnlySpan<byte> Event => _message.Slice(NetlinkHeaderLayout.Size, IscsiUeventLayout.Size);

    /// <summary>What follows the event up to <c>nlmsg_len</c> (may include 0–3 bytes of alignment garbage).</summary>
    public ReadOnlySpan<byte> Payload => _message[NetlinkHeaderLayout.MinIscsiMessage..];

    /// <summary><c>ev.type</c>.</summary>
    public IscsiUeventType EventType => (IscsiUeventType)ReadUInt32(IscsiUeventLayout.Type);

    /// <summary><c>ev.iferror</c> read as the negative errno the kernel stores in it (meaningful in IF_ERROR replies only).</summary>
    public int IfError => (int)ReadUInt32(IscsiUeventLayout.IfError);

    /// <summary><c>ev.r.retcode</c> (BIND_CONN, START_CONN, SEND_PDU replies).</summary>
    public int RetCode => (int)ReadUInt32(IscsiUeventLayout.RetCode);

    /// <summary><c>ev.transport_handle</c>.</summary>
    public ulong TransportHandle => BinaryPrimitives.ReadUInt64LittleEndian(Event[IscsiUeventLayout.TransportHandle..]);

    /// <summary>
    /// Parses the first message of a datagram. False when the datagram is shorter than 72 bytes, when
    /// <c>nlmsg_len</c> is below 72 or beyond the datagram.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out IscsiNetlinkMessage message)
    {
        message = default;
        if (datagram.Length < NetlinkHeaderLayout.MinIscsiMessage)
        {
            return false;
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(datagram[NetlinkHeaderLayout.NlmsgLen..]);
        if (length < NetlinkHeaderLayout.MinIscsiMessage || length > (uint)datagram.Length)
        {
            return false;
        }

        message = new IscsiNetlinkMessage(datagram[..(int)length]);
        return true;
    }

    /// <summary>Reads a u32 of the event at an <see cref="IscsiUeventLayout"/> offset.</summary>
    public uint ReadUInt32(int eventOffset) => BinaryPrimitives.ReadUInt32LittleEndian(Event[eventOffset..]);

    /// <summary>
    /// The PDU of an ISCSI_KEVENT_RECV_PDU: the 48-byte BHS and DataSegmentLength bytes of data. The length comes
    /// from BHS bytes 5–7 (the kernel pads nlmsg_len with uninitialised bytes). False if the payload is short.
    /// </summary>
    public bool TryGetReceivedPdu(out uint sid, out uint cid, out ReadOnlySpan<byte> bhs, out ReadOnlySpan<byte> data)
    {
        sid = ReadUInt32(IscsiUeventLayout.RecvReqSid);
        cid = ReadUInt32(IscsiUeventLayout.RecvReqCid);
        bhs = default;
        data = default;
        ReadOnlySpan<byte> payload = Payload;
        if (payload.Length < IscsiUeventWriter.BhsSize)
        {
            return false;
        }

        int dataLength = (payload[5] << 16) | (payload[6] << 8) | payload[7];
        if (payload.Length - IscsiUeventWriter.BhsSize < dataLength)
        {
            return false;
        }

        bhs = payload[..IscsiUeventWriter.BhsSize];
        data = payload.Slice(IscsiUeventWriter.BhsSize, dataLength);
        return true;
    }
}
