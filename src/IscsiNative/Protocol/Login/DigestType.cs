namespace IscsiNative.Protocol;

/// <summary>A negotiated header or data digest.</summary>
public enum DigestType
{
    /// <summary>No digest.</summary>
    None = 0,

    /// <summary>CRC32C (Castagnoli).</summary>
    Crc32C = 1,
}
