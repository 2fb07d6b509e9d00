using IscsiNative.Netlink;

namespace IscsiNative.Tests.Netlink;

/// <summary>
/// Golden bytes of every request the library sends, little-endian x86_64 as the kernel reads them. The expected
/// bytes were produced independently (Python struct.pack of the iscsi_if.h layout), not by this codec.
/// </summary>
public sealed class IscsiUeventWriterTests
{
    private static readonly NetlinkRequestStamp Stamp = new(0x0102030405060708, 7, 0x1000);

    public static TheoryData<string> Messages => new("CreateSession", "DestroySession", "DestroySessionAsync", "UnbindSession", "CreateConn", "DestroyConn", "StartConn", "GetStats", "BindConn", "StopConnTerm", "StopConnRecover", "SetParam", "SetHostParam", "SendPdu");

    [Theory]
    [MemberData(nameof(Messages))]
    public void Request_encodes_to_the_golden_bytes(string name)
    {
        byte[] b = new byte[256];
        b.AsSpan().Fill(0xEE); // stale bytes must not leak into the message
        int written = name switch
        {
            "CreateSession" => IscsiUeventWriter.CreateSession(b, Stamp, 1, 128, 32),
            "DestroySession" => IscsiUeventWriter.SessionOnly(b, Stamp, IscsiUeventType.DestroySession, 3),
            "DestroySessionAsync" => IscsiUeventWriter.SessionOnly(b, Stamp, IscsiUeventType.DestroySessionAsync, 3),
            "UnbindSession" => IscsiUeventWriter.SessionOnly(b, Stamp, IscsiUeventType.UnbindSession, 3),
            "CreateConn" => IscsiUeventWriter.Connection(b, Stamp, IscsiUeventType.CreateConn, 3, 0),
            "DestroyConn" => IscsiUeventWriter.Connection(b, Stamp, IscsiUeventType.DestroyConn, 3, 0),
            "StartConn" => IscsiUeventWriter.Connection(b, Stamp, IscsiUeventType.StartConn, 3, 0),
            "GetStats" => IscsiUeventWriter.Connection(b, Stamp, IscsiUeventType.GetStats, 3, 0),
            "BindConn" => IscsiUeventWriter.BindConn(b, Stamp, 3, 0, 9, isLeading: true),
            "StopConnTerm" => IscsiUeventWriter.StopConn(b, Stamp, 3, 0, IscsiStopConnFlag.Terminate),
            "StopConnRecover" => IscsiUeventWriter.StopConn(b, Stamp, 3, 0, IscsiStopConnFlag.Recover),
            "SetParam" => IscsiUeventWriter.SetParam(b, Stamp, 3, 0, IscsiParam.TargetName, "iqn."u8),
            "SetHostParam" => IscsiUeventWriter.SetHostParam(b, Stamp, 5, IscsiHostParam.NetdevName, "default"u8),
            "SendPdu" => IscsiUeventWriter.SendPdu(b, Stamp, 3, 0, Bhs(), "a=b"u8),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        Assert.Equal(Golden(name), Convert.ToHexStringLower(b, 0, written));
    }

    private static string Golden(string name) => name switch
    {
        "CreateSession" => "480000000b00000007000000001000000b00000000000000080706050403020101000000800020000000000000000000000000000000000000000000000000000000000000000000",
        "DestroySession" => "480000000c00000007000000001000000c00000000000000080706050403020103000000000000000000000000000000000000000000000000000000000000000000000000000000",
        "DestroySessionAsync" => "480000002b00000007000000001000002b00000000000000080706050403020103000000000000000000000000000000000000000000000000000000000000000000000000000000",
        "UnbindSession" => "480000001b00000007000000001000001b00000000000000080706050403020103000000000000000000000000000000000000000000000000000000000000000000000000000000",
        "CreateConn" => "480000000d00000007000000001000000d00000000000000080706050403020103000000000000000000000000000000000000000000000000000000000000000000000000000000",
        "DestroyConn" => "480000000e00000007000000001000000e00000000000000080706050403020103000000000000000000000000000000000000000000000000000000000000000000000000000000",
        "StartConn" => "480000001100000007000000001000001100000000000000080706050403020103000000000000000000000000000000000000000000000000000000000000000000000000000000",
        "GetStats" => "480000001400000007000000001000001400000000000000080706050403020103000000000000000000000000000000000000000000000000000000000000000000000000000000",
        "BindConn" => "480000000f00000007000000001000000f00000000000000080706050403020103000000000000000900000000000000010000000000000000000000000000000000000000000000",
        "StopConnTerm" => "480000001200000007000000001000001200000000000000080706050403020103000000000000000000000000000000010000000000000000000000000000000000000000000000",
        "StopConnRecover" => "480000001200000007000000001000001200000000000000080706050403020103000000000000000000000000000000030000000000000000000000000000000000000000000000",
        "SetParam" => "4d0000001000000007000000001000001000000000000000080706050403020103000000000000000f0000000500000000000000000000000000000000000000000000000000000069716e2e00",
        "SetHostParam" => "500000001a00000007000000001000001a0000000000000008070605040302010500000002000000080000000000000000000000000000000000000000000000000000000000000064656661756c7400",
        "SendPdu" => "7b0000001300000007000000001000001300000000000000080706050403020103000000000000003000000003000000000000000000000000000000000000000000000000000000404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f613d62",
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static byte[] Bhs()
    {
        byte[] bhs = new byte[48];
        for (int i = 0; i < bhs.Length; i++)
        {
            bhs[i] = (byte)(0x40 + i);
        }

        return bhs;
    }

    [Fact]
    public void Set_param_length_counts_the_terminating_NUL_and_nlmsg_len_is_exact()
    {
        byte[] b = new byte[128];
        int written = IscsiUeventWriter.SetParam(b, Stamp, 1, 0, IscsiParam.ExpStatsn, "12345"u8);
        Assert.Equal(72 + 6, written);
        Assert.Equal(78u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(b));
        Assert.Equal(6u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(16 + IscsiUeventLayout.SetParamLen)));
        Assert.Equal(0, b[77]);
    }

    [Fact]
    public void Set_param_rejects_values_with_NUL_or_beyond_the_kernel_limit()
    {
        byte[] b = new byte[8192];
        Assert.Throws<ArgumentException>(() => IscsiUeventWriter.SetParam(b, Stamp, 1, 0, IscsiParam.TargetName, "a\0b"u8));
        Assert.Throws<ArgumentException>(() => IscsiUeventWriter.SetParam(b, Stamp, 1, 0, IscsiParam.TargetName, new byte[4096]));
        Assert.Equal(72 + 4096, IscsiUeventWriter.SetParam(b, Stamp, 1, 0, IscsiParam.TargetName, new string('x', 4095).Select(c => (byte)c).ToArray()));
    }

    [Fact]
    public void Send_pdu_requires_exactly_a_48_byte_header()
    {
        byte[] b = new byte[256];
        Assert.Throws<ArgumentException>(() => IscsiUeventWriter.SendPdu(b, Stamp, 1, 0, new byte[52], default));
        Assert.Throws<ArgumentException>(() => IscsiUeventWriter.SendPdu(b, Stamp, 1, 0, new byte[47], default));
    }

    [Fact]
    public void A_buffer_too_small_for_the_message_is_rejected_before_writing()
    {
        byte[] b = new byte[71];
        Assert.Throws<ArgumentException>(() => IscsiUeventWriter.CreateSession(b, Stamp, 1, 128, 32));
        Assert.All(b, x => Assert.Equal(0, x));
    }

    [Fact]
    public void Session_and_connection_helpers_refuse_request_types_with_other_layouts()
    {
        byte[] b = new byte[128];
        Assert.Throws<ArgumentOutOfRangeException>(() => IscsiUeventWriter.SessionOnly(b, Stamp, IscsiUeventType.CreateConn, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => IscsiUeventWriter.Connection(b, Stamp, IscsiUeventType.BindConn, 1, 0));
    }
}
