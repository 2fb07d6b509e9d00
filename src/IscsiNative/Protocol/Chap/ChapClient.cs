using System.Security.Cryptography;

namespace IscsiNative.Protocol;

/// <summary>
/// The initiator side of the security stage (RFC 7143 §12.1.3, OPEN-ISCSI.md §5): offers AuthMethod, CHAP_A,
/// answers the challenge, and in mutual CHAP challenges and verifies the target. Secrets are only read from the
/// <see cref="ChapCredentials"/>; intermediate buffers are zeroed.
/// </summary>
internal sealed class ChapClient : IDisposable
{
    private readonly ChapCredentials _credentials;
    private readonly ChapAlgorithm[] _algorithms;
    private readonly int _maxChallengeLength;
    private Step _step = Step.OfferMethod;
    private ChapAlgorithm _algorithm;
    private bool _chapChosen;
    private bool _gotMethod;
    private bool _gotAlgorithm;
    private int _targetId = -1;
    private byte[]? _targetChallenge;
    private byte _ourId;
    private byte[]? _ourChallenge;
    private string? _targetName;
    private byte[]? _targetResponse;
    private bool _targetVerified;

    public ChapClient(ChapCredentials credentials, IReadOnlyList<ChapAlgorithm> algorithms, int maxChallengeLength)
    {
        _credentials = credentials;
        _maxChallengeLength = maxChallengeLength;
        var list = new List<ChapAlgorithm>();
        foreach (ChapAlgorithm a in algorithms)
        {
            if (!list.Contains(a) && Enum.IsDefined(a) && ChapHash.IsSupported(a) && list.Count < 5)
            {
                list.Add(a);
            }
        }

        if (list.Count == 0)
        {
            throw new ArgumentException("None of the configured CHAP algorithms is supported on this system.", nameof(algorithms));
        }

        _algorithms = [.. list];
    }

    private enum Step
    {
        OfferMethod,
        AwaitMethod,
        SendAlgorithms,
        AwaitChallenge,
        SendResponse,
        AwaitTargetResponse,
        Done,
    }

    /// <summary>The algorithm in use once the target chose one.</summary>
    public ChapAlgorithm? Algorithm => _chapChosen && _gotAlgorithm ? _algorithm : null;

    /// <summary>Writes this step's keys; returns whether the request should carry T=1.</summary>
    public bool WriteKeys(ref TextKeyValueWriter writer)
    {
        switch (_step)
        {
            case Step.OfferMethod:
                writer.Write("AuthMethod"u8, _credentials.IsMutual ? "CHAP"u8 : "CHAP,None"u8);
                _step = Step.AwaitMethod;
                return false;
            case Step.SendAlgorithms:
                WriteAlgorithms(ref writer);
                _step = Step.AwaitChallenge;
                return false;
            case Step.SendResponse:
                WriteResponse(ref writer);
                _step = Step.AwaitTargetResponse;
                return true;
            case Step.AwaitMethod or Step.AwaitChallenge:
                // The target answered without the keys we need yet (e.g. after a continuation); keep waiting.
                return false;
            default:
                return true;
        }
    }

    /// <summary>Consumes a security key from the target; <see langword="false"/> if the key is not a CHAP key.</summary>
    /// <exception cref="IscsiProtocolException">A malformed or unexpected value.</exception>
    /// <exception cref="IscsiAuthenticationException">The target refuses every offered method or algorithm, or fails verification.</exception>
    public bool TryHandle(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (key.SequenceEqual("AuthMethod"u8))
        {
            if (value.SequenceEqual("CHAP"u8))
            {
                _chapChosen = true;
            }
            else if (value.SequenceEqual("None"u8) && !_credentials.IsMutual)
            {
                _chapChosen = false;
            }
            else if (TextValue.IsSpecial(value) || value.SequenceEqual("None"u8))
            {
                throw new IscsiAuthenticationException("The target refused every offered AuthMethod");
            }
            else
            {
                ThrowHelper.ThrowProtocol("Target chose an AuthMethod that was not offered");
            }

            _gotMethod = true;
        }
        else if (key.SequenceEqual("CHAP_A"u8))
        {
            if (!TextValue.TryParseNumber(value, out ulong a) || Array.IndexOf(_algorithms, (ChapAlgorithm)(int)Math.Min(a, 255)) < 0)
            {
                if (TextValue.IsSpecial(value))
                {
                    throw new IscsiAuthenticationException("The target accepts none of the offered CHAP algorithms");
                }

                ThrowHelper.ThrowProtocol("Target chose a CHAP_A value that was not offered");
            }

            _algorithm = (ChapAlgorithm)(int)a;
            _gotAlgorithm = true;
        }
        else if (key.SequenceEqual("CHAP_I"u8))
        {
            if (!TextValue.TryParseNumber(value, 0, 255, out ulong id))
            {
                ThrowHelper.ThrowProtocol("CHAP_I is not a number from 0 to 255");
            }

            _targetId = (int)id;
        }
        else if (key.SequenceEqual("CHAP_C"u8))
        {
            _targetChallenge = DecodeBinary(value, _maxChallengeLength, "CHAP_C");
            if (_targetChallenge.Length == 0)
            {
                ThrowHelper.ThrowProtocol("CHAP_C is empty");
            }
        }
        else if (key.SequenceEqual("CHAP_N"u8))
        {
            _targetName = System.Text.Encoding.UTF8.GetString(value);
        }
        else if (key.SequenceEqual("CHAP_R"u8))
        {
            _targetResponse = DecodeBinary(value, ChapHash.MaxDigestLength, "CHAP_R");
        }
        else
        {
            return false;
        }

        return true;
    }

    /// <summary>Advances after a complete response; <paramref name="transit"/> says whether the target left the security stage.</summary>
    /// <exception cref="IscsiProtocolException">The target skipped a required step.</exception>
    /// <exception cref="IscsiAuthenticationException">Mutual CHAP verification failed.</exception>
    public void OnResponse(bool transit)
    {
        switch (_step)
        {
            case Step.AwaitMethod when _gotMethod:
                _step = _chapChosen ? Step.SendAlgorithms : Step.Done;
                break;
            case Step.AwaitChallenge when _gotAlgorithm && _targetId >= 0 && _targetChallenge is not null:
                _step = Step.SendResponse;
                break;
            case Step.AwaitTargetResponse:
                if (_credentials.IsMutual && (_targetResponse is not null || transit))
                {
                    VerifyTarget();
                }

                if (!_credentials.IsMutual || _targetVerified)
                {
                    _step = Step.Done;
                }

                break;
        }

        if (transit && _step != Step.Done)
        {
            if (_credentials.IsMutual && _step == Step.AwaitTargetResponse)
            {
                throw new IscsiAuthenticationException("The target left the security stage without authenticating itself");
            }

            ThrowHelper.ThrowProtocol("Target left the security stage before CHAP completed");
        }
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_targetChallenge);
        CryptographicOperations.ZeroMemory(_ourChallenge);
        CryptographicOperations.ZeroMemory(_targetResponse);
    }

    private static byte[] DecodeBinary(ReadOnlySpan<byte> value, int maxLength, string key)
    {
        int max = BinaryValue.GetMaxDecodedLength(value);
        if (max < 0)
        {
            ThrowHelper.ThrowProtocol($"{key} is not 0x hex or 0b base64");
        }

        if (max > maxLength + 2)
        {
            ThrowHelper.ThrowProtocol($"{key} is longer than {maxLength} bytes");
        }

        byte[] buffer = new byte[Math.Max(max, 1)];
        if (!BinaryValue.TryDecode(value, buffer, out int written))
        {
            ThrowHelper.ThrowProtocol($"{key} is not valid 0x hex or 0b base64");
        }

        if (written > maxLength)
        {
            ThrowHelper.ThrowProtocol($"{key} is longer than {maxLength} bytes");
        }

        return buffer.AsSpan(0, written).ToArray();
    }

    private void WriteAlgorithms(ref TextKeyValueWriter writer)
    {
        Span<byte> list = stackalloc byte[16];
        int n = 0;
        foreach (ChapAlgorithm a in _algorithms)
        {
            if (n > 0)
            {
                list[n++] = (byte)',';
            }

            list[n++] = (byte)('0' + (int)a);
        }

        writer.Write("CHAP_A"u8, list[..n]);
    }

    private void WriteResponse(ref TextKeyValueWriter writer)
    {
        int length = ChapHash.GetDigestLength(_algorithm);
        Span<byte> digest = stackalloc byte[ChapHash.MaxDigestLength];
        try
        {
            ChapHash.Compute(_algorithm, (byte)_targetId, _credentials.Secret, _targetChallenge, digest);
            writer.Write("CHAP_N"u8, _credentials.Username);
            BinaryValue.EncodeHex(digest[..length], writer.WriteKeyAndReserveValue("CHAP_R"u8, BinaryValue.GetHexEncodedLength(length)));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(digest);
        }

        if (_credentials.IsMutual)
        {
            _ourId = (byte)RandomNumberGenerator.GetInt32(256);
            _ourChallenge = new byte[length];
            do
            {
                RandomNumberGenerator.Fill(_ourChallenge);
            }
            while (_ourChallenge.AsSpan().SequenceEqual(_targetChallenge));

            writer.Write("CHAP_I"u8, _ourId);
            BinaryValue.EncodeHex(_ourChallenge, writer.WriteKeyAndReserveValue("CHAP_C"u8, BinaryValue.GetHexEncodedLength(length)));
        }
    }

    private void VerifyTarget()
    {
        if (_targetName is null || _targetResponse is null)
        {
            throw new IscsiAuthenticationException("The target did not send CHAP_N and CHAP_R for mutual CHAP");
        }

        if (!string.Equals(_targetName, _credentials.TargetUsername, StringComparison.Ordinal))
        {
            throw new IscsiAuthenticationException("The target's CHAP_N does not match the configured target user name");
        }

        int length = ChapHash.GetDigestLength(_algorithm);
        if (_targetResponse.Length != length)
        {
            throw new IscsiAuthenticationException($"The target's CHAP_R has {_targetResponse.Length} bytes, expected {length}");
        }

        Span<byte> expected = stackalloc byte[ChapHash.MaxDigestLength];
        Span<byte> reflected = stackalloc byte[ChapHash.MaxDigestLength];
        try
        {
            ChapHash.Compute(_algorithm, _ourId, _credentials.TargetSecret, _ourChallenge, expected);
            ChapHash.Compute(_algorithm, _ourId, _credentials.Secret, _ourChallenge, reflected);
            if (CryptographicOperations.FixedTimeEquals(_targetResponse, reflected[..length]))
            {
                throw new IscsiAuthenticationException("The target answered with the initiator's own secret (reflection)");
            }

            if (!CryptographicOperations.FixedTimeEquals(_targetResponse, expected[..length]))
            {
                throw new IscsiAuthenticationException("The target's CHAP_R does not verify");
            }

            _targetVerified = true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(expected);
            CryptographicOperations.ZeroMemory(reflected);
        }
    }
}
