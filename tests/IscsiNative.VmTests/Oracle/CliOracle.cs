using System.Text.RegularExpressions;
using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Oracle;

/// <summary>Runs iscsinat (the built CLI) and iscsiadm with the same command line and compares what they print.</summary>
public static partial class CliOracle
{
    /// <summary>Runs <c>iscsinat ARGS</c> (the NativeAOT binary).</summary>
    /// <param name="args">iscsiadm's command line.</param>
    /// <returns>The result.</returns>
    public static ProcessResult Cli(params string[] args) => LibraryOutput.RunCli(Iscsiadm.LoginTimeout, args);

    /// <summary>Asserts that stdout, stderr and the exit code of both results are identical.</summary>
    /// <param name="expected">iscsiadm's result.</param>
    /// <param name="actual">iscsinat's result.</param>
    /// <param name="what">The command, for the message.</param>
    public static void AssertSame(ProcessResult expected, ProcessResult actual, string what)
    {
        // stdout first; its message carries both stderrs (a failed step's reason is there).
        TextDiff.AssertSame(expected.StdOut, actual.StdOut, $"{what} (stdout; iscsiadm stderr: '{expected.StdErr.TrimEnd()}', iscsinat stderr: '{actual.StdErr.TrimEnd()}')");
        TextDiff.AssertSame(expected.StdErr, actual.StdErr, what + " (stderr)");
        Assert.True(expected.ExitCode == actual.ExitCode, $"{what}: exit {actual.ExitCode}, iscsiadm {expected.ExitCode}");
    }

    /// <summary>Runs iscsiadm, then iscsinat, on the same state (for commands that do not change it) and compares.</summary>
    /// <param name="iscsiadm">The oracle.</param>
    /// <param name="args">The command line.</param>
    public static void AssertSame(Iscsiadm iscsiadm, params string[] args) =>
        AssertSame(iscsiadm.Run(args), Cli(args), "iscsiadm " + string.Join(' ', args));

    /// <summary>
    /// For a command that changes state: iscsiadm runs, the state is read, <paramref name="reset"/> puts the state
    /// back, iscsinat runs, the state is read again; output, exit code and resulting state must all be the same.
    /// </summary>
    /// <param name="iscsiadm">The oracle.</param>
    /// <param name="state">Reads the state the command changes.</param>
    /// <param name="reset">Restores the state from before the command.</param>
    /// <param name="normalize">Applied to both outputs before comparing (e.g. session ids, which differ by design).</param>
    /// <param name="args">The command line.</param>
    public static void AssertSameEffect(Iscsiadm iscsiadm, Func<string> state, Action reset, Func<string, string> normalize, params string[] args)
    {
        string what = "iscsiadm " + string.Join(' ', args);
        ProcessResult expected = iscsiadm.Run(args);
        string expectedState = state();
        reset();
        ProcessResult actual = Cli(args);
        string actualState = state();
        AssertSame(expected with { StdOut = normalize(expected.StdOut), StdErr = normalize(expected.StdErr) },
            actual with { StdOut = normalize(actual.StdOut), StdErr = normalize(actual.StdErr) }, what);
        TextDiff.AssertSame(expectedState, actualState, what + " (resulting state)");
    }

    /// <summary>Replaces session ids in messages (<c>[sid: 7,</c>) by their order of appearance, for logouts of different sessions.</summary>
    /// <param name="text">iscsiadm's or iscsinat's output.</param>
    /// <returns>The text with <c>sid: #1</c>, <c>sid: #2</c>, ...</returns>
    public static string NumberSids(string text)
    {
        var seen = new Dictionary<string, int>();
        return SidPattern().Replace(text, m => "sid: #" + (seen.TryGetValue(m.Groups[1].Value, out int n) ? n : seen[m.Groups[1].Value] = seen.Count + 1));
    }

    /// <summary>Replaces every number by <c>#</c>: the shape of a statistics listing whose counters move on their own (NOP-Outs).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The skeleton.</returns>
    public static string Skeleton(string text) => DigitsPattern().Replace(text, "#");

    [GeneratedRegex(@"sid: (\d+)")]
    private static partial Regex SidPattern();

    [GeneratedRegex(@"\d+")]
    private static partial Regex DigitsPattern();
}
