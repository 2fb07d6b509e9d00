namespace IscsiNative.Protocol;

/// <summary>What the initiator offers for HeaderDigest/DataDigest; numbered as open-iscsi's node settings.</summary>
public enum DigestPreference
{
    /// <summary>Offer <c>None</c> only.</summary>
    None = 0,

    /// <summary>Offer <c>CRC32C</c> only; login fails if the target does not agree.</summary>
    Crc32C = 1,

    /// <summary>Offer <c>CRC32C,None</c>.</summary>
    Crc32CThenNone = 2,

    /// <summary>Offer <c>None,CRC32C</c>.</summary>
    NoneThenCrc32C = 3,
}
