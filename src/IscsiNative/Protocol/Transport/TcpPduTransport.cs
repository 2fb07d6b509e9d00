using System.Net;
using System.Net.Sockets;

namespace IscsiNative.Protocol;

/// <summary>
/// <see cref="IIscsiPduTransport"/> over a managed TCP socket. Every receive is bounded by
/// <see cref="ReceiveTimeout"/> and by <see cref="MaxReceiveDataSegmentLength"/>; digests are added and checked once
/// enabled after login.
/// </summary>
internal sealed class TcpPduTransport : IIscsiPduTransport
{
    /// <summary>Data segments up to this size are always accepted during login (RFC 7143 default 8192).</summary>
    public const int LoginDataSegmentLength = 8192;

    private readonly Socket _socket;
    private byte[] _receiveBuffer;
    private byte[] _sendBuffer = [];
    private int _maxReceiveDataSegmentLength = LoginDataSegmentLength;

    private TcpPduTransport(Socket socket)
    {
        _socket = socket;
        _receiveBuffer = new byte[Bhs.Size + 1024 + Bhs.DigestSize + LoginDataSegmentLength + Bhs.DigestSize];
    }

    /// <summary>Longest wait for one PDU.</summary>
    public TimeSpan ReceiveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether header digests are sent and checked.</summary>
    public bool HeaderDigest { get; set; }

    /// <summary>Whether data digests are sent and checked.</summary>
    public bool DataDigest { get; set; }

    /// <summary>Largest data segment accepted from the peer; larger ones end the receive with <see cref="IscsiProtocolException"/>.</summary>
    public int MaxReceiveDataSegmentLength
    {
        get => _maxReceiveDataSegmentLength;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 512);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, Bhs.MaxDataSegmentLength);
            _maxReceiveDataSegmentLength = Math.Max(value, LoginDataSegmentLength);
        }
    }

    public EndPoint? RemoteEndPoint => _socket.RemoteEndPoint;

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/> within <paramref name="timeout"/>.</summary>
    /// <exception cref="IscsiException">Connection refused or unreachable.</exception>
    /// <exception cref="IscsiTimeoutException">No connection within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<TcpPduTransport> ConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        Socket? socket = null;
        try
        {
            if (IPAddress.TryParse(host, out IPAddress? address))
            {
                socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(address, port), cts.Token).ConfigureAwait(false);
            }
            else
            {
                socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(host, port, cts.Token).ConfigureAwait(false);
            }

            var transport = new TcpPduTransport(socket);
            socket = null;
            return transport;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw ThrowHelper.Timeout("connect", timeout, $"connecting to {host}:{port}");
        }
        catch (SocketException e)
        {
            throw new IscsiException($"Cannot connect to {host}:{port}: {e.SocketErrorCode}", e);
        }
        finally
        {
            socket?.Dispose();
        }
    }

    /// <inheritdoc/>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> bhsAndData, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> wire = bhsAndData;
        if (HeaderDigest || DataDigest)
        {
            var header = new PduHeader(bhsAndData.Span);
            int dataLength = header.DataSegmentLength;
            int length = PduFraming.GetWireLength(0, dataLength, HeaderDigest, DataDigest);
            if (_sendBuffer.Length < length)
            {
                _sendBuffer = new byte[length];
            }

            PduFraming.Write(_sendBuffer, bhsAndData.Span[..Bhs.Size], bhsAndData.Span.Slice(Bhs.Size, dataLength), HeaderDigest, DataDigest);
            wire = _sendBuffer.AsMemory(0, length);
        }

        try
        {
            while (!wire.IsEmpty)
            {
                int sent = await _socket.SendAsync(wire, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                wire = wire[sent..];
            }
        }
        catch (SocketException e)
        {
            throw new IscsiException($"Sending a PDU failed: {e.SocketErrorCode}", e);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<PduBuffer> ReceiveAsync(CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(ReceiveTimeout);
        try
        {
            await ReadExactlyAsync(0, Bhs.Size, cts.Token).ConfigureAwait(false);
            PduHeaderInfo(out int ahs, out int dataLength);
            PduFraming.CheckDataSegmentLength(dataLength, _maxReceiveDataSegmentLength);
            int needed = PduFraming.GetWireLength(ahs, dataLength, HeaderDigest, DataDigest);
            if (_receiveBuffer.Length < needed)
            {
                byte[] bigger = new byte[needed];
                _receiveBuffer.AsSpan(0, Bhs.Size).CopyTo(bigger);
                _receiveBuffer = bigger;
            }

            await ReadExactlyAsync(Bhs.Size, needed - Bhs.Size, cts.Token).ConfigureAwait(false);
            PduFraming.TryRead(_receiveBuffer.AsSpan(0, needed), HeaderDigest, DataDigest, _maxReceiveDataSegmentLength, out _, out ReadOnlySpan<byte> data, out _);
            int dataOffset = Bhs.Size + ahs + (HeaderDigest ? Bhs.DigestSize : 0);
            return new PduBuffer(_receiveBuffer.AsMemory(0, Bhs.Size), _receiveBuffer.AsMemory(dataOffset, data.Length));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw ThrowHelper.Timeout("receive PDU", ReceiveTimeout, "no PDU from the target");
        }
        catch (SocketException e)
        {
            throw new IscsiException($"Receiving a PDU failed: {e.SocketErrorCode}", e);
        }
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private void PduHeaderInfo(out int ahs, out int dataLength)
    {
        var header = new PduHeader(_receiveBuffer.AsSpan(0, Bhs.Size));
        ahs = header.TotalAhsLength;
        dataLength = header.DataSegmentLength;
    }

    private async ValueTask ReadExactlyAsync(int offset, int count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            int n = await _socket.ReceiveAsync(_receiveBuffer.AsMemory(offset, count), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new IscsiException("The target closed the connection");
            }

            offset += n;
            count -= n;
        }
    }
}
