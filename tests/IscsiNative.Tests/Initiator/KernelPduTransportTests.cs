using IscsiNative.Initiator;
using IscsiNative.Netlink;
using IscsiNative.Tests.Netlink;

namespace IscsiNative.Tests.Initiator;

/// <summary>
/// <see cref="KernelPduTransport"/> over a fake kernel (<see cref="FakeNetlinkSocket"/>): the SEND_PDU refused with EPERM
/// while libiscsi still holds the previous login task (it passes the Login Response up before freeing the task).
/// </summary>
public sealed class KernelPduTransportTests
{
    private const uint Sid = 5;
    private const int Eperm = 1;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A kernel that answers SEND_PDU with EPERM for <paramref name="refusals"/> sends from send number <paramref name="from"/> on (1-based).</summary>
    private static (IscsiKernelTransport Kernel, FakeNetlinkSocket Socket, Func<int> Sends) Kernel(int refusals, int from = 2)
    {
        var socket = new FakeNetlinkSocket();
        int sends = 0;
        socket.OnSend = request =>
        {
            if (KernelMessages.RequestType(request) != IscsiUeventType.SendPdu)
            {
                socket.Deliver(KernelMessages.Reply(request), 0);
                return;
            }

            int n = Interlocked.Increment(ref sends);
            bool refuse = n >= from && n < from + refusals;
            socket.Deliver(KernelMessages.Reply(request, r0: refuse ? unchecked((uint)-Eperm) : 0), 0);
        };
        var kernel = new IscsiKernelTransport(socket, KernelMessages.Handle, new IscsiKernelTransportOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
        kernel.OpenPduQueue(Sid, 0);
        return (kernel, socket, () => Volatile.Read(ref sends));
    }

    private static byte[] LoginRequest() => new byte[48] { 0x43, 0x81, 0, 0, 0, 0, 0, 0, 0, 2, 0x3D, 0, 0, 5, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

    private static async Task ReceiveOneAsync(KernelPduTransport transport, FakeNetlinkSocket socket)
    {
        socket.Deliver(KernelMessages.RecvPdu(Sid, 0, 0x23, []), 1);
        await transport.ReceiveAsync(Ct);
    }

    /// <summary>A first request and its response, then a second request against a kernel refusing it <paramref name="refusals"/> times.</summary>
    /// <returns>What the second send threw (null: it went through), and the SEND_PDUs the kernel saw.</returns>
    private static async Task<(Exception? Error, int Sends)> SecondRequestAsync(int refusals)
    {
        (IscsiKernelTransport kernel, FakeNetlinkSocket socket, Func<int> sends) = Kernel(refusals);
        await using (kernel)
        {
            await using var transport = new KernelPduTransport(kernel, Sid, 0, TimeSpan.FromSeconds(10));
            await transport.SendAsync(LoginRequest(), Ct);
            await ReceiveOneAsync(transport, socket);
            Exception? error = await Record.ExceptionAsync(() => transport.SendAsync(LoginRequest(), Ct).AsTask());
            return (error, sends());
        }
    }

    [Fact]
    public async Task A_request_refused_with_EPERM_right_after_a_response_is_sent_again_and_goes_through()
    {
        (Exception? error, int sends) = await SecondRequestAsync(refusals: 3);

        Assert.Null(error);
        Assert.Equal(1 + 3 + 1, sends);
    }

    [Fact]
    public async Task A_connection_that_keeps_refusing_fails_with_the_kernels_EPERM_after_a_bounded_number_of_attempts()
    {
        (Exception? error, int sends) = await SecondRequestAsync(refusals: 1000);

        var e = Assert.IsType<UnauthorizedAccessException>(error);
        Assert.Equal(Eperm, Assert.IsType<IscsiKernelException>(e.InnerException).Errno);
        Assert.Equal(1 + KernelPduTransport.BusyRetries, sends);
    }

    [Fact]
    public async Task The_first_request_is_not_retried_since_no_login_task_can_be_pending()
    {
        (IscsiKernelTransport kernel, _, Func<int> sends) = Kernel(refusals: 1000, from: 1);
        await using (kernel)
        {
            await using var transport = new KernelPduTransport(kernel, Sid, 0, TimeSpan.FromSeconds(10));

            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => transport.SendAsync(LoginRequest(), Ct).AsTask());
            Assert.Equal(1, sends());
        }
    }
}
