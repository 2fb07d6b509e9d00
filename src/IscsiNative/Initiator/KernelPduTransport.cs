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
    /// <summary>SEND_PDU attempts while the kernel still holds the previous login task (see <see cref="SendAsync"/>).</summary>
    internal const int BusyRetries = 25;

    private static readonly TimeSpan BusyRetryDelay = TimeSpan.FromMilliseconds(2);
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

        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await _kernel.SendPduAsync(_sid, _cid, bhsAndData.Span[..Bhs.Size], bhsAndData.Span.Slice(Bhs.Size, dataLength), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (UnauthorizedAccessException e) when (_receivedLength > 0 && attempt < BusyRetries && e.InnerException is IscsiKernelException { Errno: Errno.EPERM })
            {
                // libiscsi passes a Login or Text Response up (RECV_PDU) before it frees the connection's one login task
                // (__iscsi_complete_pdu: iscsi_recv_pdu, then iscsi_complete_task). A next request sent in between is
                // refused with EPERM ("Login/Text in progress. Cannot start new task."; seen in the VM on a CHAP login,
                // 1 in ~60). Only after a response, and briefly: a connection that is really gone keeps refusing.
                await Task.Delay(BusyRetryDelay, cancellationToken).ConfigureAwait(false);
            }
        }
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
