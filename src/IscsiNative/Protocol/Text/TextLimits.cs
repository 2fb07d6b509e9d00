namespace IscsiNative.Protocol;

/// <summary>Bounds on text key=value data received from a peer, so a hostile peer cannot make buffers grow without end.</summary>
internal readonly record struct TextLimits(int MaxKeyLength, int MaxValueLength, int MaxTotalLength, int MaxPduCount)
{
    /// <summary>RFC 7143 §6.1: keys up to 63 bytes, values up to 8192 (255 for most), 64 KiB of text over at most 128 PDUs.</summary>
    public static TextLimits Default { get; } = new(63, 8192, 64 * 1024, 128);
}
