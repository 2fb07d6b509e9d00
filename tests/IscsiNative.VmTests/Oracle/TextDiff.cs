using System.Text;

namespace IscsiNative.VmTests.Oracle;

/// <summary>Line diffs for byte-identity assertions: a failure shows where the two texts part.</summary>
public static class TextDiff
{
    /// <summary>Asserts that <paramref name="actual"/> equals <paramref name="expected"/>; on failure the message is a unified-style diff.</summary>
    /// <param name="expected">The oracle's text (iscsiadm).</param>
    /// <param name="actual">The library's text.</param>
    /// <param name="what">What is compared, for the message.</param>
    public static void AssertSame(string expected, string actual, string what)
    {
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            Assert.Fail($"{what}: the texts differ (--- iscsiadm, +++ library)\n{Unified(expected, actual)}");
        }
    }

    /// <summary>Returns a unified-style diff (3 lines of context, tabs and line ends made visible) of two texts.</summary>
    /// <param name="expected">The old text (lines prefixed '-').</param>
    /// <param name="actual">The new text (lines prefixed '+').</param>
    /// <returns>The diff, or an empty string when both are equal.</returns>
    public static string Unified(string expected, string actual)
    {
        string[] a = SplitLines(expected);
        string[] b = SplitLines(actual);

        // Longest common subsequence table (texts here are at most a few thousand lines).
        int[,] lcs = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
        {
            for (int j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var ops = new List<(char Op, string Line, int A, int B)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                ops.Add((' ', a[x], x++, y++));
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                ops.Add(('-', a[x], x++, y));
            }
            else
            {
                ops.Add(('+', b[y], x, y++));
            }
        }

        const int Context = 3;
        var sb = new StringBuilder();
        for (int k = 0; k < ops.Count; k++)
        {
            if (ops[k].Op == ' ')
            {
                continue;
            }

            int start = Math.Max(0, k - Context);
            int end = k;
            int quiet = 0;
            while (end + 1 < ops.Count && quiet < 2 * Context)
            {
                end++;
                quiet = ops[end].Op == ' ' ? quiet + 1 : 0;
            }

            end = Math.Min(ops.Count - 1, end - Math.Max(0, quiet - Context));
            sb.Append("@@ -").Append(ops[start].A + 1).Append(" +").Append(ops[start].B + 1).Append(" @@\n");
            for (int m = start; m <= end; m++)
            {
                sb.Append(ops[m].Op).Append(Visible(ops[m].Line)).Append('\n');
            }

            k = end;
        }

        return sb.ToString();
    }

    private static string[] SplitLines(string text)
    {
        var lines = new List<string>();
        int from = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(text[from..(i + 1)]);
                from = i + 1;
            }
        }

        if (from < text.Length)
        {
            lines.Add(text[from..]); // no final newline: kept distinct from the same line with one
        }

        return [.. lines];
    }

    private static string Visible(string line) =>
        line.EndsWith('\n') ? line[..^1].Replace("\t", "→", StringComparison.Ordinal) : line.Replace("\t", "→", StringComparison.Ordinal) + "⏎(no newline)";
}
