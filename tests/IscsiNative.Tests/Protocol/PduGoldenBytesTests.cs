using IscsiNative.TestShared;
using IscsiNative.Protocol;

namespace IscsiNative.Tests.Protocol;

/// <summary>Pins the exact 48 BHS bytes of every opcode the initiator sends or receives (RFC 7143 §11).</summary>
public sealed class PduGoldenBytesTests
{
    private static string Hex(ReadOnlySpan<byte> b) => Convert.ToHexStringLower(b);

    [Fact]
    public void Login_request_matches_open_iscsi_first_pdu_layout()
    {
        byte[] bhs = new byte[48];
        PduEncoder.WriteLoginRequest(bhs, true, false, LoginStage.LoginOperationalNegotiation, LoginStage.FullFeaturePhase,
            LoginSettings.IsidFor(0x010203), 0, 0, 0, 1, 0, 0x1ab);
        Assert.Equal(
            "43870000" + "000001ab" + "00023d010203" + "0000" + "00000000" + "0000" + "0000" + "00000001" + "00000000" + new string('0', 32),
            Hex(bhs));
    }

    [Fact]
    public void Login_response_fields_round_trip()
    {
        byte[] bhs = new byte[48];
        TargetPduWriter.WriteLoginResponse(bhs, false, true, LoginStage.SecurityNegotiation, LoginStage.SecurityNegotiation,
            0x00023d000001, 0x1234, 0x01020304, 5, 6, 7, 2, 1, 10);
        Assert.Equal("23400000" + "0000000a" + "00023d000001" + "1234" + "01020304" + "00000000" + "00000005" + "00000006" + "00000007" + "0201" + new string('0', 20), Hex(bhs));
        var h = new PduHeader(bhs);
        Assert.Equal(IscsiOpcode.LoginResponse, h.Opcode);
        Assert.True(h.IsContinue);
        Assert.False(h.IsTransit);
        Assert.Equal(0x1234, h.Tsih);
        Assert.Equal(0x00023d000001UL, h.Isid);
        Assert.Equal(2, h.StatusClass);
        Assert.Equal(1, h.StatusDetail);
        Assert.Equal(10, h.DataSegmentLength);
    }

    [Fact]
    public void Text_request_and_response()
    {
        byte[] bhs = new byte[48];
        PduEncoder.WriteTextRequest(bhs, false, true, false, 0, 1, 0xffffffff, 1, 2, 16);
        Assert.Equal("04800000" + "00000010" + "0000000000000000" + "00000001" + "ffffffff" + "00000001" + "00000002" + new string('0', 32), Hex(bhs));
        TargetPduWriter.WriteTextResponse(bhs, false, true, 0, 1, 0x55, 3, 4, 5, 0x10203);
        Assert.Equal("24400000" + "00010203" + "0000000000000000" + "00000001" + "00000055" + "00000003" + "00000004" + "00000005" + new string('0', 24), Hex(bhs));
    }

    [Fact]
    public void Logout_request_and_response()
    {
        byte[] bhs = new byte[48];
        PduEncoder.WriteLogoutRequest(bhs, true, 0, 9, 0, 2, 3);
        Assert.Equal("46800000" + "00000000" + "0000000000000000" + "00000009" + "00000000" + "00000002" + "00000003" + new string('0', 32), Hex(bhs));
        TargetPduWriter.WriteLogoutResponse(bhs, 1, 9, 4, 5, 6, 2, 20);
        Assert.Equal("26800100" + "00000000" + "0000000000000000" + "00000009" + "00000000" + "00000004" + "00000005" + "00000006" + "00000000" + "00020014" + "00000000", Hex(bhs));
    }

    [Fact]
    public void Nop_out_and_in()
    {
        byte[] bhs = new byte[48];
        PduEncoder.WriteNopOut(bhs, true, 0x0001000000000000, 0xffffffff, 0x77, 8, 9, 0);
        Assert.Equal("40800000" + "00000000" + "0001000000000000" + "ffffffff" + "00000077" + "00000008" + "00000009" + new string('0', 32), Hex(bhs));
        TargetPduWriter.WriteNopIn(bhs, 0, 0xffffffff, 0x77, 1, 2, 3, 0);
        Assert.Equal("20800000" + "00000000" + "0000000000000000" + "ffffffff" + "00000077" + "00000001" + "00000002" + "00000003" + new string('0', 24), Hex(bhs));
    }

    [Fact]
    public void Reject_and_async_message()
    {
        byte[] bhs = new byte[48];
        TargetPduWriter.WriteReject(bhs, 0x09, 1, 2, 3, 4, 48);
        Assert.Equal("3f800900" + "00000030" + "0000000000000000" + "ffffffff" + "00000000" + "00000001" + "00000002" + "00000003" + "00000004" + new string('0', 16), Hex(bhs));
        TargetPduWriter.WriteAsyncMessage(bhs, 0, 1, 2, 3, 1, 0, 0, 2, 20, 0);
        Assert.Equal("32800000" + "00000000" + "0000000000000000" + "ffffffff" + "00000000" + "00000001" + "00000002" + "00000003" + "0100" + "0000" + "0002" + "0014" + "00000000", Hex(bhs));
        var h = new PduHeader(bhs);
        Assert.Equal(IscsiOpcode.AsyncMessage, h.Opcode);
        Assert.Equal(1, h.AsyncEvent);
        Assert.Equal(20, h.ReadUInt16(42));
    }

    [Fact]
    public void Scsi_response_with_ahs_is_skipped_by_framing()
    {
        byte[] wire = new byte[48 + 8 + 8];
        wire[0] = (byte)IscsiOpcode.ScsiResponse;
        wire[4] = 2;
        wire[7] = 5;
        "hello"u8.CopyTo(wire.AsSpan(56));
        Assert.True(PduFraming.TryRead(wire, false, false, 8192, out ReadOnlySpan<byte> bhs, out ReadOnlySpan<byte> data, out int needed));
        Assert.Equal(64, needed);
        Assert.Equal(IscsiOpcode.ScsiResponse, new PduHeader(bhs).Opcode);
        Assert.Equal("hello"u8.ToArray(), data.ToArray());
    }

    [Fact]
    public void Framing_with_digests_round_trips_and_detects_corruption()
    {
        byte[] bhs = new byte[48];
        PduEncoder.WriteTextRequest(bhs, false, true, false, 0, 1, 0xffffffff, 1, 2, 5);
        byte[] wire = new byte[128];
        int n = PduFraming.Write(wire, bhs, "abcde"u8, true, true);
        Assert.Equal(48 + 4 + 8 + 4, n);
        Assert.True(PduFraming.TryRead(wire.AsSpan(0, n), true, true, 8192, out _, out ReadOnlySpan<byte> data, out _));
        Assert.Equal("abcde"u8.ToArray(), data.ToArray());
        Assert.False(PduFraming.TryRead(wire.AsSpan(0, n - 1), true, true, 8192, out _, out _, out int needed));
        Assert.Equal(n, needed);
        wire[50] ^= 1;
        Assert.Throws<IscsiProtocolException>(() => PduFraming.TryRead(wire.AsSpan(0, n), true, true, 8192, out _, out _, out _));
    }

    [Fact]
    public void Data_segment_longer_than_allowed_is_rejected_from_the_header()
    {
        byte[] bhs = new byte[48];
        TargetPduWriter.WriteTextResponse(bhs, true, false, 0, 1, 0xffffffff, 1, 1, 1, 9000);
        Assert.Throws<IscsiProtocolException>(() => PduFraming.TryRead(bhs, false, false, 8192, out _, out _, out _));
    }
}
