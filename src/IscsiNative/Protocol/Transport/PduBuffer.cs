namespace IscsiNative.Protocol;

/// <summary>A received PDU: its 48-byte BHS and unpadded data segment (digests already checked and stripped).
/// Valid until the next receive on the same transport.</summary>
internal readonly struct PduBuffer
{
    public PduBuffer(ReadOnlyMemory<byte> header, ReadOnlyMemory<byte> data)
    {
        Header = header;
        Data = data;
    }

    public ReadOnlyMemory<byte> Header { get; }

    public ReadOnlyMemory<byte> Data { get; }
}
