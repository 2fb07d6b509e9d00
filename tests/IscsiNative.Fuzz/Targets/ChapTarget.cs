using IscsiNative.Protocol;

namespace IscsiNative.Fuzz;

/// <summary>
/// CHAP challenge parsing and the initiator's CHAP steps on their own. Byte 0: bit 0 mutual, bits 1-2 the offered
/// algorithms. The rest are rounds separated by 0xFF bytes; each round starts with a flag byte (bit 0: the target
/// transits) and carries key=value text the client consumes, after which it writes its next keys.
/// Documented: <see cref="IscsiProtocolException"/>, <see cref="IscsiAuthenticationException"/>.
/// </summary>
public static class ChapTarget
{
    private static readonly ChapAlgorithm[][] AlgorithmSets =
    [
        [ChapAlgorithm.Md5],
        [ChapAlgorithm.Sha256, ChapAlgorithm.Md5],
        [ChapAlgorithm.Sha1, ChapAlgorithm.Sha256, ChapAlgorithm.Md5],
        [ChapAlgorithm.Sha256],
    ];

    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        using ChapCredentials credentials = (input[0] & 1) != 0
            ? ChapCredentials.Mutual("fuzz-user", "fuzz-secret-12"u8, "fuzz-target", "fuzz-target-secret"u8)
            : ChapCredentials.OneWay("fuzz-user", "fuzz-secret-12"u8);
        using var client = new ChapClient(credentials, AlgorithmSets[(input[0] >> 1) & 3], 1024);
        byte[] buffer = new byte[LoginStateMachine.MaxRequestDataLength];
        ReadOnlySpan<byte> rounds = input[1..];
        try
        {
            foreach (Range r in rounds.Split((byte)0xFF))
            {
                var writer = new TextKeyValueWriter(buffer);
                client.WriteKeys(ref writer);
                ReadOnlySpan<byte> round = rounds[r];
                bool transit = !round.IsEmpty && (round[0] & 1) != 0;
                var reader = new TextKeyValueReader(round.IsEmpty ? round : round[1..], TextLimits.Default);
                while (reader.TryRead(out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value))
                {
                    client.TryHandle(key, value);
                }

                client.OnResponse(transit);
                if (client.Algorithm is { } a)
                {
                    FuzzInvariantException.Check(Array.IndexOf(AlgorithmSets[(input[0] >> 1) & 3], a) >= 0, "algorithm not offered");
                }
            }
        }
        catch (IscsiProtocolException)
        {
        }
        catch (IscsiAuthenticationException)
        {
        }
    }
}
