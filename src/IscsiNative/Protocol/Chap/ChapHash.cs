using System.Security.Cryptography;

namespace IscsiNative.Protocol;

/// <summary>CHAP response computation: H(identifier ‖ secret ‖ challenge) (RFC 1994 §4.1, RFC 7143 §12.1.3).</summary>
internal static class ChapHash
{
    /// <summary>Largest digest among the supported algorithms.</summary>
    public const int MaxDigestLength = 32;

    public static int GetDigestLength(ChapAlgorithm algorithm) => algorithm switch
    {
        ChapAlgorithm.Md5 => 16,
        ChapAlgorithm.Sha1 => 20,
        ChapAlgorithm.Sha256 => 32,
        ChapAlgorithm.Sha3_256 => 32,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Whether this process can compute <paramref name="algorithm"/> (MD5 may be refused under FIPS, SHA3 needs OS support).</summary>
    public static bool IsSupported(ChapAlgorithm algorithm)
    {
        try
        {
            return algorithm switch
            {
                ChapAlgorithm.Md5 => Probe(HashAlgorithmName.MD5),
                ChapAlgorithm.Sha1 => Probe(HashAlgorithmName.SHA1),
                ChapAlgorithm.Sha256 => true,
                ChapAlgorithm.Sha3_256 => SHA3_256.IsSupported,
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false;
        }
        catch (PlatformNotSupportedException)
        {
            return false;
        }
    }

    /// <summary>Computes the response into <paramref name="destination"/> (at least the digest length).</summary>
    public static void Compute(ChapAlgorithm algorithm, byte identifier, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> challenge, Span<byte> destination)
    {
        using IncrementalHash hash = IncrementalHash.CreateHash(GetName(algorithm));
        ReadOnlySpan<byte> id = [identifier];
        hash.AppendData(id);
        hash.AppendData(secret);
        hash.AppendData(challenge);
        if (!hash.TryGetHashAndReset(destination, out _))
        {
            throw new ArgumentException("Destination too small for the digest.", nameof(destination));
        }
    }

    private static HashAlgorithmName GetName(ChapAlgorithm algorithm) => algorithm switch
    {
        ChapAlgorithm.Md5 => HashAlgorithmName.MD5,
        ChapAlgorithm.Sha1 => HashAlgorithmName.SHA1,
        ChapAlgorithm.Sha256 => HashAlgorithmName.SHA256,
        ChapAlgorithm.Sha3_256 => HashAlgorithmName.SHA3_256,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    private static bool Probe(HashAlgorithmName name)
    {
        using IncrementalHash h = IncrementalHash.CreateHash(name);
        return true;
    }
}
