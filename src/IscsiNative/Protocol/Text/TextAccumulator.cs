using System.Buffers;

namespace IscsiNative.Protocol;

/// <summary>
/// Collects the text data of a sequence of PDUs joined by the C (continue) bit or F=0, with a hard cap on total bytes
/// and PDU count (<see cref="TextLimits"/>). Buffers come from <see cref="ArrayPool{T}"/> and are cleared on return.
/// </summary>
internal sealed class TextAccumulator : IDisposable
{
    private readonly TextLimits _limits;
    private byte[] _buffer;
    private int _length;
    private int _pdus;

    public TextAccumulator(TextLimits limits)
    {
        _limits = limits;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(4096, Math.Max(16, limits.MaxTotalLength)));
    }

    public ReadOnlySpan<byte> Text => _buffer.AsSpan(0, _length);

    public int PduCount => _pdus;

    /// <summary>Appends one PDU's data segment.</summary>
    /// <exception cref="IscsiProtocolException">The total or the PDU count exceeds the limits.</exception>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (++_pdus > _limits.MaxPduCount)
        {
            ThrowHelper.ThrowProtocol($"Peer continued its text over more than {_limits.MaxPduCount} PDUs");
        }

        if (data.Length > _limits.MaxTotalLength - _length)
        {
            ThrowHelper.ThrowProtocol($"Peer sent more than {_limits.MaxTotalLength} bytes of text");
        }

        if (_buffer.Length - _length < data.Length)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_limits.MaxTotalLength, Math.Max(_buffer.Length * 2, _length + data.Length)));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer, clearArray: true);
            _buffer = bigger;
        }

        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    /// <summary>Forgets the collected text (the buffer is kept).</summary>
    public void Reset()
    {
        _buffer.AsSpan(0, _length).Clear();
        _length = 0;
        _pdus = 0;
    }

    public void Dispose()
    {
        byte[] b = _buffer;
        _buffer = [];
        _length = 0;
        if (b.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(b, clearArray: true);
        }
    }
}
