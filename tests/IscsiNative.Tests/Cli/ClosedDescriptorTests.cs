using System.Diagnostics;

namespace IscsiNative.Tests.Cli;

/// <summary>
/// iscsinat started as a process with stdout or stderr closed (<c>2&gt;&amp;-</c>): like iscsiadm (C stdio drops writes
/// to a closed descriptor) it keeps its exit code instead of aborting with an unhandled write exception (exit 134).
/// </summary>
public sealed class ClosedDescriptorTests
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "iscsinat.dll");

    [Theory]
    [InlineData("2>&-")]
    [InlineData(">&-")]
    [InlineData(">&- 2>&-")]
    public async Task An_error_written_to_a_closed_descriptor_keeps_iscsiadms_exit_code(string redirection)
    {
        // An unknown mode: iscsiadm prints "iscsiadm: mode -1 is not yet supported" to stderr and exits 7 (EINVAL).
        Assert.True(File.Exists(Cli), Cli + " is not built");
        var psi = new ProcessStartInfo("/bin/sh", ["-c", $"exec dotnet \"$0\" -m bogus {redirection}", Cli])
        {
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        using Process p = Process.Start(psi)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(timeout.Token);
        Assert.Equal(7, p.ExitCode);
    }
}
