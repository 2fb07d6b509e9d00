using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using IscsiNative.Iscsid;

namespace IscsiNative.Tests.Iscsid;

public sealed class MgmtIpcTests
{
    [Fact]
    public void Sizes_and_offsets_are_those_of_open_iscsi_2_1_8_on_x86_64()
    {
        Assert.Equal(16104, MgmtIpc.RequestSize);
        Assert.Equal(2464, MgmtIpc.ResponseSize);
        Assert.Equal(8, MgmtIpc.SessionIdOffset);
        Assert.Equal(8, MgmtIpc.SessionStateOffset);
        Assert.Equal(12, MgmtIpc.ConnectionStateOffset);
        Assert.Equal(13, MgmtIpc.SessionInfoCommand);
        Assert.Equal(2, MgmtIpc.SessionLogoutCommand);
    }

    [Fact]
    public void Abstract_address_is_nul_plus_name_without_terminator_like_setup_abstract_addr()
    {
        // setup_abstract_addr: addr_len = offsetof(sun_path) (2) + 1 + strlen(name) (27) = 30; iscsid binds that length.
        SocketAddress address = new UnixDomainSocketEndPoint("\0" + IscsidClient.DefaultAbstractName).Serialize();

        Assert.Equal(30, address.Size);
        Assert.Equal(0, address[2]);
        Assert.Equal((byte)'I', address[3]);
        Assert.Equal((byte)'E', address[29]);
    }

    [Fact]
    public void Session_info_request_overwrites_stale_bytes_with_zeros()
    {
        byte[] buffer = new byte[MgmtIpc.RequestSize + 8];
        buffer.AsSpan().Fill(0xAA);

        MgmtIpc.WriteSessionInfoRequest(buffer, 5);

        Assert.Equal(13, BinaryPrimitives.ReadInt32LittleEndian(buffer));
        Assert.Equal(5, BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(8)));
        Assert.Equal(-1, buffer.AsSpan(12, MgmtIpc.RequestSize - 12).IndexOfAnyExcept((byte)0));
        Assert.Equal(0xAA, buffer[MgmtIpc.RequestSize]);
    }

    [Fact]
    public void Session_info_request_into_a_short_buffer_throws()
    {
        Assert.Throws<ArgumentException>(() => MgmtIpc.WriteSessionInfoRequest(new byte[MgmtIpc.RequestSize - 1], 1));
    }

    [Fact]
    public void Response_session_state_precedes_conn_state()
    {
        byte[] rsp = FakeIscsid.Response(13, 0, sessionState: 2, connState: 1);

        MgmtIpc.ReadSessionInfoResponse(rsp, out int command, out int err, out IscsidSessionState state);

        Assert.Equal(13, command);
        Assert.Equal(0, err);
        Assert.Equal(IscsidConnectionState.TransportWait, state.ConnectionState);
        Assert.Equal(IscsidInternalSessionState.Reopen, state.InternalState);
    }

    [Fact]
    public void Session_logout_request_is_command_2_and_the_sid_over_zeros()
    {
        byte[] buffer = new byte[MgmtIpc.RequestSize];
        buffer.AsSpan().Fill(0x55);

        MgmtIpc.WriteSessionLogoutRequest(buffer, 17);

        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(buffer));
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(4)));
        Assert.Equal(17, BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(8)));
        Assert.Equal(-1, buffer.AsSpan(12).IndexOfAnyExcept((byte)0));
        Assert.Throws<ArgumentException>(() => MgmtIpc.WriteSessionLogoutRequest(new byte[MgmtIpc.RequestSize - 1], 1));
    }

    [Fact]
    public void Response_header_is_command_then_err()
    {
        byte[] rsp = FakeIscsid.Response(2, 28, 0, 0);

        MgmtIpc.ReadResponseHeader(rsp, out int command, out int err);

        Assert.Equal(2, command);
        Assert.Equal(28, err);
    }
}
