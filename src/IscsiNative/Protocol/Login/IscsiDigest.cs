namespace IscsiNative.Protocol;

/// <summary>
/// A HeaderDigest or DataDigest setting: what the initiator offers (<c>LoginOptions.HeaderDigest</c> / <c>DataDigest</c>,
/// any value, numbered as open-iscsi's node settings) and what a login negotiated
/// (<see cref="NegotiatedParameters.HeaderDigest"/> / <see cref="NegotiatedParameters.DataDigest"/>: <see cref="None"/>
/// or <see cref="Crc32C"/> only).
/// </summary>
public enum IscsiDigest
{
    /// <summary>No digest: offer <c>None</c> only, or no digest was negotiated.</summary>
    None = 0,

    /// <summary>CRC32C (Castagnoli): offer <c>CRC32C</c> only (the login fails if the target does not agree), or CRC32C was negotiated.</summary>
    Crc32C = 1,

    /// <summary>Offer <c>CRC32C,None</c> (prefer the digest).</summary>
    Crc32CThenNone = 2,

    /// <summary>Offer <c>None,CRC32C</c> (prefer no digest).</summary>
    NoneThenCrc32C = 3,
}
