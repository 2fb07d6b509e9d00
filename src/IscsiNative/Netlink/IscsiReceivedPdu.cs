using System.Buffers;

namespace IscsiNative.Netlink;

/// <summary>
/// A PDU the kernel passed up with ISCSI_KEVENT_RECV_PDU (login, text, logout responses, async messages, NOP-Ins
/// answering userspace NOP-Outs): the 48-byte BHS and the data segment, in a pooled buffer. Dispose it to clear
/// the buffer (login data can hold CHAP values) and return it to the pool.
/// </summary>
internal sealed class IscsiReceivedPdu : IDisposable
{
    private const int BhsSize = 48;
    private byte[]? _buffer;
    private readonly int _dataLength;

    internal IscsiReceivedPdu(uint sid, uint cid, ReadOnlySpan<byte> bhs, ReadOnlySpan<byte> data)
    {
        Sid = sid;
        Cid = cid;
        _dataLength = data.Length;
        _buffer = ArrayPool<byte>.Shared.Rent(BhsSize + data.Length);
        bhs.CopyTo(_buffer);
        data.CopyTo(_buffer.AsSpan(BhsSize));
    }

    /// <summary>The session the PDU arrived on.</summary>
    public uint Sid { get; }

    /// <summary>The connection the PDU arrived on.</summary>
    public uint Cid { get; }

    /// <summary>The 48-byte Basic Header Segment.</summary>
    /// <exception cref="ObjectDisposedException">The PDU was disposed.</exception>
    public ReadOnlySpan<byte> Header => Buffer.AsSpan(0, BhsSize);

    /// <summary>The data segment (DataSegmentLength bytes, no padding, no digest).</summary>
    /// <exception cref="ObjectDisposedException">The PDU was disposed.</exception>
    public ReadOnlySpan<byte> Data => Buffer.AsSpan(BhsSize, _dataLength);

    /// <summary>The iSCSI opcode (BHS byte 0, low 6 bits), e.g. 0x23 for a Login Response.</summary>
    /// <exception cref="ObjectDisposedException">The PDU was disposed.</exception>
    public byte Opcode => (byte)(Buffer[0] & 0x3F);

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(IscsiReceivedPdu));

    /// <summary>Clears the buffer and returns it to the pool.</summary>
    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            buffer.AsSpan(0, BhsSize + _dataLength).Clear();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
