using System.Buffers.Text;
using System.Text;

namespace IscsiNative.Protocol;

/// <summary>Writes <c>key=value\0</c> pairs into a span without allocating.</summary>
internal ref struct TextKeyValueWriter
{
    private readonly Span<byte> _destination;
    private int _written;

    public TextKeyValueWriter(Span<byte> destination)
    {
        _destination = destination;
        _written = 0;
    }

    public readonly int BytesWritten => _written;

    public readonly ReadOnlySpan<byte> Written => _destination[.._written];

    /// <exception cref="InvalidOperationException">Out of space.</exception>
    public void Write(scoped ReadOnlySpan<byte> key, scoped ReadOnlySpan<byte> value)
    {
        Span<byte> d = Reserve(key.Length + 1 + value.Length + 1);
        key.CopyTo(d);
        d[key.Length] = (byte)'=';
        value.CopyTo(d[(key.Length + 1)..]);
        d[^1] = 0;
    }

    /// <exception cref="InvalidOperationException">Out of space.</exception>
    public void Write(scoped ReadOnlySpan<byte> key, long value)
    {
        Span<byte> number = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, number, out int n);
        Write(key, number[..n]);
    }

    /// <summary>Writes <c>Yes</c> or <c>No</c>.</summary>
    /// <exception cref="InvalidOperationException">Out of space.</exception>
    public void Write(scoped ReadOnlySpan<byte> key, bool value) => Write(key, value ? "Yes"u8 : "No"u8);

    /// <summary>Writes a UTF-8 encoded string value.</summary>
    /// <exception cref="InvalidOperationException">Out of space.</exception>
    public void Write(scoped ReadOnlySpan<byte> key, string value)
    {
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max <= 512)
        {
            Span<byte> tmp = stackalloc byte[max];
            int n = Encoding.UTF8.GetBytes(value, tmp);
            Write(key, tmp[..n]);
        }
        else
        {
            Write(key, Encoding.UTF8.GetBytes(value));
        }
    }

    /// <summary>Reserves room for a pair whose value the caller writes itself; returns the value span.</summary>
    /// <exception cref="InvalidOperationException">Out of space.</exception>
    public Span<byte> WriteKeyAndReserveValue(scoped ReadOnlySpan<byte> key, int valueLength)
    {
        Span<byte> d = Reserve(key.Length + 1 + valueLength + 1);
        key.CopyTo(d);
        d[key.Length] = (byte)'=';
        d[^1] = 0;
        return d.Slice(key.Length + 1, valueLength);
    }

    private Span<byte> Reserve(int length)
    {
        if (_destination.Length - _written < length)
        {
            throw new InvalidOperationException("Text data does not fit into the PDU buffer.");
        }

        Span<byte> d = _destination.Slice(_written, length);
        _written += length;
        return d;
    }
}
