using System.Buffers.Binary;
using System.Net.Sockets;

namespace IscsiNative.Tests.Iscsid;

/// <summary>
/// A stand-in for iscsid on a private abstract unix socket: accepts one connection, reads a request of exactly
/// iscsiadm_req_t's size (16104 bytes), records it, then behaves as told (reply, close, short reply, silence).
/// </summary>
internal sealed class FakeIscsid : IDisposable
{
    internal const int RequestSize = 16104;
    internal const int ResponseSize = 2464;

    private readonly Socket _listener;
    private readonly Task _serve;
    private readonly CancellationTokenSource _stop = new();

    private FakeIscsid(Func<byte[]?> reply, bool holdOpen)
    {
        AbstractName = "IscsiNative.Tests.FakeIscsid-" + Guid.NewGuid().ToString("N");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint("\0" + AbstractName));
        _listener.Listen(1);
        _serve = Task.Run(() => ServeOne(reply, holdOpen));
    }

    /// <summary>The abstract name to hand to the client.</summary>
    internal string AbstractName { get; }

    /// <summary>The first <see cref="RequestSize"/> bytes the client sent.</summary>
    internal byte[] Request { get; } = new byte[RequestSize];

    /// <summary>True once a client connected.</summary>
    internal bool Accepted { get; private set; }

    /// <summary>All bytes the client sent before it closed (or before the fake gave up).</summary>
    internal int TotalBytesReceived { get; private set; }

    /// <summary>Answers with a whole iscsiadm_rsp_t holding these fields.</summary>
    internal static FakeIscsid Replying(int command, int err, int sessionState, int connState) =>
        new(() => Response(command, err, sessionState, connState), holdOpen: false);

    /// <summary>Answers a MGMT_IPC_SESSION_LOGOUT (command 2) with this ISCSI_ERR code, the rest zero.</summary>
    internal static FakeIscsid ReplyingToLogout(int err) => Replying(command: 2, err, sessionState: 0, connState: 0);

    /// <summary>Answers with only the first <paramref name="length"/> bytes of a valid reply, then closes.</summary>
    internal static FakeIscsid ReplyingShort(int length) =>
        new(() => Response(13, 0, 0, 3).AsSpan(0, length).ToArray(), holdOpen: false);

    /// <summary>Answers with exactly these bytes, then closes.</summary>
    internal static FakeIscsid ReplyingWith(byte[] reply) => new(() => reply, holdOpen: false);

    /// <summary>Reads the request and closes without answering.</summary>
    internal static FakeIscsid ClosingEarly() => new(() => null, holdOpen: false);

    /// <summary>Reads the request and never answers (until disposed).</summary>
    internal static FakeIscsid Silent() => new(() => null, holdOpen: true);

    /// <summary>Builds an iscsiadm_rsp_t: command@0, err@4, session_state@8, conn_state@12, rest zero.</summary>
    internal static byte[] Response(int command, int err, int sessionState, int connState)
    {
        byte[] rsp = new byte[ResponseSize];
        BinaryPrimitives.WriteInt32LittleEndian(rsp.AsSpan(0), command);
        BinaryPrimitives.WriteInt32LittleEndian(rsp.AsSpan(4), err);
        BinaryPrimitives.WriteInt32LittleEndian(rsp.AsSpan(8), sessionState);
        BinaryPrimitives.WriteInt32LittleEndian(rsp.AsSpan(12), connState);
        return rsp;
    }

    /// <summary>Waits (bounded) until the fake has served its one connection.</summary>
    internal void WaitServed() => Assert.True(_serve.Wait(TimeSpan.FromSeconds(10)), "the fake iscsid did not finish");

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _serve.Wait(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    private async Task ServeOne(Func<byte[]?> reply, bool holdOpen)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            using Socket peer = await _listener.AcceptAsync(timeout.Token);
            Accepted = true;
            int got = 0;
            while (got < RequestSize)
            {
                int n = await peer.ReceiveAsync(Request.AsMemory(got), SocketFlags.None, timeout.Token);
                if (n == 0)
                {
                    break;
                }

                got += n;
            }

            TotalBytesReceived = got;
            if (holdOpen)
            {
                await Task.Delay(Timeout.Infinite, timeout.Token);
                return;
            }

            byte[]? rsp = reply();
            if (rsp is not null)
            {
                await peer.SendAsync(rsp, SocketFlags.None, timeout.Token);
            }

            // Count anything the client sends after the request, until it closes: iscsid would misread it.
            peer.Shutdown(SocketShutdown.Send);
            byte[] rest = new byte[4096];
            int m;
            while ((m = await peer.ReceiveAsync(rest, SocketFlags.None, timeout.Token)) > 0)
            {
                TotalBytesReceived += m;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
