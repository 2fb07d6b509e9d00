using System.Globalization;

namespace IscsiNative.VmTests.Infrastructure;

/// <summary>
/// Searches another process's memory (as root, through <c>/proc/PID/mem</c>) for byte patterns: every readable
/// mapping that is writable or not backed by a file (heaps, stacks, the GC's regions, anonymous mmaps) — where a
/// secret the process handled could remain. Read-only file mappings (code, rodata) are skipped: they hold only what
/// the binaries hold.
/// </summary>
internal static class ProcessMemory
{
    private const int Chunk = 1 << 20;
    private const int Page = 4096;

    /// <summary>What a scan found.</summary>
    /// <param name="Hits">Pattern name → the distinct addresses it was found at.</param>
    /// <param name="ScannedBytes">Bytes read and searched.</param>
    /// <param name="UnreadableBytes">Bytes of mappings the kernel refused to read (EIO/EFAULT), page by page.</param>
    /// <param name="Regions">Mappings searched.</param>
    public sealed record Result(IReadOnlyDictionary<string, IReadOnlySet<long>> Hits, long ScannedBytes, long UnreadableBytes, int Regions)
    {
        /// <summary>All hits, as "NAME@0xADDR".</summary>
        public override string ToString() => string.Join(", ", Hits.SelectMany(h => h.Value.Order().Select(a => $"{h.Key}@0x{a:x}")));

        /// <summary>Number of distinct hits over all patterns.</summary>
        public int Count => Hits.Values.Sum(h => h.Count);
    }

    /// <summary>Searches process <paramref name="pid"/> for each of <paramref name="patterns"/> (name → bytes).</summary>
    public static Result Search(int pid, IReadOnlyDictionary<string, byte[]> patterns)
    {
        int longest = patterns.Values.Max(p => p.Length);
        Assert.True(longest is > 0 and < Page, "patterns must be 1 byte to a page long");
        var hits = patterns.Keys.ToDictionary(k => k, _ => new HashSet<long>(), StringComparer.Ordinal);
        long scanned = 0, unreadable = 0;
        int regions = 0;
        byte[] buffer = new byte[Chunk + longest];
        using var mem = new FileStream($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/mem", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        foreach ((long start, long end) in Mappings(pid))
        {
            regions++;
            // Each chunk is read with the previous chunk's last (longest - 1) bytes in front of it, so a pattern that
            // straddles two chunks is still found.
            int carry = 0;
            for (long at = start; at < end; at += Chunk)
            {
                int want = (int)Math.Min(Chunk, end - at);
                int got = ReadAt(mem, at, buffer.AsSpan(carry, want), ref unreadable);
                scanned += got;
                Span<byte> window = buffer.AsSpan(0, carry + got);
                long windowStart = at - carry;
                foreach ((string name, byte[] pattern) in patterns)
                {
                    for (int i = 0, j; (j = window[i..].IndexOf(pattern)) >= 0; i += j + 1)
                    {
                        hits[name].Add(windowStart + i + j);
                    }
                }

                carry = Math.Min(longest - 1, window.Length);
                window[^carry..].CopyTo(buffer);
            }
        }

        return new Result(hits.ToDictionary(h => h.Key, h => (IReadOnlySet<long>)h.Value, StringComparer.Ordinal), scanned, unreadable, regions);
    }

    /// <summary>Reads as much of [at, at + destination.Length) as the kernel gives; pages it refuses are left out and counted.</summary>
    private static int ReadAt(FileStream mem, long at, Span<byte> destination, ref long unreadable)
    {
        int filled = 0;
        while (filled < destination.Length)
        {
            try
            {
                mem.Position = at + filled;
                int n = mem.Read(destination[filled..]);
                if (n <= 0)
                {
                    unreadable += destination.Length - filled;
                    break;
                }

                filled += n;
            }
            catch (IOException)
            {
                // A page the kernel cannot give (e.g. a guard page): skip to the next page boundary.
                long next = ((at + filled) / Page + 1) * Page;
                int skip = (int)Math.Min(next - (at + filled), destination.Length - filled);
                unreadable += skip;
                destination.Slice(filled, skip).Clear();
                filled += skip;
            }
        }

        return filled;
    }

    /// <summary>The mappings of /proc/PID/maps that are readable and writable or not backed by a file.</summary>
    private static IEnumerable<(long Start, long End)> Mappings(int pid)
    {
        foreach (string line in File.ReadAllLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/maps"))
        {
            // 7f0c2a000000-7f0c2a021000 rw-p 00000000 00:00 0      [path]
            string[] f = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            string perms = f[1];
            string path = f.Length > 5 ? f[5].Trim() : string.Empty;
            bool fileBacked = path.StartsWith('/');
            if (perms[0] != 'r' || path is "[vvar]" or "[vsyscall]" or "[vvar_vclock]" || (fileBacked && perms[1] != 'w'))
            {
                continue;
            }

            string[] range = f[0].Split('-');
            yield return (long.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture), long.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }
    }
}
