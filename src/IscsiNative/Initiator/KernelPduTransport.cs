using System.Security.Cryptography;
using IscsiNative.Netlink;
using IscsiNative.Protocol;

namespace IscsiNative.Initiator;

/// <summary>
/// The kernel's PDU path for one bound connection: requests go out with ISCSI_UEVENT_SEND_PDU, responses come back
/// as ISCSI_KEVENT_RECV_PDU. The kernel rewrites ITT and CmdSN, so logins over it must not verify the ITT
/// (<see cref="LoginSettings.VerifyTaskTag"/> false). Digests are the kernel's business; none are added or stripped here.
/// </summary>
internal sealed class KernelPduTransport : IIscsiPduTransport
{
    private readonly IscsiKernelTransport _kernel;
    private readonly uint _sid;
    private readonly uint _cid;
    private byte[] _received = [];
    private int _receivedLength;

    /// <summary>Wraps (<paramref name="sid"/>, <paramref name="cid"/>) of <paramref name="kernel"/>; the connection must have been created (its PDU queue is open).</summary>
    public KernelPduTransport(IscsiKernelTransport kernel, uint sid, uint cid, TimeSpan receiveTimeout)
    {
        _kernel = kernel;
        _sid = sid;
        _cid = cid;
        ReceiveTimeout = receiveTimeout;
    }

    /// <summary>How long one receive waits for the kernel to pass a PDU up.</summary>
    public TimeSpan ReceiveTimeout { get; set; }

    /// <summary>Sends the BHS and the unpadded data segment (DataSegmentLength from the BHS) with SEND_PDU.</summary>
    /// <exception cref="IscsiProtocolException">The buffer is shorter than its BHS says.</exception>
    /// <exception cref="IscsiKernelException">The kernel refused the PDU.</exception>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> bhsAndData, CancellationToken cancellationToken)
    {
        if (bhsAndData.Length < Bhs.Size)
        {
            ThrowHelper.ThrowProtocol("A PDU needs a 48-byte BHS");
        }

        ReadOnlySpan<byte> span = bhsAndData.Span;
        int dataLength = (span[5] << 16) | (span[6] << 8) | span[7];
        if (Bhs.Size + dataLength > bhsAndData.Length)
        {
            ThrowHelper.ThrowProtocol("The PDU buffer is shorter than its DataSegmentLength");
        }

        await _kernel.SendPduAsync(_sid, _cid, span[..Bhs.Size], span.Slice(Bhs.Size, dataLength), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for the next PDU of this connection. The result stays valid until the next receive or dispose.</summary>
    /// <exception cref="IscsiKernelException">ETIMEDOUT, or the kernel reported a connection error.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public async ValueTask<PduBuffer> ReceiveAsync(CancellationToken cancellationToken)
    {
        using IscsiReceivedPdu pdu = await _kernel.ReceivePduAsync(_sid, _cid, ReceiveTimeout, cancellationToken).ConfigureAwait(false);
        int length = Bhs.Size + pdu.Data.Length;
        if (_received.Length < length)
        {
            Clear();
            _received = new byte[Math.Max(length, Bhs.Size + 8192)];
        }
        else
        {
            CryptographicOperations.ZeroMemory(_received.AsSpan(0, _receivedLength));
        }

        pdu.Header.CopyTo(_received);
        pdu.Data.CopyTo(_received.AsSpan(Bhs.Size));
        _receivedLength = length;
        return new PduBuffer(_received.AsMemory(0, Bhs.Size), _received.AsMemory(Bhs.Size, pdu.Data.Length));
    }

    /// <summary>Clears the last received PDU (it may hold CHAP values). The connection itself stays.</summary>
    public ValueTask DisposeAsync()
    {
        Clear();
        return ValueTask.CompletedTask;
    }

    private void Clear()
    {
        CryptographicOperations.ZeroMemory(_received.AsSpan(0, _receivedLength));
        _receivedLength = 0;
    }
}
