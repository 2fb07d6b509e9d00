using System.Buffers.Binary;
using IscsiNative.Iscsid;

namespace IscsiNative.Tests.Iscsid;

public sealed class IscsidClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Healthy_session_reads_logged_in_and_no_change()
    {
        using var fake = FakeIscsid.Replying(command: 13, err: 0, sessionState: 0, connState: 3);
        var client = new IscsidClient(fake.AbstractName);

        bool ok = client.TryGetSessionState(7, Timeout, out IscsidSessionState state, out IscsidError error, Ct);
        fake.WaitServed();

        Assert.True(ok, error.ToString());
        Assert.Equal(default, error);
        Assert.Equal(IscsidConnectionState.LoggedIn, state.ConnectionState);
        Assert.Equal(IscsidInternalSessionState.NoChange, state.InternalState);
        Assert.Equal("LOGGED IN", state.ConnectionStateName);
        Assert.Equal("NO CHANGE", state.InternalStateName);
    }

    [Fact]
    public void Request_is_a_zero_filled_iscsiadm_req_t_with_session_info_command_and_sid_at_offset_8()
    {
        using var fake = FakeIscsid.Replying(13, 0, 0, 3);
        var client = new IscsidClient(fake.AbstractName);

        Assert.True(client.TryGetSessionState(0x01020304, Timeout, out _, out _, Ct));
        fake.WaitServed();

        AssertRequest(fake, command: 13, sid: 0x01020304);
    }

    [Fact]
    public void Failed_session_reads_transport_wait_and_reopen()
    {
        using var fake = FakeIscsid.Replying(13, 0, sessionState: 2, connState: 1);
        var client = new IscsidClient(fake.AbstractName);

        Assert.True(client.TryGetSessionState(3, Timeout, out IscsidSessionState state, out _, Ct));

        Assert.Equal("TRANSPORT WAIT", state.ConnectionStateName);
        Assert.Equal("REOPEN", state.InternalStateName);
    }

    [Fact]
    public void Absent_iscsid_fails_with_econnrefused_and_iscsiadms_message()
    {
        var client = new IscsidClient("IscsiNative.Tests.nobody-listens-" + Guid.NewGuid().ToString("N"));

        bool ok = client.TryGetSessionState(1, Timeout, out IscsidSessionState state, out IscsidError error, Ct);

        Assert.False(ok);
        Assert.Equal(IscsidError.NotConnected, error.IscsiError);
        Assert.Equal(111, error.Errno);
        Assert.True(error.IsNotConnected);
        Assert.Equal("can not connect to iSCSI daemon (111)!", error.IscsiadmMessage);
        Assert.Equal(IscsidSessionState.Unknown, state);
        Assert.Equal("Unknown", state.ConnectionStateName);
        Assert.Equal("Unknown", state.InternalStateName);
    }

    [Fact]
    public void Peer_that_closes_without_answering_is_a_communication_error()
    {
        using var fake = FakeIscsid.ClosingEarly();
        var client = new IscsidClient(fake.AbstractName);

        bool ok = client.TryGetSessionState(1, Timeout, out IscsidSessionState state, out IscsidError error, Ct);

        Assert.False(ok);
        Assert.Equal(IscsidError.CommunicationError, error.IscsiError);
        Assert.Equal("read error (0/0), daemon died?", error.IscsiadmMessage);
        Assert.Equal(IscsidSessionState.Unknown, state);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(2463)]
    public void Short_response_is_a_communication_error(int length)
    {
        using var fake = FakeIscsid.ReplyingShort(length);
        var client = new IscsidClient(fake.AbstractName);

        bool ok = client.TryGetSessionState(1, Timeout, out IscsidSessionState state, out IscsidError error, Ct);

        Assert.False(ok);
        Assert.Equal(IscsidError.CommunicationError, error.IscsiError);
        Assert.Equal(IscsidSessionState.Unknown, state);
    }

    [Fact]
    public void Silent_iscsid_times_out_with_etimedout()
    {
        using var fake = FakeIscsid.Silent();
        var client = new IscsidClient(fake.AbstractName);

        bool ok = client.TryGetSessionState(1, TimeSpan.FromMilliseconds(200), out IscsidSessionState state, out IscsidError error, Ct);

        Assert.False(ok);
        Assert.Equal(IscsidError.RequestTimedOut, error.IscsiError);
        Assert.Equal(110, error.Errno);
        Assert.Null(error.IscsiadmMessage);
        Assert.Equal(IscsidSessionState.Unknown, state);
    }

    [Fact]
    public void Cancellation_while_iscsid_is_silent_throws_operation_canceled()
    {
        using var fake = FakeIscsid.Silent();
        var client = new IscsidClient(fake.AbstractName);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        Assert.ThrowsAny<OperationCanceledException>(
            () => client.TryGetSessionState(1, System.Threading.Timeout.InfiniteTimeSpan, out _, out _, cts.Token));
    }

    [Theory]
    [InlineData(7, 4)]
    [InlineData(-1, -1)]
    [InlineData(int.MaxValue, 99)]
    public void Out_of_range_state_numbers_are_kept_and_named_unknown(int connState, int sessionState)
    {
        using var fake = FakeIscsid.Replying(13, 0, sessionState, connState);
        var client = new IscsidClient(fake.AbstractName);

        Assert.True(client.TryGetSessionState(1, Timeout, out IscsidSessionState state, out _, Ct));

        Assert.Equal(connState, (int)state.ConnectionState);
        Assert.Equal(sessionState, (int)state.InternalState);
        Assert.Equal("Unknown", state.ConnectionStateName);
        Assert.Equal("Unknown", state.InternalStateName);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(13)]
    public void Error_from_iscsid_fails_with_its_iscsi_err_code_and_no_message(int err)
    {
        using var fake = FakeIscsid.Replying(13, err, 0, 3);
        var client = new IscsidClient(fake.AbstractName);

        bool ok = client.TryGetSessionState(42, Timeout, out IscsidSessionState state, out IscsidError error, Ct);

        Assert.False(ok);
        Assert.Equal(err, error.IscsiError);
        Assert.Equal(0, error.Errno);
        Assert.Null(error.IscsiadmMessage);
        Assert.Equal(IscsidSessionState.Unknown, state);
    }

    [Fact]
    public void Reply_for_another_command_is_a_communication_error()
    {
        using var fake = FakeIscsid.Replying(command: 12, err: 0, sessionState: 0, connState: 3);
        var client = new IscsidClient(fake.AbstractName);

        Assert.False(client.TryGetSessionState(1, Timeout, out _, out IscsidError error, Ct));
        Assert.Equal(IscsidError.CommunicationError, error.IscsiError);
    }

    [Fact]
    public void Negative_timeout_other_than_infinite_is_rejected()
    {
        var client = new IscsidClient();

        Assert.Throws<ArgumentOutOfRangeException>(
            () => client.TryGetSessionState(1, TimeSpan.FromSeconds(-2), out _, out _, Ct));
    }

    [Fact]
    public void Abstract_name_longer_than_sun_path_allows_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new IscsidClient(new string('x', 108)));
        Assert.Throws<ArgumentException>(() => new IscsidClient(string.Empty));
    }

    [Fact]
    public void Logout_request_is_a_zero_filled_iscsiadm_req_t_with_logout_command_and_sid_at_offset_8()
    {
        using var fake = FakeIscsid.ReplyingToLogout(err: 0);
        var client = new IscsidClient(fake.AbstractName);

        Assert.True(client.TryLogoutSession(0x01020304, Timeout, out IscsidError error, Ct), error.ToString());
        fake.WaitServed();

        Assert.Equal(default, error);
        AssertRequest(fake, command: 2, sid: 0x01020304);
    }

    [Fact]
    public void Logout_of_a_session_iscsid_does_not_manage_fails_with_sess_not_found_and_no_message()
    {
        using var fake = FakeIscsid.ReplyingToLogout(err: 2);
        var client = new IscsidClient(fake.AbstractName);

        Assert.False(client.TryLogoutSession(9, Timeout, out IscsidError error, Ct));

        Assert.Equal(new IscsidError(IscsidError.SessionNotFound, 0, null), error);
        Assert.False(error.IsNotConnected);
    }

    [Theory]
    [InlineData(9)]  // ISCSI_ERR_INTERNAL: still logging in, or a logout already under way
    [InlineData(13)] // ISCSI_ERR_ACCESS: the peer is not root
    [InlineData(28)] // ISCSI_ERR_BUSY: iscsid.safe_logout and a mounted LUN
    [InlineData(32)] // ISCSI_ERR_SESSION_NOT_CONNECTED: reconnecting
    public void Logout_refused_by_iscsid_fails_with_its_code_whatever_command_the_reply_carries(int err)
    {
        // iscsid_response checks the command only when err is 0; an error reply is taken as it is.
        using var fake = FakeIscsid.Replying(command: 0, err, sessionState: 0, connState: 0);
        var client = new IscsidClient(fake.AbstractName);

        Assert.False(client.TryLogoutSession(1, Timeout, out IscsidError error, Ct));

        Assert.Equal(new IscsidError(err, 0, null), error);
    }

    [Fact]
    public void Logout_success_reply_for_another_command_is_a_communication_error()
    {
        using var fake = FakeIscsid.Replying(command: 13, err: 0, sessionState: 0, connState: 3);
        var client = new IscsidClient(fake.AbstractName);

        Assert.False(client.TryLogoutSession(1, Timeout, out IscsidError error, Ct));

        Assert.Equal(IscsidError.CommunicationError, error.IscsiError);
    }

    [Fact]
    public void Logout_with_iscsid_not_running_fails_with_econnrefused_and_asks_nothing()
    {
        var client = new IscsidClient("IscsiNative.Tests.nobody-listens-" + Guid.NewGuid().ToString("N"));

        Assert.False(client.TryLogoutSession(1, Timeout, out IscsidError error, Ct));

        Assert.True(error.IsNotConnected);
        Assert.Equal(111, error.Errno);
        Assert.Equal("can not connect to iSCSI daemon (111)!", error.IscsiadmMessage);
    }

    [Fact]
    public void Logout_answered_by_a_peer_that_closes_is_a_communication_error_with_iscsiadms_message()
    {
        using var fake = FakeIscsid.ClosingEarly();
        var client = new IscsidClient(fake.AbstractName);

        Assert.False(client.TryLogoutSession(1, Timeout, out IscsidError error, Ct));

        Assert.Equal(new IscsidError(IscsidError.CommunicationError, 0, "read error (0/0), daemon died?"), error);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(2463)]
    public void Logout_short_reply_is_a_communication_error(int length)
    {
        byte[] reply = FakeIscsid.Response(2, 0, 0, 0).AsSpan(0, length).ToArray();
        using var fake = FakeIscsid.ReplyingWith(reply);
        var client = new IscsidClient(fake.AbstractName);

        Assert.False(client.TryLogoutSession(1, Timeout, out IscsidError error, Ct));

        Assert.Equal(IscsidError.CommunicationError, error.IscsiError);
    }

    [Fact]
    public void Logout_iscsid_never_answers_times_out_with_etimedout()
    {
        using var fake = FakeIscsid.Silent();
        var client = new IscsidClient(fake.AbstractName);

        Assert.False(client.TryLogoutSession(1, TimeSpan.FromMilliseconds(200), out IscsidError error, Ct));

        Assert.Equal(new IscsidError(IscsidError.RequestTimedOut, 110, null), error);
    }

    [Fact]
    public void Logout_cancelled_while_iscsid_is_silent_throws_operation_canceled()
    {
        using var fake = FakeIscsid.Silent();
        var client = new IscsidClient(fake.AbstractName);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        Assert.ThrowsAny<OperationCanceledException>(
            () => client.TryLogoutSession(1, System.Threading.Timeout.InfiniteTimeSpan, out _, cts.Token));
    }

    [Fact]
    public void Logout_negative_timeout_other_than_infinite_is_rejected()
    {
        var client = new IscsidClient();

        Assert.Throws<ArgumentOutOfRangeException>(() => client.TryLogoutSession(1, TimeSpan.FromSeconds(-2), out _, Ct));
    }

    /// <summary>iscsiadm's req_t: 16104 bytes, the command at 0, 0 at 4, the sid at 8, zeros after.</summary>
    private static void AssertRequest(FakeIscsid fake, int command, int sid)
    {
        Assert.Equal(16104, fake.TotalBytesReceived);
        Assert.Equal(command, BinaryPrimitives.ReadInt32LittleEndian(fake.Request.AsSpan(0)));
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(fake.Request.AsSpan(4)));
        Assert.Equal(sid, BinaryPrimitives.ReadInt32LittleEndian(fake.Request.AsSpan(8)));
        Assert.Equal(-1, fake.Request.AsSpan(12).IndexOfAnyExcept((byte)0));
    }
}
