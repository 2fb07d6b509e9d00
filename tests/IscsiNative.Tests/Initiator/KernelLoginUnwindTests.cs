using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using IscsiNative.Initiator;
using IscsiNative.Netlink;
using IscsiNative.Tests.Netlink;

namespace IscsiNative.Tests.Initiator;

/// <summary>
/// <see cref="IscsiInitiator.LoginAsync"/> over a <see cref="FakeNetlinkSocket"/> playing the kernel (and a loopback
/// listener playing the portal): the request sequence, and that every failure unwinds what was created.
/// </summary>
public sealed class KernelLoginUnwindTests : IDisposable
{
    private const uint Sid = 7;
    private const uint Host = 3;
    private readonly TcpListener _portal = new(IPAddress.Loopback, 0);
    private readonly string _sysfs = Directory.CreateTempSubdirectory("iscsinative-login").FullName;

    public KernelLoginUnwindTests() => _portal.Start();

    private IscsiPortal Portal => new("127.0.0.1", ((IPEndPoint)_portal.LocalEndpoint).Port);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _portal.Stop();
        Directory.Delete(_sysfs, recursive: true);
    }

    /// <summary>A kernel that accepts everything, answers SEND_PDU with a Login Response of the given status, and can fail one request type.</summary>
    private static FakeNetlinkSocket FakeKernel(byte statusClass, byte statusDetail, IscsiUeventType? failing = null, int errno = 12)
    {
        var socket = new FakeNetlinkSocket();
        socket.OnSend = request =>
        {
            IscsiUeventType type = KernelMessages.RequestType(request);
            if (type == failing)
            {
                socket.Deliver(KernelMessages.Reply(request, IscsiUeventType.KernelIfError, ifError: -errno), 0);
                return;
            }

            switch (type)
            {
                case IscsiUeventType.CreateSession:
                    socket.Deliver(KernelMessages.Reply(request, r0: Sid, r1: Host), 0);
                    break;
                case IscsiUeventType.CreateConn:
                    socket.Deliver(KernelMessages.Reply(request, r0: Sid, r1: 0), 0);
                    break;
                case IscsiUeventType.BindConn or IscsiUeventType.StartConn or IscsiUeventType.SendPdu:
                    socket.Deliver(KernelMessages.Reply(request, r0: 0), 0);
                    if (type == IscsiUeventType.SendPdu)
                    {
                        byte[] pdu = KernelMessages.RecvPdu(Sid, 0, 0x23, []);
                        pdu[72 + 1] = (byte)(request[72 + 1] & 0x0C); // CSG echoed, no transit
                        request.AsSpan(72 + 8, 6).CopyTo(pdu.AsSpan(72 + 8)); // ISID
                        pdu[72 + 36] = statusClass;
                        pdu[72 + 37] = statusDetail;
                        socket.Deliver(pdu, 1);
                    }

                    break;
                default:
                    socket.Deliver(KernelMessages.Reply(request), 0);
                    break;
            }
        };
        return socket;
    }

    private IscsiInitiator Initiator(FakeNetlinkSocket socket)
    {
        var initiator = new IscsiInitiator(new IscsiInitiatorOptions { SysfsRoot = _sysfs });
        initiator.UseKernel(new IscsiKernelTransport(socket, KernelMessages.Handle, new IscsiKernelTransportOptions { RequestTimeout = TimeSpan.FromSeconds(10) }));
        return initiator;
    }

    private static LoginOptions Options => new() { InitiatorName = "iqn.2004-10.org.iscsinative:unit", LoginTimeout = TimeSpan.FromSeconds(10) };

    private static List<IscsiUeventType> Types(FakeNetlinkSocket socket) => socket.Sent.Select(KernelMessages.RequestType).ToList();

    [Fact]
    public async Task Authentication_refusal_is_typed_and_unwinds_stop_conn_terminate_destroy_conn_and_destroy_session()
    {
        FakeNetlinkSocket socket = FakeKernel(2, 1);
        using IscsiInitiator initiator = Initiator(socket);

        IscsiAuthenticationException e = await Assert.ThrowsAsync<IscsiAuthenticationException>(() => initiator.LoginAsync("iqn.t:1", Portal, Options, Ct));

        Assert.Equal((2, 1), (e.StatusClass, e.StatusDetail));
        List<IscsiUeventType> types = Types(socket);
        Assert.Equal([IscsiUeventType.CreateSession, IscsiUeventType.CreateConn, IscsiUeventType.BindConn], types.Take(3));
        Assert.Equal([IscsiUeventType.SendPdu, IscsiUeventType.StopConn, IscsiUeventType.DestroyConn, IscsiUeventType.DestroySessionAsync], types.TakeLast(4));
        Assert.DoesNotContain(IscsiUeventType.StartConn, types);
        byte[] stop = socket.Sent.Single(m => KernelMessages.RequestType(m) == IscsiUeventType.StopConn);
        Assert.Equal((uint)IscsiStopConnFlag.Terminate, KernelMessages.U32(stop, 32));

        // The Login PDU carried iscsid's ISID for this sid: 00 02 3D + sid.
        byte[] pduRequest = socket.Sent.Single(m => KernelMessages.RequestType(m) == IscsiUeventType.SendPdu);
        Assert.Equal(new byte[] { 0x00, 0x02, 0x3D, 0x00, 0x00, (byte)Sid }, pduRequest.AsSpan(72 + 8, 6).ToArray());
    }

    [Fact]
    public async Task LoginAsync_returns_its_task_before_any_kernel_request_runs_on_the_callers_thread()
    {
        // A kernel whose CREATE_SESSION blocks (at most 10 s) until the test opens the gate: if the login ran its kernel
        // requests on the caller's thread, LoginAsync would not return before the gate opens (a caller that waits on
        // something the login does would wait on itself: the VM test's hold did, for 120 s).
        FakeNetlinkSocket socket = FakeKernel(2, 1);
        Action<byte[]> answer = socket.OnSend!;
        using var gate = new ManualResetEventSlim(false);
        bool openedInTime = true;
        socket.OnSend = request =>
        {
            if (KernelMessages.RequestType(request) == IscsiUeventType.CreateSession)
            {
                openedInTime = gate.Wait(TimeSpan.FromSeconds(10));
            }

            answer(request);
        };
        using IscsiInitiator initiator = Initiator(socket);

        Task<IscsiNative.Sysfs.IscsiSession> login = initiator.LoginAsync("iqn.t:1", Portal, Options, Ct);
        gate.Set();

        await Assert.ThrowsAsync<IscsiAuthenticationException>(() => login);
        // (Not a thread-id check: once LoginAsync has returned, the caller's pool thread may well run the login's work.)
        Assert.True(openedInTime, "LoginAsync ran CREATE_SESSION before returning its task");
    }

    [Fact]
    public async Task Set_params_before_login_follow_bind_and_precede_the_login_pdu()
    {
        FakeNetlinkSocket socket = FakeKernel(3, 1);
        using IscsiInitiator initiator = Initiator(socket);

        IscsiLoginException e = await Assert.ThrowsAsync<IscsiLoginException>(() => initiator.LoginAsync("iqn.t:1", Portal, Options, Ct));

        Assert.Equal(0x0301, e.Status);
        List<uint> paramsBeforeLogin = socket.Sent
            .SkipWhile(m => KernelMessages.RequestType(m) != IscsiUeventType.BindConn)
            .TakeWhile(m => KernelMessages.RequestType(m) != IscsiUeventType.SendPdu)
            .Where(m => KernelMessages.RequestType(m) == IscsiUeventType.SetParam)
            .Select(m => KernelMessages.U32(m, 24))
            .ToList();
        Assert.Equal([15u, 17, 18, 19, 26, 27, 28, 35, 30, 31, 32, 34, 43], paramsBeforeLogin);
    }

    [Fact]
    public async Task Kernel_failure_after_create_session_destroys_only_the_session_and_names_the_operation()
    {
        FakeNetlinkSocket socket = FakeKernel(0, 0, failing: IscsiUeventType.CreateConn, errno: 12);
        using IscsiInitiator initiator = Initiator(socket);

        IscsiKernelException e = await Assert.ThrowsAsync<IscsiKernelException>(() => initiator.LoginAsync("iqn.t:1", Portal, Options, Ct));

        Assert.Equal("ISCSI_UEVENT_CREATE_CONN", e.Operation);

        // CREATE_CONN, BIND_CONN and the first SET_PARAMs go as one batch (the kernel runs the rest after a failure
        // too; they fail harmlessly); the unwind destroys only the session: no STOP_CONN or DESTROY_CONN.
        List<IscsiUeventType> types = Types(socket);
        Assert.Equal([IscsiUeventType.CreateSession, IscsiUeventType.CreateConn, IscsiUeventType.BindConn], types.Take(3));
        Assert.Equal(IscsiUeventType.DestroySessionAsync, types[^1]);
        Assert.DoesNotContain(IscsiUeventType.StopConn, types);
        Assert.DoesNotContain(IscsiUeventType.DestroyConn, types);
        Assert.DoesNotContain(IscsiUeventType.SendPdu, types);
    }

    [Fact]
    public async Task Refused_connection_destroys_the_session_and_surfaces_as_iscsi_exception()
    {
        FakeNetlinkSocket socket = FakeKernel(0, 0);
        using IscsiInitiator initiator = Initiator(socket);
        var closed = new IscsiPortal("127.0.0.1", Portal.Port);
        _portal.Stop();

        IscsiException e = await Assert.ThrowsAsync<IscsiException>(() => initiator.LoginAsync("iqn.t:1", closed, Options, Ct));

        Assert.IsType<SocketException>(e.InnerException);
        Assert.Equal([IscsiUeventType.CreateSession, IscsiUeventType.DestroySessionAsync], Types(socket));
    }

    [Fact]
    public async Task Cancellation_during_login_unwinds_and_throws_operation_cancelled()
    {
        var socket = new FakeNetlinkSocket();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        socket.OnSend = request =>
        {
            IscsiUeventType type = KernelMessages.RequestType(request);
            socket.Deliver(type switch
            {
                IscsiUeventType.CreateSession => KernelMessages.Reply(request, r0: Sid, r1: Host),
                IscsiUeventType.BindConn or IscsiUeventType.SendPdu => KernelMessages.Reply(request, r0: 0),
                _ => KernelMessages.Reply(request),
            }, 0);
            if (type == IscsiUeventType.SendPdu)
            {
                cts.Cancel(); // the target never answers; the caller gives up
            }
        };
        using IscsiInitiator initiator = Initiator(socket);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => initiator.LoginAsync("iqn.t:1", Portal, Options, cts.Token));

        Assert.Equal([IscsiUeventType.StopConn, IscsiUeventType.DestroyConn, IscsiUeventType.DestroySessionAsync], Types(socket).TakeLast(3));
    }

    [Fact]
    public async Task Logout_by_sid_of_a_session_without_sysfs_entries_only_destroys_the_session()
    {
        FakeNetlinkSocket socket = FakeKernel(0, 0);
        using IscsiInitiator initiator = Initiator(socket);

        Assert.False(await initiator.LogoutAsync(12, TimeSpan.FromSeconds(1), Ct));

        byte[] destroy = Assert.Single(socket.Sent);
        Assert.Equal(IscsiUeventType.DestroySession, KernelMessages.RequestType(destroy));
        Assert.Equal(12u, BinaryPrimitives.ReadUInt32LittleEndian(destroy.AsSpan(16 + 16)));
    }
}
