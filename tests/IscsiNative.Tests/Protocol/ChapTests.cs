using System.Security.Cryptography;
using IscsiNative.Protocol;

namespace IscsiNative.Tests.Protocol;

public sealed class ChapTests
{
    [Theory]
    [InlineData(ChapAlgorithm.Md5)]
    [InlineData(ChapAlgorithm.Sha1)]
    [InlineData(ChapAlgorithm.Sha256)]
    public void Response_is_hash_of_identifier_secret_and_challenge(ChapAlgorithm algorithm)
    {
        byte[] secret = "s3cr3t-value"u8.ToArray();
        byte[] challenge = [1, 2, 3, 4, 5];
        byte[] input = [7, .. secret, .. challenge];
        byte[] expected = algorithm switch
        {
            ChapAlgorithm.Md5 => MD5.HashData(input),
            ChapAlgorithm.Sha1 => SHA1.HashData(input),
            _ => SHA256.HashData(input),
        };
        byte[] actual = new byte[ChapHash.GetDigestLength(algorithm)];
        ChapHash.Compute(algorithm, 7, secret, challenge, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Sha3_is_used_only_where_supported()
    {
        Assert.Equal(SHA3_256.IsSupported, ChapHash.IsSupported(ChapAlgorithm.Sha3_256));
    }

    [Fact]
    public void Credentials_never_show_secrets_and_are_cleared_on_dispose()
    {
        var c = ChapCredentials.Mutual("alice", "alice-secret", "bob", "bob-secret");
        Assert.DoesNotContain("alice-secret", c.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("bob-secret", c.ToString(), StringComparison.Ordinal);
        Assert.Contains("alice", c.ToString(), StringComparison.Ordinal);
        c.Dispose();
        Assert.Throws<ObjectDisposedException>(() => c.Secret.Length);
    }

    [Fact]
    public void Credentials_refuse_equal_mutual_secrets_and_oversized_values()
    {
        Assert.Throws<ArgumentException>(() => ChapCredentials.Mutual("a", "same-secret", "b", "same-secret"));
        Assert.Throws<ArgumentException>(() => ChapCredentials.OneWay("a", new string('x', 257)));
        Assert.Throws<ArgumentException>(() => ChapCredentials.OneWay("a", ""));
    }
}
