using IscsiNative.TestShared;
using System.Text;
using CsCheck;
using IscsiNative.Netlink;
using IscsiNative.Protocol;

namespace IscsiNative.Tests.Properties;

/// <summary>Encode/decode round trips (CsCheck, bounded iterations): BHS fields, PDU framing, text keys, netlink requests.</summary>
public sealed class CodecPropertyTests
{
    private const int Iterations = 300;

    private static readonly Gen<LoginStage> Stage = Gen.Int[0, 3].Select(i => (LoginStage)i);

    private static readonly Gen<byte[]> KeyBytes = Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-+@_"]
        .Array[1, 63].Select(c => Encoding.ASCII.GetBytes(c));

    private static readonly Gen<byte[]> ValueBytes = Gen.Byte[1, 255].Array[0, 300];

    [Fact]
    public void Login_response_header_fields_round_trip()
    {
        Gen.Select(Gen.Select(Gen.Bool, Gen.Bool, Stage, Stage, Gen.ULong[0, 0xFFFF_FFFF_FFFF]), Gen.Select(Gen.UShort, Gen.UInt, Gen.UInt, Gen.UInt, Gen.UInt),
                Gen.Select(Gen.Byte, Gen.Byte, Gen.Int[0, Bhs.MaxDataSegmentLength]))
            .Sample(t =>
            {
                ((bool transit, bool cont, LoginStage csg, LoginStage nsg, ulong isid), (ushort tsih, uint itt, uint statSN, uint expCmdSN, uint maxCmdSN), (byte sc, byte sd, int length)) = t;
                byte[] bhs = new byte[48];
                TargetPduWriter.WriteLoginResponse(bhs, transit, cont, csg, nsg, isid, tsih, itt, statSN, expCmdSN, maxCmdSN, sc, sd, length);
                var h = new PduHeader(bhs);
                Assert.Equal(IscsiOpcode.LoginResponse, h.Opcode);
                Assert.Equal(transit, h.IsTransit);
                Assert.Equal(cont, h.IsContinue);
                Assert.Equal(csg, h.CurrentStage);
                Assert.Equal(transit ? nsg : LoginStage.SecurityNegotiation, h.NextStage);
                Assert.Equal(isid, h.Isid);
                Assert.Equal(tsih, h.Tsih);
                Assert.Equal(itt, h.InitiatorTaskTag);
                Assert.Equal(statSN, h.StatSN);
                Assert.Equal(expCmdSN, h.ExpCmdSN);
                Assert.Equal(maxCmdSN, h.MaxCmdSN);
                Assert.Equal(sc, h.StatusClass);
                Assert.Equal(sd, h.StatusDetail);
                Assert.Equal(length, h.DataSegmentLength);
                Assert.Equal(0, h.TotalAhsLength);
            }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Text_and_nop_headers_round_trip()
    {
        Gen.Select(Gen.Select(Gen.Bool, Gen.Bool, Gen.Bool, Gen.ULong), Gen.Select(Gen.UInt, Gen.UInt, Gen.UInt, Gen.UInt, Gen.Int[0, Bhs.MaxDataSegmentLength]))
            .Sample(t =>
            {
                ((bool immediate, bool final, bool cont, ulong lun), (uint itt, uint ttt, uint cmdSN, uint expStatSN, int length)) = t;
                byte[] bhs = new byte[48];
                PduEncoder.WriteTextRequest(bhs, immediate, final, cont, lun, itt, ttt, cmdSN, expStatSN, length);
                var h = new PduHeader(bhs);
                Assert.Equal((IscsiOpcode.TextRequest, immediate, final, cont, lun, itt, ttt, cmdSN, expStatSN, length),
                    (h.Opcode, h.IsImmediate, h.IsFinal, h.IsContinue, h.Lun, h.InitiatorTaskTag, h.TargetTransferTag, h.CmdSN, h.ExpStatSN, h.DataSegmentLength));
                PduEncoder.WriteNopOut(bhs, immediate, lun, itt, ttt, cmdSN, expStatSN, length);
                h = new PduHeader(bhs);
                Assert.Equal((IscsiOpcode.NopOut, immediate, true, lun, itt, ttt, cmdSN, expStatSN, length),
                    (h.Opcode, h.IsImmediate, h.IsFinal, h.Lun, h.InitiatorTaskTag, h.TargetTransferTag, h.CmdSN, h.ExpStatSN, h.DataSegmentLength));
            }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Framed_pdus_read_back_with_and_without_digests()
    {
        Gen.Select(Gen.Bool, Gen.Bool, Gen.Byte.Array[0, 600], Gen.UInt)
            .Sample((headerDigest, dataDigest, data, itt) =>
            {
                byte[] bhs = new byte[48];
                TargetPduWriter.WriteNopIn(bhs, 0, itt, 0xFFFF_FFFF, 1, 2, 3, data.Length);
                byte[] wire = new byte[PduFraming.GetWireLength(0, data.Length, headerDigest, dataDigest) + 7];
                int written = PduFraming.Write(wire, bhs, data, headerDigest, dataDigest);
                Assert.Equal(0, written % 4);
                Assert.True(PduFraming.TryRead(wire, headerDigest, dataDigest, 1 << 20, out ReadOnlySpan<byte> h, out ReadOnlySpan<byte> d, out int needed));
                Assert.Equal(written, needed);
                Assert.Equal(bhs, h.ToArray());
                Assert.Equal(data, d.ToArray());
                Assert.False(PduFraming.TryRead(wire.AsSpan(0, written - 1), headerDigest, dataDigest, 1 << 20, out _, out _, out _));
            }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Text_pairs_round_trip_through_writer_and_reader()
    {
        Gen.Select(KeyBytes, ValueBytes).List[0, 20]
            .Sample(pairs =>
            {
                byte[] buffer = new byte[pairs.Sum(p => p.Item1.Length + p.Item2.Length + 2)];
                var writer = new TextKeyValueWriter(buffer);
                foreach ((byte[] k, byte[] v) in pairs)
                {
                    writer.Write(k, v);
                }

                Assert.Equal(buffer.Length, writer.BytesWritten);
                var reader = new TextKeyValueReader(buffer, TextLimits.Default);
                foreach ((byte[] k, byte[] v) in pairs)
                {
                    Assert.True(reader.TryRead(out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value));
                    Assert.Equal(k, key.ToArray());
                    Assert.Equal(v, value.ToArray());
                }

                Assert.False(reader.TryRead(out _, out _));
            }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Numbers_booleans_and_binary_values_round_trip()
    {
        Gen.Select(Gen.Long[0, long.MaxValue], Gen.Bool, Gen.Byte.Array[1, 64])
            .Sample((number, flag, bytes) =>
            {
                byte[] buffer = new byte[512];
                var writer = new TextKeyValueWriter(buffer);
                writer.Write("N"u8, number);
                writer.Write("B"u8, flag);
                BinaryValue.EncodeHex(bytes, writer.WriteKeyAndReserveValue("X"u8, BinaryValue.GetHexEncodedLength(bytes.Length)));
                var reader = new TextKeyValueReader(writer.Written, TextLimits.Default);
                Assert.True(reader.TryRead(out _, out ReadOnlySpan<byte> n));
                Assert.True(TextValue.TryParseNumber(n, out ulong parsed));
                Assert.Equal((ulong)number, parsed);
                Assert.True(reader.TryRead(out _, out ReadOnlySpan<byte> b));
                Assert.True(TextValue.TryParseBoolean(b, out bool parsedFlag));
                Assert.Equal(flag, parsedFlag);
                Assert.True(reader.TryRead(out _, out ReadOnlySpan<byte> x));
                byte[] decoded = new byte[BinaryValue.GetMaxDecodedLength(x)];
                Assert.True(BinaryValue.TryDecode(x, decoded, out int written));
                Assert.Equal(bytes, decoded.AsSpan(0, written).ToArray());
                string base64 = "0b" + Convert.ToBase64String(bytes);
                decoded = new byte[BinaryValue.GetMaxDecodedLength(Encoding.ASCII.GetBytes(base64))];
                Assert.True(BinaryValue.TryDecode(Encoding.ASCII.GetBytes(base64), decoded, out written));
                Assert.Equal(bytes, decoded.AsSpan(0, written).ToArray());
            }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Netlink_requests_parse_back_with_their_fields()
    {
        Gen.Select(Gen.ULong, Gen.UInt, Gen.UInt, Gen.UInt, Gen.Byte.Array[0, 300])
            .Sample((handle, sequence, sid, cid, data) =>
            {
                var stamp = new NetlinkRequestStamp(handle, sequence, 4242);
                byte[] buffer = new byte[IscsiUeventWriter.SendPduMessageLength(data.Length)];
                byte[] bhs = new byte[48];
                PduEncoder.WriteNopOut(bhs, true, 0, 1, 0xFFFF_FFFF, 1, 1, data.Length);
                int length = IscsiUeventWriter.SendPdu(buffer, stamp, sid, cid, bhs, data);
                Assert.True(IscsiNetlinkMessage.TryParse(buffer.AsSpan(0, length), out IscsiNetlinkMessage m));
                Assert.Equal(length, m.Length);
                Assert.Equal((ushort)IscsiUeventType.SendPdu, m.NetlinkType);
                Assert.Equal(IscsiUeventType.SendPdu, m.EventType);
                Assert.Equal(handle, m.TransportHandle);
                Assert.Equal(sid, m.ReadUInt32(IscsiUeventLayout.SendPduSid));
                Assert.Equal(cid, m.ReadUInt32(IscsiUeventLayout.SendPduCid));
                Assert.Equal(bhs.Concat(data).ToArray(), m.Payload.ToArray());

                foreach (IscsiUeventType type in new[] { IscsiUeventType.CreateConn, IscsiUeventType.DestroyConn, IscsiUeventType.StartConn, IscsiUeventType.GetStats })
                {
                    length = IscsiUeventWriter.Connection(buffer, stamp, type, sid, cid);
                    Assert.True(IscsiNetlinkMessage.TryParse(buffer.AsSpan(0, length), out m));
                    Assert.Equal((type, sid, cid, 0), (m.EventType, m.ReadUInt32(IscsiUeventLayout.CConnSid), m.ReadUInt32(IscsiUeventLayout.CConnCid), m.Payload.Length));
                }

                length = IscsiUeventWriter.SessionOnly(buffer, stamp, IscsiUeventType.DestroySession, sid);
                Assert.True(IscsiNetlinkMessage.TryParse(buffer.AsSpan(0, length), out m));
                Assert.Equal(sid, m.ReadUInt32(IscsiUeventLayout.DSessionSid));
                Assert.False(IscsiNetlinkMessage.TryParse(buffer.AsSpan(0, length - 1), out _));
            }, iter: Iterations, threads: 1);
    }
}
