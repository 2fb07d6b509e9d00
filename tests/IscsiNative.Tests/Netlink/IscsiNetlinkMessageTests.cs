using System.Buffers.Binary;
using IscsiNative.Netlink;

namespace IscsiNative.Tests.Netlink;

public sealed class IscsiNetlinkMessageTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(71)]
    public void Datagrams_shorter_than_header_plus_event_are_rejected(int length)
    {
        byte[] d = KernelMessages.Event(IscsiUeventType.KernelCreateSession, 1, 2);
        Assert.False(IscsiNetlinkMessage.TryParse(d.AsSpan(0, length), out _));
    }

    [Fact]
    public void A_header_claiming_more_than_the_datagram_or_less_than_72_bytes_is_rejected()
    {
        byte[] d = KernelMessages.Event(IscsiUeventType.KernelCreateSession, 1, 2);
        BinaryPrimitives.WriteUInt32LittleEndian(d, 73);
        Assert.False(IscsiNetlinkMessage.TryParse(d, out _));
        BinaryPrimitives.WriteUInt32LittleEndian(d, 71);
        Assert.False(IscsiNetlinkMessage.TryParse(d, out _));
        BinaryPrimitives.WriteUInt32LittleEndian(d, uint.MaxValue);
        Assert.False(IscsiNetlinkMessage.TryParse(d, out _));
    }

    [Fact]
    public void If_error_reply_exposes_the_negative_errno_and_the_request_type()
    {
        byte[] request = new byte[72];
        IscsiUeventWriter.Connection(request, new NetlinkRequestStamp(1, 1, 1), IscsiUeventType.CreateConn, 9, 0);
        byte[] reply = KernelMessages.Reply(request, IscsiUeventType.KernelIfError, ifError: -22);
        Assert.True(IscsiNetlinkMessage.TryParse(reply, out IscsiNetlinkMessage m));
        Assert.Equal((ushort)IscsiUeventType.CreateConn, m.NetlinkType);
        Assert.Equal(IscsiUeventType.KernelIfError, m.EventType);
        Assert.Equal(-22, m.IfError);
        Assert.Equal(1ul, m.TransportHandle);
    }

    [Fact]
    public void Received_pdu_length_comes_from_the_BHS_not_from_the_padded_nlmsg_len()
    {
        byte[] d = KernelMessages.RecvPdu(3, 0, 0x23, "Key=Value\0"u8.ToArray()); // 10 bytes: 2 bytes of tail padding
        Assert.True(IscsiNetlinkMessage.TryParse(d, out IscsiNetlinkMessage m));
        Assert.True(m.TryGetReceivedPdu(out uint sid, out uint cid, out ReadOnlySpan<byte> bhs, out ReadOnlySpan<byte> data));
        Assert.Equal((3u, 0u, 48), (sid, cid, bhs.Length));
        Assert.Equal("Key=Value\0"u8.ToArray(), data.ToArray());
        Assert.Equal(132, m.Length);
    }

    [Fact]
    public void Received_pdu_whose_BHS_claims_more_data_than_the_message_holds_is_rejected()
    {
        byte[] d = KernelMessages.RecvPdu(3, 0, 0x23, new byte[8]);
        d[72 + 7] = 200;
        Assert.True(IscsiNetlinkMessage.TryParse(d, out IscsiNetlinkMessage m));
        Assert.False(m.TryGetReceivedPdu(out _, out _, out _, out _));

        byte[] noBhs = KernelMessages.Event(IscsiUeventType.KernelRecvPdu, 3, 0, 0, payload: 20);
        Assert.True(IscsiNetlinkMessage.TryParse(noBhs, out m));
        Assert.False(m.TryGetReceivedPdu(out _, out _, out _, out _));
    }

    [Fact]
    public void Destroy_session_event_carries_host_before_sid()
    {
        byte[] d = KernelMessages.Event(IscsiUeventType.KernelDestroySession, r0: 7, r1: 3);
        Assert.True(IscsiNetlinkMessage.TryParse(d, out IscsiNetlinkMessage m));
        Assert.Equal(7u, m.ReadUInt32(IscsiUeventLayout.DestroyedSessionHostNo));
        Assert.Equal(3u, m.ReadUInt32(IscsiUeventLayout.DestroyedSessionSid));
    }
}
