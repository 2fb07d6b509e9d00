using System.Buffers.Binary;
using System.Net.Sockets;
using IscsiNative.Netlink;
using Errno = IscsiNative.Interop.Errno;

namespace IscsiNative.Tests.Netlink;

/// <summary>
/// Requests over group-less request sockets (<see cref="IscsiNetlinkConnection"/>'s direct path) and batches: one
/// sendmsg per batch, replies read in order on the caller's thread, errors per request, no lock between callers.
/// </summary>
public sealed class RequestSocketTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IscsiKernelTransport Create(FakeNetlinkSocket shared, FakeRequestSockets direct) =>
        new(shared, KernelMessages.Handle, new IscsiKernelTransportOptions { RequestTimeout = TimeSpan.FromSeconds(5) }, direct.Open);

    private static uint U32(byte[] m, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(m.AsSpan(offset));

    [Fact]
    public async Task A_batch_goes_in_one_sendmsg_with_aligned_messages_and_reports_each_error_in_order()
    {
        var shared = new FakeNetlinkSocket();
        var direct = new FakeRequestSockets
        {
            // The kernel refuses param 24 (a password) with EINVAL and answers everything else.
            Kernel = r => KernelMessages.RequestType(r) == IscsiUeventType.SetParam && U32(r, 16 + 24) == 24
                ? KernelMessages.Reply(r, IscsiUeventType.KernelIfError, ifError: -Errno.EINVAL)
                : KernelMessages.Reply(r, r0: 0),
        };
        await using IscsiKernelTransport transport = Create(shared, direct);
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using KernelBatch batch = transport.NewBatch();
        batch.CreateConnection(3, 0).BindConnection(3, 0, tcp, isLeading: true)
            .SetParam(3, 0, IscsiParam.TargetName, "iqn.x:odd-length-1"u8)
            .SetParam(3, 0, IscsiParam.Password, "secret"u8)
            .StartConnection(3, 0);

        Exception?[] errors = await transport.SendBatchAsync(batch, Ct);

        byte[] sent = Assert.Single(direct.Sends);
        Assert.Empty(shared.Sent);
        var types = new List<IscsiUeventType>();
        for (int offset = 0; offset < sent.Length;)
        {
            Assert.Equal(0, offset % 4);
            types.Add((IscsiUeventType)BinaryPrimitives.ReadUInt16LittleEndian(sent.AsSpan(offset + 4)));
            offset += (int)(U32(sent, offset) + 3) & ~3;
        }

        Assert.Equal([IscsiUeventType.CreateConn, IscsiUeventType.BindConn, IscsiUeventType.SetParam, IscsiUeventType.SetParam, IscsiUeventType.StartConn], types);
        Assert.Null(errors[0]);
        Assert.Null(errors[2]);
        IscsiKernelException e = Assert.IsType<IscsiKernelException>(errors[3]);
        Assert.Equal(("ISCSI_UEVENT_SET_PARAM", Errno.EINVAL), (e.Operation, e.Errno));
        Assert.Null(errors[4]);
    }

    [Fact]
    public async Task Create_session_stays_on_the_shared_socket_and_other_requests_use_request_sockets()
    {
        var shared = new FakeNetlinkSocket();
        shared.OnSend = r => shared.Deliver(KernelMessages.Reply(r, r0: 4, r1: 8), 0);
        var direct = new FakeRequestSockets();
        await using IscsiKernelTransport transport = Create(shared, direct);

        (uint sid, uint host) = await transport.CreateSessionAsync(cancellationToken: Ct);
        await transport.SetParamAsync(sid, 0, IscsiParam.TargetName, "iqn.x:y", Ct);
        await transport.StopConnectionAsync(sid, 0, cancellationToken: Ct);

        Assert.Equal((4u, 8u), (sid, host));
        Assert.Equal(IscsiUeventType.CreateSession, KernelMessages.RequestType(Assert.Single(shared.Sent)));
        Assert.Equal(2, direct.Sends.Count);
        Assert.Equal(1, direct.Opened);
    }

    [Fact]
    public async Task A_missing_reply_fails_with_etimedout_and_the_socket_is_not_reused()
    {
        var direct = new FakeRequestSockets { Kernel = r => KernelMessages.RequestType(r) == IscsiUeventType.StopConn ? null : KernelMessages.Reply(r) };
        await using IscsiKernelTransport transport = Create(new FakeNetlinkSocket(), direct);

        IscsiTimeoutException timeout = await Assert.ThrowsAsync<IscsiTimeoutException>(() => transport.StopConnectionAsync(1, 0, cancellationToken: Ct));
        await transport.DestroyConnectionAsync(1, 0, Ct);

        IscsiKernelException e = Assert.IsType<IscsiKernelException>(timeout.InnerException);
        Assert.Equal(("ISCSI_UEVENT_STOP_CONN", Errno.ETIMEDOUT), (e.Operation, e.Errno));
        Assert.Equal(2, direct.Opened);
        Assert.Equal(1, direct.ClosedCount);
    }

    [Fact]
    public async Task Concurrent_callers_overlap_in_sendmsg_and_each_gets_its_own_reply()
    {
        // The fake kernel answers SET_PARAM with the param number in r0, so a crossed reply would show.
        var direct = new FakeRequestSockets
        {
            SendDelay = TimeSpan.FromMilliseconds(2),
            Kernel = r => KernelMessages.Reply(r, IscsiUeventType.KernelIfError, ifError: -(int)(1000 + U32(r, 16 + 16))),
        };
        await using IscsiKernelTransport transport = Create(new FakeNetlinkSocket(), direct);

        Task<IscsiKernelException>[] calls = Enumerable.Range(1, 48).Select(sid => Task.Run(
            () => Assert.ThrowsAsync<IscsiKernelException>(() => transport.SetParamAsync((uint)sid, 0, IscsiParam.TargetName, "iqn.x:y", Ct)), Ct)).ToArray();
        IscsiKernelException[] errors = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        for (int i = 0; i < errors.Length; i++)
        {
            Assert.Equal(1000 + i + 1, errors[i].Errno);
        }

        Assert.True(direct.MaxConcurrentSends > 1, "callers were serialized");
        Assert.True(direct.Opened - direct.ClosedCount <= IscsiNetlinkConnection.MaxIdleRequestSockets);
    }
}
