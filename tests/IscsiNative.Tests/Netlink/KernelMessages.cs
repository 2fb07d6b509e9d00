using System.Buffers.Binary;
using IscsiNative.Netlink;

namespace IscsiNative.Tests.Netlink;

/// <summary>Builds datagrams as the kernel sends them (header {len, type, 0, 0, 0}, event, payload).</summary>
internal static class KernelMessages
{
    internal const ulong Handle = 0xFFFF_8880_1234_5678;

    /// <summary>A unicast reply: nlmsg_type = request type, ev copied from the request and modified.</summary>
    internal static byte[] Reply(byte[] request, IscsiUeventType? evType = null, int ifError = 0, uint? r0 = null, uint? r1 = null)
    {
        byte[] m = request.AsSpan(0, 72).ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(m, 72);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(12), 0);
        if (evType is { } t)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(16), (uint)t);
        }

        BinaryPrimitives.WriteInt32LittleEndian(m.AsSpan(20), ifError);
        if (r0 is { } a)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(16 + 40), a);
        }

        if (r1 is { } b)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(16 + 44), b);
        }

        return m;
    }

    /// <summary>A group-1 event with r fields at 40/44/48, garbage elsewhere (the kernel leaves bytes uninitialised).</summary>
    internal static byte[] Event(IscsiUeventType type, uint r0, uint r1, uint r2 = 0xDEADBEEF, int payload = 0)
    {
        byte[] m = new byte[72 + payload];
        m.AsSpan().Fill(0xA5);
        BinaryPrimitives.WriteUInt32LittleEndian(m, (uint)m.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(4), 0);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(6), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(12), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(16), (uint)type);
        BinaryPrimitives.WriteUInt64LittleEndian(m.AsSpan(24), Handle);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(56), r0);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(60), r1);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(64), r2);
        return m;
    }

    /// <summary>ISCSI_KEVENT_RECV_PDU: BHS + data, nlmsg_len aligned to 4 with garbage tail bytes.</summary>
    internal static byte[] RecvPdu(uint sid, uint cid, byte opcode, byte[] data)
    {
        int unaligned = 72 + 48 + data.Length;
        int aligned = (unaligned + 3) & ~3;
        byte[] m = Event(IscsiUeventType.KernelRecvPdu, sid, cid, 0, aligned - 72);
        m.AsSpan(72, 48).Clear();
        m[72] = opcode;
        m[72 + 5] = (byte)(data.Length >> 16);
        m[72 + 6] = (byte)(data.Length >> 8);
        m[72 + 7] = (byte)data.Length;
        data.CopyTo(m, 120);
        return m;
    }

    /// <summary>The GET_STATS multicast: nlmsg_type 0, ev.type 20, u.get_stats {sid, cid}, r zeroed, stats + custom.</summary>
    internal static byte[] Stats(uint sid, uint cid, params (string Name, ulong Value)[] custom)
    {
        byte[] m = new byte[72 + 96 + (72 * custom.Length)];
        BinaryPrimitives.WriteUInt32LittleEndian(m, (uint)m.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(16), (uint)IscsiUeventType.GetStats);
        BinaryPrimitives.WriteUInt64LittleEndian(m.AsSpan(24), Handle);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(32), sid);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(36), cid);
        Span<byte> s = m.AsSpan(72);
        BinaryPrimitives.WriteUInt64LittleEndian(s, 1_000_000_000_001);
        BinaryPrimitives.WriteUInt64LittleEndian(s[8..], 2_000_000_000_002);
        for (int i = 0; i < 19; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(s[(16 + (4 * i))..], (uint)(100 + i));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(s[92..], (uint)custom.Length);
        for (int i = 0; i < custom.Length; i++)
        {
            Span<byte> entry = s.Slice(96 + (72 * i), 72);
            entry[..64].Fill(0xCC); // bytes after the NUL are uninitialised (strcpy)
            System.Text.Encoding.ASCII.GetBytes(custom[i].Name).CopyTo(entry);
            entry[custom[i].Name.Length] = 0;
            BinaryPrimitives.WriteUInt64LittleEndian(entry[64..], custom[i].Value);
        }

        return m;
    }

    internal static IscsiUeventType RequestType(byte[] request) => (IscsiUeventType)BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(4));

    internal static uint U32(byte[] request, int eventOffset) => BinaryPrimitives.ReadUInt32LittleEndian(request.AsSpan(16 + eventOffset));
}
