using System.Buffers;
using System.Globalization;
using System.Text;
using IscsiNative.Formatting;
using IscsiNative.Iscsid;
using IscsiNative.Sysfs;
using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Oracle;

/// <summary>The library's <c>-m session</c> text over the live /sys and the live iscsid, in process and through the CLI.</summary>
public static class LibraryOutput
{
    private static readonly TimeSpan IscsidTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets the path of the CLI operators run: the NativeAOT binary <c>./build.sh build</c> publishes to
    /// <c>artifacts/iscsinat/iscsinat</c> (not iscsinat.dll under the JIT, which also starts seconds slower under TCG).
    /// </summary>
    public static string CliPath
    {
        get
        {
            string repo = Environment.GetEnvironmentVariable("VM_REPO") ?? FindRepo();
            string path = Path.Combine(repo, "artifacts", "iscsinat", "iscsinat");
            Xunit.Assert.True(File.Exists(path), $"{path} is not built: run ./build.sh build (it publishes the NativeAOT CLI)");
            return path;
        }
    }

    /// <summary>Runs the CLI with <paramref name="args"/>, bounded by <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long the process may run.</param>
    /// <param name="args">Its command line.</param>
    /// <returns>The result.</returns>
    public static ProcessResult RunCli(TimeSpan timeout, params string[] args) => ProcessRunner.Run(timeout, CliPath, args);

    /// <summary>Formats every session as <c>iscsiadm -m session [-P level]</c> would, asking iscsid for its two lines.</summary>
    /// <param name="level">0..3, or null for the plain listing.</param>
    /// <returns>The text.</returns>
    public static string Session(int? level)
    {
        using var reader = new SysfsSessionReader();
        var states = new IscsidStateSource(new IscsidClient(), IscsidTimeout);
        var output = new ArrayBufferWriter<byte>(64 * 1024);
        IscsiadmSessionWriter.WriteSessions(reader, output, level ?? -1, states);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>Runs <c>iscsinat session [-P level]</c>.</summary>
    /// <param name="level">0..3, or null for the plain listing.</param>
    /// <returns>The result.</returns>
    public static ProcessResult Cli(int? level) => level is int p
        ? RunCli(Iscsiadm.DefaultTimeout, "session", "-P", p.ToString(CultureInfo.InvariantCulture))
        : RunCli(Iscsiadm.DefaultTimeout, "session");

    private static string FindRepo()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "IscsiNative.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
