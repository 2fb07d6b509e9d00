namespace IscsiNative.Protocol;

/// <summary>
/// Moves whole PDUs between the initiator logic and a peer: a managed TCP socket (<see cref="TcpPduTransport"/>) or,
/// later, the kernel's SEND_PDU/RECV_PDU netlink path (which rewrites ITT and CmdSN itself).
/// </summary>
internal interface IIscsiPduTransport : IAsyncDisposable
{
    /// <summary>Sends one PDU given as BHS followed by its data segment padded to 4 bytes, without digests.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> bhsAndData, CancellationToken cancellationToken);

    /// <summary>Receives the next PDU.</summary>
    ValueTask<PduBuffer> ReceiveAsync(CancellationToken cancellationToken);
}
