using System.Security.Cryptography;
using System.Text;

namespace IscsiNative.Protocol;

/// <summary>
/// CHAP names and secrets for a login: the initiator's own (one-way CHAP) and optionally the target's (mutual CHAP).
/// Secrets are kept as byte copies that <see cref="Dispose"/> clears; they never appear in
/// <see cref="ToString"/>, logs or exception messages.
/// </summary>
public sealed class ChapCredentials : IDisposable
{
    /// <summary>Longest name or secret accepted, as open-iscsi (AUTH_STR_MAX_LEN 256).</summary>
    public const int MaxLength = 256;

    private readonly byte[] _secret;
    private readonly byte[]? _targetSecret;
    private bool _disposed;

    private ChapCredentials(string username, ReadOnlySpan<byte> secret, string? targetUsername, ReadOnlySpan<byte> targetSecret, bool mutual)
    {
        Validate(username, secret, nameof(username), nameof(secret));
        Username = username;
        _secret = PinnedCopy(secret);
        if (mutual)
        {
            Validate(targetUsername!, targetSecret, nameof(targetUsername), nameof(targetSecret));
            TargetUsername = targetUsername;
            _targetSecret = PinnedCopy(targetSecret);
        }
    }

    /// <summary>The name the initiator sends as CHAP_N.</summary>
    public string Username { get; }

    /// <summary>The name the target must send as CHAP_N in mutual CHAP; <see langword="null"/> for one-way CHAP.</summary>
    public string? TargetUsername { get; }

    /// <summary>Whether the initiator also authenticates the target.</summary>
    public bool IsMutual => _targetSecret is not null;

    internal ReadOnlySpan<byte> Secret
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _secret;
        }
    }

    internal ReadOnlySpan<byte> TargetSecret
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _targetSecret;
        }
    }

    /// <summary>Credentials for one-way CHAP (the target authenticates the initiator).</summary>
    /// <param name="username">CHAP_N sent to the target.</param>
    /// <param name="secret">The shared secret, as UTF-8 bytes.</param>
    /// <exception cref="ArgumentException">Empty or longer than <see cref="MaxLength"/> bytes.</exception>
    public static ChapCredentials OneWay(string username, ReadOnlySpan<byte> secret) => new(username, secret, null, default, mutual: false);

    /// <summary>Credentials for one-way CHAP from a string secret (encoded as UTF-8).</summary>
    /// <param name="username">CHAP_N sent to the target.</param>
    /// <param name="secret">The shared secret.</param>
    /// <exception cref="ArgumentException">Empty or longer than <see cref="MaxLength"/> bytes.</exception>
    public static ChapCredentials OneWay(string username, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        byte[] bytes = Encoding.UTF8.GetBytes(secret);
        try
        {
            return OneWay(username, bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Credentials for mutual CHAP: the target authenticates the initiator and the initiator the target.</summary>
    /// <param name="username">CHAP_N sent to the target.</param>
    /// <param name="secret">Secret the initiator proves.</param>
    /// <param name="targetUsername">CHAP_N the target must send.</param>
    /// <param name="targetSecret">Secret the target must prove; must differ from <paramref name="secret"/>.</param>
    /// <exception cref="ArgumentException">Empty, too long, or both secrets equal (RFC 7143 §12.1.3 forbids it).</exception>
    public static ChapCredentials Mutual(string username, ReadOnlySpan<byte> secret, string targetUsername, ReadOnlySpan<byte> targetSecret)
    {
        if (secret.SequenceEqual(targetSecret))
        {
            throw new ArgumentException("The target secret must differ from the initiator secret.", nameof(targetSecret));
        }

        return new(username, secret, targetUsername, targetSecret, mutual: true);
    }

    /// <summary>Mutual CHAP credentials from string secrets (encoded as UTF-8).</summary>
    /// <param name="username">CHAP_N sent to the target.</param>
    /// <param name="secret">Secret the initiator proves.</param>
    /// <param name="targetUsername">CHAP_N the target must send.</param>
    /// <param name="targetSecret">Secret the target must prove; must differ from <paramref name="secret"/>.</param>
    /// <exception cref="ArgumentException">Empty, too long, or both secrets equal.</exception>
    public static ChapCredentials Mutual(string username, string secret, string targetUsername, string targetSecret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(targetSecret);
        byte[] a = Encoding.UTF8.GetBytes(secret);
        byte[] b = Encoding.UTF8.GetBytes(targetSecret);
        try
        {
            return Mutual(username, a, targetUsername, b);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(a);
            CryptographicOperations.ZeroMemory(b);
        }
    }

    /// <summary>Clears the secret buffers. Using the credentials afterwards throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_secret);
        CryptographicOperations.ZeroMemory(_targetSecret);
    }

    /// <summary>
    /// A copy of secret bytes on the pinned object heap: the GC never moves it, so clearing it clears the only copy
    /// (a compacting GC would otherwise leave the old bytes behind in freed heap memory).
    /// </summary>
    /// <param name="bytes">The bytes to copy.</param>
    /// <returns>A new pinned array the caller clears with <see cref="CryptographicOperations.ZeroMemory"/>.</returns>
    internal static byte[] PinnedCopy(ReadOnlySpan<byte> bytes)
    {
        byte[] copy = GC.AllocateUninitializedArray<byte>(bytes.Length, pinned: true);
        bytes.CopyTo(copy);
        return copy;
    }

    /// <summary>Names only; secrets are shown as <c>********</c>.</summary>
    /// <returns>A description without secrets.</returns>
    public override string ToString() => IsMutual
        ? $"ChapCredentials {{ Username = {Username}, Secret = ********, TargetUsername = {TargetUsername}, TargetSecret = ******** }}"
        : $"ChapCredentials {{ Username = {Username}, Secret = ******** }}";

    private static void Validate(string name, ReadOnlySpan<byte> secret, string nameParam, string secretParam)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, nameParam);
        if (Encoding.UTF8.GetByteCount(name) > MaxLength || name.Contains('\0'))
        {
            throw new ArgumentException($"CHAP name must be at most {MaxLength} bytes without NUL.", nameParam);
        }

        if (secret.IsEmpty || secret.Length > MaxLength)
        {
            throw new ArgumentException($"CHAP secret must be 1 to {MaxLength} bytes.", secretParam);
        }
    }
}
