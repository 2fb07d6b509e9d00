using System.Net;
using System.Net.Sockets;
using IscsiNative.Initiator;

namespace IscsiNative.Tests.Protocol;

/// <summary>
/// A scripted iSCSI "target" on loopback for error-path tests: accepts one connection, runs the script, then keeps
/// the connection open (silent) until disposed. Script exceptions are swallowed; the test asserts the initiator side.
/// </summary>
internal sealed class FakeHostileTarget : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _cts = new();
    private readonly Task _serve;

    public FakeHostileTarget(Func<FakeTargetConnection, CancellationToken, Task> script)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _serve = ServeAsync(script);
    }

    public int Port { get; }

    public IscsiPortal Portal => new("127.0.0.1", Port);

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        _listener.Stop();
        try
        {
            await _serve.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
        }

        _cts.Dispose();
    }

    private async Task ServeAsync(Func<FakeTargetConnection, CancellationToken, Task> script)
    {
        try
        {
            using TcpClient client = await _listener.AcceptTcpClientAsync(_cts.Token);
            using NetworkStream stream = client.GetStream();
            try
            {
                await script(new FakeTargetConnection(stream), _cts.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or EndOfStreamException)
            {
            }

            await Task.Delay(Timeout.Infinite, _cts.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
