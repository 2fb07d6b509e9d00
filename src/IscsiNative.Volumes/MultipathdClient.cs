using System.Net.Sockets;

namespace IscsiNative.Volumes;

/// <summary>
/// Talks to multipathd over its unix socket (libmpathcmd protocol, <see cref="MultipathdProtocol"/>): the path
/// socket <c>/run/multipathd.socket</c> (0.12+) first, then the abstract <c>@/org/kernel/linux/storage/multipathd</c>.
/// One connection per command; every command is bounded by a timeout and the token.
/// </summary>
internal sealed class MultipathdClient
{
    /// <summary>The path socket of multipath-tools 0.12 and later.</summary>
    internal const string PathSocket = "/run/multipathd.socket";

    /// <summary>The abstract socket of every version (leading NUL, no trailing NUL).</summary>
    internal const string AbstractSocket = "\0/org/kernel/linux/storage/multipathd";

    private static readonly string[] SocketNames = [PathSocket, AbstractSocket];
    private readonly TimeSpan _timeout;

    internal MultipathdClient(TimeSpan timeout)
    {
        _timeout = timeout;
    }

    /// <summary>True when multipathd answers <c>show daemon</c>.</summary>
    internal async Task<bool> IsRunningAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync("show daemon", cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (IscsiException)
        {
            return false;
        }
    }

    /// <summary>Runs one command and returns the reply text (a <c>fail</c> reply is returned, not thrown).</summary>
    /// <exception cref="IscsiException">multipathd is not reachable, or the exchange failed or timed out.</exception>
    internal async Task<string> ExecuteAsync(string command, CancellationToken cancellationToken)
    {
        byte[] request = MultipathdProtocol.EncodeRequest(command);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        using Socket socket = await ConnectAsync(deadline.Token).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(request, SocketFlags.None, deadline.Token).ConfigureAwait(false);
            byte[] prefix = new byte[sizeof(ulong)];
            await ReceiveExactlyAsync(socket, prefix, deadline.Token).ConfigureAwait(false);
            byte[] body = new byte[MultipathdProtocol.DecodeReplyLength(prefix)];
            await ReceiveExactlyAsync(socket, body, deadline.Token).ConfigureAwait(false);
            return MultipathdProtocol.DecodeReply(body);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IscsiException($"multipathd did not answer '{command}' within {_timeout.TotalSeconds:0.#} s.", e);
        }
        catch (SocketException e)
        {
            throw new IscsiException($"multipathd: '{command}' failed: {e.Message}", e);
        }
    }

    /// <summary>Runs a command that must answer <c>ok</c>.</summary>
    /// <exception cref="IscsiVolumeException">multipathd answered <c>fail</c> (<see cref="VolumeError.MultipathFailed"/>).</exception>
    internal async Task ExecuteOkAsync(string command, CancellationToken cancellationToken)
    {
        string reply = await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        if (MultipathdProtocol.IsFailure(reply, out string reason))
        {
            throw new IscsiVolumeException(VolumeError.MultipathFailed, $"multipathd refused '{command}': {(reason.Length == 0 ? "fail" : reason)}.");
        }
    }

    /// <summary>The paths multipathd knows.</summary>
    internal async Task<List<MultipathdPath>> GetPathsAsync(CancellationToken cancellationToken) =>
        MultipathdProtocol.ParsePaths(await ExecuteAsync("show paths raw format %d|%w|%t|%T", cancellationToken).ConfigureAwait(false));

    private static async Task ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new IscsiException("multipathd closed the connection mid-reply.");
            }

            buffer = buffer[n..];
        }
    }

    private static async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        SocketException? last = null;
        foreach (string name in SocketNames)
        {
            if (name == PathSocket && !File.Exists(PathSocket))
            {
                continue;
            }

            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(name), cancellationToken).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }

        throw new IscsiException("multipathd is not running (no answer on /run/multipathd.socket or @/org/kernel/linux/storage/multipathd).", last);
    }
}
