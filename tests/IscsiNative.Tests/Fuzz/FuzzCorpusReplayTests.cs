using IscsiNative.Fuzz;
using IscsiNative.Tests.Interop;

namespace IscsiNative.Tests.Fuzz;

/// <summary>
/// The bounded CI smoke of the fuzz targets (tests/IscsiNative.Fuzz/Targets, compiled in here): every checked-in
/// corpus file, then a few thousand inputs mutated from them with a fixed seed, in-process and without afl. A target
/// lets every undocumented exception through, so any such exception fails the test with the input that caused it.
/// </summary>
public sealed class FuzzCorpusReplayTests
{
    private const int MutationsPerTarget = 3000;

    /// <summary>sysfs-tree builds a directory tree on disk per input (hundreds of files for the captured seeds): fewer.</summary>
    private const int MutationsOfTreeTarget = 300;

    internal static string CorpusRoot => Path.Combine(BindingRulesTests.RepoRoot, "tests", "fuzz", "corpus");

    public static TheoryData<string> Targets => [.. FuzzTargets.All.Keys];

    [Fact]
    public void Every_target_has_a_corpus_directory_and_every_directory_a_target()
    {
        string[] directories = [.. Directory.GetDirectories(CorpusRoot).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        Assert.Equal(FuzzTargets.All.Keys.Order(StringComparer.Ordinal), directories);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Corpus_replays_without_undocumented_exceptions(string target)
    {
        byte[][] corpus = Corpus(target);
        Assert.NotEmpty(corpus);
        foreach (byte[] input in corpus)
        {
            Replay(target, input);
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Mutated_corpus_replays_without_undocumented_exceptions(string target)
    {
        byte[][] corpus = Corpus(target);
        var random = new Random(17_000 + target.Length);
        int mutations = target == "sysfs-tree" ? MutationsOfTreeTarget : MutationsPerTarget;
        for (int i = 0; i < mutations; i++)
        {
            Replay(target, Mutator.Mutate(random, corpus));
        }
    }

    internal static byte[][] Corpus(string target) =>
        [.. Directory.GetFiles(Path.Combine(CorpusRoot, target)).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];

    private static void Replay(string target, byte[] input)
    {
        try
        {
            FuzzTargets.All[target](input);
        }
        catch (Exception e)
        {
            Assert.Fail($"{target}: {e.GetType().Name}: {e.Message} on input {Convert.ToHexString(input)}\n{e}");
        }
    }
}

/// <summary>afl-style havoc on a corpus: bit flips, interesting bytes, inserts, deletes, clones, truncation, splices.</summary>
internal static class Mutator
{
    private static readonly byte[] Interesting = [0, 1, 0x7F, 0x80, 0xFF, (byte)'=', 0, (byte)',', (byte)':', (byte)'0', (byte)'x'];

    internal static byte[] Mutate(Random random, byte[][] corpus)
    {
        var data = new List<byte>(corpus[random.Next(corpus.Length)]);
        int steps = 1 + random.Next(6);
        for (int s = 0; s < steps; s++)
        {
            int at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(8))
            {
                case 0 when data.Count > 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2 when data.Count > 0:
                    data[at] = (byte)random.Next(256);
                    break;
                case 3:
                    data.InsertRange(at, Enumerable.Range(0, 1 + random.Next(16)).Select(_ => (byte)random.Next(256)));
                    break;
                case 4 when data.Count > 0:
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(16)));
                    break;
                case 5 when data.Count > 0:
                    int length = Math.Min(data.Count - at, 1 + random.Next(64));
                    data.InsertRange(random.Next(data.Count + 1), data.GetRange(at, length));
                    break;
                case 6 when data.Count > 0:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 7:
                    byte[] other = corpus[random.Next(corpus.Length)];
                    int from = other.Length == 0 ? 0 : random.Next(other.Length);
                    data.InsertRange(at, other.AsSpan(from, Math.Min(other.Length - from, 1 + random.Next(128))).ToArray());
                    break;
            }
        }

        return [.. data];
    }
}
