namespace IscsiNative.Protocol;

/// <summary>
/// Reads <c>key=value\0</c> pairs from complete text data (RFC 7143 §6.1) without allocating. Extra NUL bytes between
/// pairs are skipped; a final pair may lack its NUL only at the very end of the data.
/// </summary>
internal ref struct TextKeyValueReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly TextLimits _limits;
    private int _position;

    public TextKeyValueReader(ReadOnlySpan<byte> data, TextLimits limits)
    {
        _data = data;
        _limits = limits;
        _position = 0;
    }

    /// <summary>Reads the next pair; <see langword="false"/> at the end of the data.</summary>
    /// <exception cref="IscsiProtocolException">A pair without <c>=</c>, a bad or too long key, or a too long value.</exception>
    public bool TryRead(out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        while (_position < _data.Length && _data[_position] == 0)
        {
            _position++;
        }

        if (_position >= _data.Length)
        {
            key = default;
            value = default;
            return false;
        }

        ReadOnlySpan<byte> rest = _data[_position..];
        int end = rest.IndexOf((byte)0);
        ReadOnlySpan<byte> pair = end < 0 ? rest : rest[..end];
        _position += end < 0 ? rest.Length : end + 1;

        int eq = pair.IndexOf((byte)'=');
        if (eq <= 0)
        {
            ThrowHelper.ThrowProtocol(eq == 0 ? "Text pair with an empty key" : "Text pair without '='");
        }

        key = pair[..eq];
        value = pair[(eq + 1)..];
        if (key.Length > _limits.MaxKeyLength)
        {
            ThrowHelper.ThrowProtocol($"Text key longer than {_limits.MaxKeyLength} bytes");
        }

        if (!IsValidKey(key))
        {
            ThrowHelper.ThrowProtocol("Text key with characters outside RFC 7143 §6.1");
        }

        if (value.Length > _limits.MaxValueLength)
        {
            ThrowHelper.ThrowProtocol($"Text value longer than {_limits.MaxValueLength} bytes");
        }

        return true;
    }

    private static bool IsValidKey(ReadOnlySpan<byte> key)
    {
        foreach (byte c in key)
        {
            bool ok = c is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
                or (byte)'.' or (byte)'-' or (byte)'+' or (byte)'@' or (byte)'_';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
