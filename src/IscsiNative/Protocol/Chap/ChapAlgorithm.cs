namespace IscsiNative.Protocol;

/// <summary>CHAP digest algorithms, numbered as in the CHAP_A key (RFC 7143 §12.1.3, RFC 9569 for SHA-2/SHA-3).</summary>
public enum ChapAlgorithm
{
    /// <summary>MD5 (5): the only algorithm in RFC 7143 and open-iscsi's default.</summary>
    Md5 = 5,

    /// <summary>SHA-1 (6).</summary>
    Sha1 = 6,

    /// <summary>SHA-256 (7).</summary>
    Sha256 = 7,

    /// <summary>SHA3-256 (8); usable only where <see cref="System.Security.Cryptography.SHA3_256.IsSupported"/>.</summary>
    Sha3_256 = 8,
}
