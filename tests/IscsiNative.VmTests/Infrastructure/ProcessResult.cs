namespace IscsiNative.VmTests.Infrastructure;

/// <summary>The outcome of a finished child process.</summary>
/// <param name="CommandLine">The command as run, for messages.</param>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="StdOut">Everything written to standard output.</param>
/// <param name="StdErr">Everything written to standard error.</param>
public sealed record ProcessResult(string CommandLine, int ExitCode, string StdOut, string StdErr)
{
    /// <summary>Returns this result, or throws when the exit code is not 0.</summary>
    /// <returns>This result.</returns>
    /// <exception cref="InvalidOperationException">The process exited with a non-zero code.</exception>
    public ProcessResult EnsureSuccess() =>
        ExitCode == 0 ? this : throw new InvalidOperationException($"{this}");

    /// <inheritdoc/>
    public override string ToString() =>
        $"`{CommandLine}` exited {ExitCode}\n--- stdout\n{StdOut}--- stderr\n{StdErr}";
}
