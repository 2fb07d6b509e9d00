using System.Threading.Channels;
using IscsiNative.Netlink;

namespace IscsiNative.Tests.Netlink;

/// <summary>Request/reply matching, event dispatch, timeouts and cancellation over <see cref="FakeNetlinkSocket"/>.</summary>
public sealed class IscsiKernelTransportTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    private static IscsiKernelTransport Create(FakeNetlinkSocket socket, TimeSpan? timeout = null) =>
        new(socket, KernelMessages.Handle, new IscsiKernelTransportOptions { RequestTimeout = timeout ?? Long });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_session_returns_sid_and_host_even_when_the_create_event_arrives_first()
    {
        var socket = new FakeNetlinkSocket();
        socket.OnSend = request =>
        {
            socket.Deliver(KernelMessages.Event(IscsiUeventType.KernelCreateSession, 5, 9), groups: 1);
            socket.Deliver(KernelMessages.Reply(request, r0: 5, r1: 9), groups: 0);
        };
        await using IscsiKernelTransport transport = Create(socket);
        Channel<IscsiKernelEvent> events = transport.SubscribeEvents();

        (uint sid, uint host) = await transport.CreateSessionAsync(1, 128, 32, Ct);

        Assert.Equal((5u, 9u), (sid, host));
        Assert.Equal(new IscsiKernelEvent(IscsiUeventType.KernelCreateSession, 5, HostNumber: 9), await events.Reader.ReadAsync(Ct));
        byte[] sent = Assert.Single(socket.Sent);
        Assert.Equal(IscsiUeventType.CreateSession, KernelMessages.RequestType(sent));
        Assert.Equal(socket.PortId, BitConverter.ToUInt32(sent, 12));
    }

    [Fact]
    public async Task If_error_reply_becomes_an_exception_naming_operation_sid_and_errno()
    {
        var socket = new FakeNetlinkSocket();
        socket.OnSend = request => socket.Deliver(KernelMessages.Reply(request, IscsiUeventType.KernelIfError, ifError: -16), 0);
        await using IscsiKernelTransport transport = Create(socket);

        IscsiKernelException e = await Assert.ThrowsAsync<IscsiKernelException>(() => transport.DestroySessionAsync(4, cancellationToken: Ct));

        Assert.Equal(("ISCSI_UEVENT_DESTROY_SESSION", 16, (int?)4), (e.Operation, e.Errno, e.Sid));
        Assert.Equal("ISCSI_UEVENT_DESTROY_SESSION (sid 4) failed: EBUSY (16)", e.Message);
    }

    [Fact]
    public async Task Bind_failure_is_read_from_retcode_while_type_stays_unchanged()
    {
        var socket = new FakeNetlinkSocket();
        socket.OnSend = request => socket.Deliver(KernelMessages.Reply(request, r0: unchecked((uint)-17)), 0);
        await using IscsiKernelTransport transport = Create(socket);

        IscsiKernelException e = await Assert.ThrowsAsync<IscsiKernelException>(() => transport.BindConnectionAsync(3, 0, 12, true, Ct));

        Assert.Equal("ISCSI_UEVENT_BIND_CONN (sid 3, cid 0) failed: EEXIST (17)", e.Message);
        Assert.Equal(12u, KernelMessages.U32(Assert.Single(socket.Sent), IscsiUeventLayout.BConnTransportEph));
    }

    [Fact]
    public async Task A_non_zero_r_field_in_an_if_error_channel_reply_is_not_mistaken_for_a_retcode()
    {
        var socket = new FakeNetlinkSocket();
        socket.OnSend = request => socket.Deliver(KernelMessages.Reply(request, r0: 7, r1: 1), 0);
        await using IscsiKernelTransport transport = Create(socket);

        Assert.Equal(1u, await transport.CreateConnectionAsync(7, 1, Ct));
    }

    [Fact]
    public async Task EPERM_reply_becomes_UnauthorizedAccessException_with_a_root_hint()
    {
        var socket = new FakeNetlinkSocket();
        socket.OnSend = request => socket.Deliver(KernelMessages.Reply(request, IscsiUeventType.KernelIfError, ifError: -1), 0);
        await using IscsiKernelTransport transport = Create(socket);

        var e = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => transport.CreateSessionAsync(cancellationToken: Ct));

        Assert.Contains("CAP_SYS_ADMIN", e.Message, StringComparison.Ordinal);
        Assert.Equal("ISCSI_UEVENT_CREATE_SESSION", Assert.IsType<IscsiKernelException>(e.InnerException).Operation);
    }

    [Fact]
    public async Task A_unicast_of_another_type_is_not_taken_as_the_reply_and_the_request_times_out()
    {
        var socket = new FakeNetlinkSocket();
        socket.OnSend = request =>
        {
            byte[] stray = KernelMessages.Reply(request);
            stray[4] = (byte)IscsiUeventType.StartConn;
            socket.Deliver(stray, 0);
            socket.Deliver(KernelMessages.Event(IscsiUeventType.KernelConnError, 1, 0, 1020), 1); // multicast: not a reply either
        };
        await using IscsiKernelTransport transport = Create(socket, Short);

        IscsiTimeoutException t = await Assert.ThrowsAsync<IscsiTimeoutException>(() => transport.StopConnectionAsync(1, 0, IscsiStopConnFlag.Terminate, Ct));

        IscsiKernelException e = Assert.IsType<IscsiKernelException>(t.InnerException);
        Assert.Equal(("ISCSI_UEVENT_STOP_CONN", 110), (e.Operation, e.Errno));
        Assert.Equal("ISCSI_UEVENT_STOP_CONN", t.Operation);
        Assert.True(t.Elapsed >= Short - TimeSpan.FromMilliseconds(50), $"elapsed {t.Elapsed}");
    }

    [Fact]
    public async Task Cancelling_a_request_releases_the_socket_for_the_next_caller()
    {
        var socket = new FakeNetlinkSocket();
        bool answer = false;
        socket.OnSend = request =>
        {
            if (answer)
            {
                socket.Deliver(KernelMessages.Reply(request), 0);
            }
        };
        await using IscsiKernelTransport transport = Create(socket);
        using var cts = new CancellationTokenSource();

        Task first = transport.StartConnectionAsync(1, 0, cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);

        answer = true;
        await transport.StartConnectionAsync(1, 0, Ct);
        Assert.Equal(2, socket.Sent.Count);
    }

    [Fact]
    public async Task Concurrent_callers_each_get_their_own_reply_with_one_request_outstanding_at_a_time()
    {
        var socket = new FakeNetlinkSocket();
        int outstanding = 0;
        int maxOutstanding = 0;
        socket.OnSend = request =>
        {
            int now = Interlocked.Increment(ref outstanding);
            maxOutstanding = Math.Max(maxOutstanding, now);
            uint sid = KernelMessages.U32(request, IscsiUeventLayout.CConnSid);
            uint cid = KernelMessages.U32(request, IscsiUeventLayout.CConnCid);

            // Reply later, from another thread, with events of other sessions in between.
            _ = Task.Run(async () =>
            {
                await Task.Delay(1);
                socket.Deliver(KernelMessages.Event(IscsiUeventType.KernelCreateSession, sid + 1000, 1), 1);
                Interlocked.Decrement(ref outstanding);
                socket.Deliver(KernelMessages.Reply(request, r0: sid, r1: cid), 0);
            });
        };
        await using IscsiKernelTransport transport = Create(socket);

        uint[] cids = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => transport.CreateConnectionAsync((uint)i, (uint)(i * 3), Ct))));

        Assert.Equal(Enumerable.Range(0, 40).Select(i => (uint)(i * 3)), cids);
        Assert.Equal(1, maxOutstanding);
        Assert.Equal(40, socket.Sent.Count);
    }

    [Fact]
    public async Task Received_pdus_reach_the_waiter_of_their_connection_even_if_they_arrive_before_the_wait()
    {
        var socket = new FakeNetlinkSocket();
        socket.OnSend = request =>
        {
            socket.Deliver(KernelMessages.Reply(request, r0: 0), 0);
            if (KernelMessages.RequestType(request) == IscsiUeventType.SendPdu)
            {
                socket.Deliver(KernelMessages.RecvPdu(2, 0, 0x23, "B=2\0"u8.ToArray()), 1); // other session
                socket.Deliver(KernelMessages.RecvPdu(1, 0, 0x23, "A=1\0"u8.ToArray()), 1);
            }
        };
        await using IscsiKernelTransport transport = Create(socket);
        await transport.CreateConnectionAsync(1, 0, Ct);

        await transport.SendPduAsync(1, 0, new byte[48], "K=V\0"u8, Ct);
        using IscsiReceivedPdu pdu = await transport.ReceivePduAsync(1, 0, Long, Ct);

        Assert.Equal((1u, 0u, (byte)0x23), (pdu.Sid, pdu.Cid, pdu.Opcode));
        Assert.Equal("A=1\0"u8.ToArray(), pdu.Data.ToArray());
        byte[] sent = socket.Sent.Last();
        Assert.Equal(72 + 48 + 4, sent.Length);
    }

    [Fact]
    public async Task A_pdu_wait_that_times_out_does_not_swallow_the_pdu_that_arrives_later()
    {
        var socket = new FakeNetlinkSocket();
        socket.OnSend = request => socket.Deliver(KernelMessages.Reply(request), 0);
        await using IscsiKernelTransport transport = Create(socket);
        await transport.CreateConnectionAsync(1, 0, Ct);

        IscsiTimeoutException t = await Assert.ThrowsAsync<IscsiTimeoutException>(() => transport.ReceivePduAsync(1, 0, Short, Ct));
        IscsiKernelException e = Assert.IsType<IscsiKernelException>(t.InnerException);
        Assert.Equal(("ISCSI_KEVENT_RECV_PDU", 110), (e.Operation, e.Errno));
        Assert.Equal((t.Operation, t.Elapsed), ("ISCSI_KEVENT_RECV_PDU", Short));

        socket.Deliver(KernelMessages.RecvPdu(1, 0, 0x26, []), 1);
        using IscsiReceivedPdu pdu = await transport.ReceivePduAsync(1, 0, Long, Ct);
        Assert.Equal(0x26, pdu.Opcode);
        Assert.True(pdu.Data.IsEmpty);
    }

    [Fact]
    public async Task A_connection_error_ends_the_pdu_wait_of_that_connection_with_the_iscsi_error()
    {
        var socket = new FakeNetlinkSocket();
        socket.OnSend = request => socket.Deliver(KernelMessages.Reply(request), 0);
        await using IscsiKernelTransport transport = Create(socket);
        await transport.CreateConnectionAsync(1, 0, Ct);
        Task<IscsiReceivedPdu> wait = transport.ReceivePduAsync(1, 0, Long, Ct);

        socket.Deliver(KernelMessages.Event(IscsiUeventType.KernelConnError, 1, 0, (uint)IscsiConnectionError.TcpConnClose), 1);

        IscsiKernelException e = await Assert.ThrowsAsync<IscsiKernelException>(() => wait);
        Assert.Equal(("ISCSI_KEVENT_CONN_ERROR", 107, (int?)1, (int?)0), (e.Operation, e.Errno, e.Sid, e.Cid));
        Assert.Contains("TcpConnClose (1020)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_pdu_fails_the_waiter_instead_of_being_parsed()
    {
        var socket = new FakeNetlinkSocket();
        socket.OnSend = request => socket.Deliver(KernelMessages.Reply(request), 0);
        await using IscsiKernelTransport transport = Create(socket);
        await transport.CreateConnectionAsync(1, 0, Ct);

        socket.Deliver(KernelMessages.RecvPdu(1, 0, 0x23, new byte[400]), 1, bufferLimit: 200);

        IscsiKernelException e = await Assert.ThrowsAsync<IscsiKernelException>(() => transport.ReceivePduAsync(1, 0, Long, Ct));
        Assert.Equal(90, e.Errno);
    }

    [Fact]
    public async Task A_truncated_reply_fails_the_request()
    {
        var socket = new FakeNetlinkSocket();
        socket.OnSend = request =>
        {
            byte[] longReply = [.. KernelMessages.Reply(request), .. new byte[100]];
            BitConverter.TryWriteBytes(longReply.AsSpan(0, 4), longReply.Length);
            socket.Deliver(longReply, 0, bufferLimit: 80);
        };
        await using IscsiKernelTransport transport = Create(socket);

        IscsiKernelException e = await Assert.ThrowsAsync<IscsiKernelException>(() => transport.StartConnectionAsync(1, 0, Ct));
        Assert.Equal(("ISCSI_UEVENT_START_CONN", 90), (e.Operation, e.Errno));
    }

    [Fact]
    public async Task Statistics_come_from_the_multicast_for_the_requested_connection_only()
    {
        var socket = new FakeNetlinkSocket();
        socket.OnSend = request =>
        {
            socket.Deliver(KernelMessages.Stats(8, 0, ("other", 1)), 1);
            socket.Deliver(KernelMessages.Stats(3, 1, ("tx_sendpage_failures", 0), ("rx_discontiguous_hdr", 0), ("eh_abort_cnt", 4)), 1);
        };
        await using IscsiKernelTransport transport = Create(socket);

        IscsiStatistics stats = await transport.GetStatisticsAsync(3, 1, Ct);

        Assert.Equal(["tx_sendpage_failures", "rx_discontiguous_hdr", "eh_abort_cnt"], stats.Custom.Select(c => c.Key));
        Assert.Equal(4ul, stats.Custom[2].Value);
        Assert.Equal(103u, stats.LoginPdus); // 4th u32 counter
    }

    [Fact]
    public async Task Statistics_of_an_unknown_connection_fail_with_the_unicast_errno()
    {
        var socket = new FakeNetlinkSocket();
        socket.OnSend = request => socket.Deliver(KernelMessages.Reply(request, IscsiUeventType.KernelIfError, ifError: -17), 0);
        await using IscsiKernelTransport transport = Create(socket);

        IscsiKernelException e = await Assert.ThrowsAsync<IscsiKernelException>(() => transport.GetStatisticsAsync(3, 1, Ct));
        Assert.Equal("ISCSI_UEVENT_GET_STATS (sid 3, cid 1) failed: EEXIST (17)", e.Message);
    }

    [Fact]
    public async Task Events_are_decoded_for_subscribers_and_malformed_or_lost_datagrams_do_not_stop_the_reader()
    {
        var socket = new FakeNetlinkSocket();
        await using IscsiKernelTransport transport = Create(socket);
        Channel<IscsiKernelEvent> events = transport.SubscribeEvents();

        socket.Deliver(new byte[10], 1);
        socket.DeliverError(105); // ENOBUFS
        socket.Deliver(KernelMessages.Event(IscsiUeventType.KernelDestroySession, 7, 3), 1);
        socket.Deliver(KernelMessages.Event(IscsiUeventType.KernelUnbindSession, 3, 7), 1);
        socket.Deliver(KernelMessages.Event(IscsiUeventType.KernelConnError, 3, 0, 1022), 1);

        // ENOBUFS reaches the subscribers as the Lost marker (they resync from sysfs), in order.
        Assert.Same(IscsiKernelEvent.Lost, await events.Reader.ReadAsync(Ct));
        Assert.True(IscsiKernelEvent.Lost.EventsLost);
        Assert.Equal(new IscsiKernelEvent(IscsiUeventType.KernelDestroySession, 3, HostNumber: 7), await events.Reader.ReadAsync(Ct));
        Assert.Equal(new IscsiKernelEvent(IscsiUeventType.KernelUnbindSession, 3, HostNumber: 7), await events.Reader.ReadAsync(Ct));
        Assert.Equal(new IscsiKernelEvent(IscsiUeventType.KernelConnError, 3, 0, Error: IscsiConnectionError.NopTimedout), await events.Reader.ReadAsync(Ct));
    }

    [Fact]
    public async Task Watch_events_streams_until_cancelled()
    {
        var socket = new FakeNetlinkSocket();
        await using IscsiKernelTransport transport = Create(socket);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var seen = new List<IscsiKernelEvent>();
        await using IAsyncEnumerator<IscsiKernelEvent> e = transport.WatchEventsAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        ValueTask<bool> first = e.MoveNextAsync();

        // The subscription starts with the first MoveNextAsync; deliver until it is seen.
        while (!first.IsCompleted)
        {
            socket.Deliver(KernelMessages.Event(IscsiUeventType.KernelCreateSession, 1, 1), 1);
            await Task.Delay(10, Ct);
        }

        Assert.True(await first);
        Assert.Equal(IscsiUeventType.KernelCreateSession, e.Current.Type);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            while (await e.MoveNextAsync())
            {
            }
        });
    }

    [Fact]
    public async Task A_failed_socket_faults_the_connection_and_later_requests_say_so()
    {
        var socket = new FakeNetlinkSocket();
        await using IscsiKernelTransport transport = Create(socket);
        Task<IscsiReceivedPdu> wait = transport.ReceivePduAsync(1, 0, Long, Ct);

        socket.DeliverError(9); // EBADF

        await Assert.ThrowsAsync<IscsiKernelException>(() => wait);
        IscsiKernelException e = await Assert.ThrowsAsync<IscsiKernelException>(() => transport.StartConnectionAsync(1, 0, Ct));
        Assert.Equal(9, e.Errno);
    }

    [Fact]
    public async Task Dispose_wakes_the_reader_fails_waiters_and_closes_the_socket()
    {
        var socket = new FakeNetlinkSocket();
        IscsiKernelTransport transport = Create(socket);
        Task<IscsiReceivedPdu> wait = transport.ReceivePduAsync(1, 0, Long, Ct);
        Task pending = transport.StartConnectionAsync(1, 0, Ct);

        await transport.DisposeAsync();

        await Assert.ThrowsAnyAsync<ObjectDisposedException>(() => wait);
        await Assert.ThrowsAnyAsync<ObjectDisposedException>(() => pending);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => transport.CreateSessionAsync(cancellationToken: Ct));
        Assert.True(socket.Disposed);
    }

    [Fact]
    public async Task Parameter_values_must_be_NUL_free_ASCII()
    {
        var socket = new FakeNetlinkSocket();
        await using IscsiKernelTransport transport = Create(socket);
        await Assert.ThrowsAsync<ArgumentException>(() => transport.SetParamAsync(1, 0, IscsiParam.TargetName, "iqn.é", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => transport.SetParamAsync(1, 0, IscsiParam.TargetName, "a\0", Ct));
        Assert.Empty(socket.Sent);
    }
}
