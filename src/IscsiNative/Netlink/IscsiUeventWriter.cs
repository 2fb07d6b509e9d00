using System.Buffers.Binary;

namespace IscsiNative.Netlink;

/// <summary>
/// Encodes NETLINK_ISCSI requests (nlmsghdr + <c>struct iscsi_uevent</c> + optional trailing data) into a span,
/// little-endian as the x86_64 kernel lays them out. Every method zeroes the 72-byte head first (bytes of
/// <c>r</c> the kernel does not write are echoed back) and returns the number of bytes to send.
/// </summary>
internal static class IscsiUeventWriter
{
    /// <summary>nlmsghdr + iscsi_uevent: the size of a request without trailing data.</summary>
    internal const int HeadSize = NetlinkHeaderLayout.MinIscsiMessage;

    /// <summary>The kernel copies exactly this many header bytes of a SEND_PDU (the iSCSI BHS).</summary>
    internal const int BhsSize = 48;

    /// <summary>The kernel's limit on a SET_PARAM / SET_HOST_PARAM value including its NUL.</summary>
    internal const int MaxParamLength = 4096;

    private const int Ev = NetlinkHeaderLayout.Size;

    internal static int CreateSession(Span<byte> destination, in NetlinkRequestStamp stamp, uint initialCmdSn, ushort cmdsMax, ushort queueDepth)
    {
        Span<byte> ev = Begin(destination, HeadSize, IscsiUeventType.CreateSession, stamp);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[IscsiUeventLayout.CSessionInitialCmdSn..], initialCmdSn);
        BinaryPrimitives.WriteUInt16LittleEndian(ev[IscsiUeventLayout.CSessionCmdsMax..], cmdsMax);
        BinaryPrimitives.WriteUInt16LittleEndian(ev[IscsiUeventLayout.CSessionQueueDepth..], queueDepth);
        return HeadSize;
    }

    /// <summary>DESTROY_SESSION (12), DESTROY_SESSION_ASYNC (43) or UNBIND_SESSION (27): all carry only u.d_session.sid.</summary>
    internal static int SessionOnly(Span<byte> destination, in NetlinkRequestStamp stamp, IscsiUeventType type, uint sid)
    {
        if (type is not (IscsiUeventType.DestroySession or IscsiUeventType.DestroySessionAsync or IscsiUeventType.UnbindSession))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "not a session-only request");
        }

        Span<byte> ev = Begin(destination, HeadSize, type, stamp);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[IscsiUeventLayout.DSessionSid..], sid);
        return HeadSize;
    }

    /// <summary>CREATE_CONN, DESTROY_CONN, START_CONN or GET_STATS: all carry {sid, cid} at the same offsets.</summary>
    internal static int Connection(Span<byte> destination, in NetlinkRequestStamp stamp, IscsiUeventType type, uint sid, uint cid)
    {
        if (type is not (IscsiUeventType.CreateConn or IscsiUeventType.DestroyConn or IscsiUeventType.StartConn or IscsiUeventType.GetStats))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "not a {sid, cid} request");
        }

        Span<byte> ev = Begin(destination, HeadSize, type, stamp);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[IscsiUeventLayout.CConnSid..], sid);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[IscsiUeventLayout.CConnCid..], cid);
        return HeadSize;
    }

    internal static int BindConn(Span<byte> destination, in NetlinkRequestStamp stamp, uint sid, uint cid, ulong transportEph, bool isLeading)
    {
        Span<byte> ev = Begin(destination, HeadSize, IscsiUeventType.BindConn, stamp);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[IscsiUeventLayout.BConnSid..], sid);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[IscsiUeventLayout.BConnCid..], cid);
        BinaryPrimitives.WriteUInt64LittleEndian(ev[IscsiUeventLayout.BConnTransportEph..], transportEph);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[IscsiUeventLayout.BConnIsLeading..], isLeading ? 1u : 0u);
        return HeadSize;
    }

    internal static int StopConn(Span<byte> destination, in NetlinkRequestStamp stamp, uint sid, uint cid, IscsiStopConnFlag flag)
    {
        Span<byte> ev = Begin(destination, HeadSize, IscsiUeventType.StopConn, stamp);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[IscsiUeventLayout.StopConnSid..], sid);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[IscsiUeventLayout.StopConnCid..], cid);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[IscsiUeventLayout.StopConnFlag..], (uint)flag);
        return HeadSize;
    }

    /// <summary>Bytes a SET_PARAM / SET_HOST_PARAM with an ASCII value of <paramref name="valueLength"/> bytes takes.</summary>
    internal static int ParamMessageLength(int valueLength) => HeadSize + valueLength + 1;

    /// <summary>SET_PARAM: the value as NUL-terminated ASCII after the event; <c>len</c> counts the NUL (as iscsid).</summary>
    internal static int SetParam(Span<byte> destination, in NetlinkRequestStamp stamp, uint sid, uint cid, IscsiParam param, ReadOnlySpan<byte> asciiValue)
    {
        int length = CheckValue(destination, asciiValue);
        Span<byte> ev = Begin(destination, length, IscsiUeventType.SetParam, stamp);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[IscsiUeventLayout.SetParamSid..], sid);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[IscsiUeventLayout.SetParamCid..], cid);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[IscsiUeventLayout.SetParamParam..], (uint)param);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[IscsiUeventLayout.SetParamLen..], (uint)(asciiValue.Length + 1));
        WriteValue(destination, asciiValue);
        return length;
    }

    /// <summary>SET_HOST_PARAM: like SET_PARAM but addressed to a SCSI host.</summary>
    internal static int SetHostParam(Span<byte> destination, in NetlinkRequestStamp stamp, uint hostNumber, IscsiHostParam param, ReadOnlySpan<byte> asciiValue)
    {
        int length = CheckValue(destination, asciiValue);
        Span<byte> ev = Begin(destination, length, IscsiUeventType.SetHostParam, stamp);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[IscsiUeventLayout.SetHostParamHostNo..], hostNumber);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[IscsiUeventLayout.SetHostParamParam..], (uint)param);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[IscsiUeventLayout.SetHostParamLen..], (uint)(asciiValue.Length + 1));
        WriteValue(destination, asciiValue);
        return length;
    }

    /// <summary>Bytes a SEND_PDU with <paramref name="dataLength"/> data bytes takes.</summary>
    internal static int SendPduMessageLength(int dataLength) => HeadSize + BhsSize + dataLength;

    /// <summary>SEND_PDU: the 48-byte BHS then the data segment (unpadded) after the event.</summary>
    internal static int SendPdu(Span<byte> destination, in NetlinkRequestStamp stamp, uint sid, uint cid, ReadOnlySpan<byte> bhs, ReadOnlySpan<byte> data)
    {
        if (bhs.Length != BhsSize)
        {
            throw new ArgumentException($"the kernel takes exactly a {BhsSize}-byte BHS (no AHS); got {bhs.Length} bytes", nameof(bhs));
        }

        int length = SendPduMessageLength(data.Length);
        Span<byte> ev = Begin(destination, length, IscsiUeventType.SendPdu, stamp);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[IscsiUeventLayout.SendPduSid..], sid);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[IscsiUeventLayout.SendPduCid..], cid);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[IscsiUeventLayout.SendPduHdrSize..], BhsSize);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[IscsiUeventLayout.SendPduDataSize..], (uint)data.Length);
        bhs.CopyTo(destination[HeadSize..]);
        data.CopyTo(destination[(HeadSize + BhsSize)..]);
        return length;
    }

    private static int CheckValue(Span<byte> destination, ReadOnlySpan<byte> asciiValue)
    {
        if (asciiValue.Length + 1 > MaxParamLength)
        {
            throw new ArgumentException($"a parameter value is at most {MaxParamLength - 1} bytes", nameof(asciiValue));
        }

        if (asciiValue.IndexOf((byte)0) >= 0)
        {
            throw new ArgumentException("a parameter value cannot contain NUL", nameof(asciiValue));
        }

        return ParamMessageLength(asciiValue.Length);
    }

    private static void WriteValue(Span<byte> destination, ReadOnlySpan<byte> asciiValue)
    {
        asciiValue.CopyTo(destination[HeadSize..]);
        destination[HeadSize + asciiValue.Length] = 0;
    }

    private static Span<byte> Begin(Span<byte> destination, int length, IscsiUeventType type, in NetlinkRequestStamp stamp)
    {
        if (destination.Length < length)
        {
            throw new ArgumentException($"the buffer holds {destination.Length} bytes; the message needs {length}", nameof(destination));
        }

        destination[..HeadSize].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(destination[NetlinkHeaderLayout.NlmsgLen..], (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[NetlinkHeaderLayout.NlmsgType..], (ushort)type);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[NetlinkHeaderLayout.NlmsgFlags..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[NetlinkHeaderLayout.NlmsgSeq..], stamp.Sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[NetlinkHeaderLayout.NlmsgPid..], stamp.PortId);
        Span<byte> ev = destination.Slice(Ev, IscsiUeventLayout.Size);
        BinaryPrimitives.WriteUInt32LittleEndian(ev[IscsiUeventLayout.Type..], (uint)type);
        BinaryPrimitives.WriteUInt64LittleEndian(ev[IscsiUeventLayout.TransportHandle..], stamp.TransportHandle);
        return ev;
    }
}
