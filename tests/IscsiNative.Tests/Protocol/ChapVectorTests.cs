using IscsiNative.Protocol;

namespace IscsiNative.Tests.Protocol;

/// <summary>
/// The CHAP response, R = H(identifier || secret || challenge) (RFC 1994 §4.1, RFC 7143 §12.1.3), checked against the
/// published test vectors of each hash's own standard. The identifier is one byte, so each vector message is split
/// into identifier (its first byte), secret and challenge: the CHAP computation must hash exactly their concatenation.
/// </summary>
public sealed class ChapVectorTests
{
    public static TheoryData<ChapAlgorithm, string, string> Vectors => new()
    {
        // RFC 1321 appendix A.5 (MD5 test suite).
        { ChapAlgorithm.Md5, "a", "0cc175b9c0f1b6a831c399e269772661" },
        { ChapAlgorithm.Md5, "abc", "900150983cd24fb0d6963f7d28e17f72" },
        { ChapAlgorithm.Md5, "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
        { ChapAlgorithm.Md5, "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
        { ChapAlgorithm.Md5, "12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a" },

        // FIPS 180-2 appendices A and B (SHA-1 "abc" and the 448-bit message) and the same for SHA-256.
        { ChapAlgorithm.Sha1, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
        { ChapAlgorithm.Sha1, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
        { ChapAlgorithm.Sha256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
        { ChapAlgorithm.Sha256, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },

        // FIPS 202 examples (SHA3-256 of "abc" and of the 448-bit message).
        { ChapAlgorithm.Sha3_256, "abc", "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532" },
        { ChapAlgorithm.Sha3_256, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "41c0dba2a9d6240849100376a8235e2c82e1b9998a999e21db32dd97496d3376" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Response_of_a_published_vector_split_into_identifier_secret_and_challenge(ChapAlgorithm algorithm, string message, string expectedHex)
    {
        AssertSupported(algorithm);
        byte[] m = System.Text.Encoding.ASCII.GetBytes(message);

        // Every split point of the rest into secret and challenge gives the same digest.
        for (int split = 1; split <= m.Length; split++)
        {
            Assert.Equal(expectedHex, Response(algorithm, m[0], m.AsSpan(1, split - 1), m.AsSpan(split)));
        }
    }

    /// <summary>
    /// A worked CHAP exchange: CHAP_I=42 (0x2a), secret <c>secret-of-12+</c>, CHAP_C=0x000102030405060708090a0b0c0d0e0f.
    /// The expected responses were computed outside this code base with Python's hashlib
    /// (<c>hashlib.new(name, bytes([0x2a]) + b"secret-of-12+" + bytes(range(16))).hexdigest()</c>); the primitives
    /// themselves are pinned by the published vectors above.
    /// </summary>
    [Theory]
    [InlineData(ChapAlgorithm.Md5, "cb7738a975c3f263008b4626d21eaded")]
    [InlineData(ChapAlgorithm.Sha1, "c6c9678d93f739acc1d838999be4a1fad1134cf8")]
    [InlineData(ChapAlgorithm.Sha256, "639c1954771abe61df3b51ca41c696c9fe3b2d7a43d69df0b5d8ee724349b405")]
    [InlineData(ChapAlgorithm.Sha3_256, "c3a790bfbeff4916d4cea82466897db4f175943af43fa5df55d0211fa4b06e3a")]
    public void Worked_chap_example(ChapAlgorithm algorithm, string expectedHex)
    {
        AssertSupported(algorithm);
        byte[] challenge = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f];
        Assert.Equal(expectedHex, Response(algorithm, 0x2a, "secret-of-12+"u8, challenge));
    }

    private static string Response(ChapAlgorithm algorithm, byte identifier, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> challenge)
    {
        byte[] response = new byte[ChapHash.GetDigestLength(algorithm)];
        ChapHash.Compute(algorithm, identifier, secret, challenge, response);
        return Convert.ToHexStringLower(response);
    }

    private static void AssertSupported(ChapAlgorithm algorithm)
    {
        // Debian 12's OpenSSL 3 has all four digests; a platform without one fails here rather than skipping.
        Assert.True(ChapHash.IsSupported(algorithm), $"{algorithm} is not supported by this platform's crypto library");
    }
}
