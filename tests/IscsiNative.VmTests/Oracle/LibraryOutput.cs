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

    /// <summary>Gets the path of the built CLI (iscsinat.dll) of this repository.</summary>
    public static string CliPath
    {
        get
        {
            string repo = Environment.GetEnvironmentVariable("VM_REPO") ?? FindRepo();
            string config = Environment.GetEnvironmentVariable("CONFIG") ?? "Release";
            return Path.Combine(repo, "samples", "IscsiNative.Cli", "bin", config, "net10.0", "iscsinat.dll");
        }
    }

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

    /// <summary>Runs <c>dotnet iscsinat.dll session [-P level]</c>.</summary>
    /// <param name="level">0..3, or null for the plain listing.</param>
    /// <returns>The result.</returns>
    public static ProcessResult Cli(int? level) => level is int p
        ? ProcessRunner.Run(Iscsiadm.DefaultTimeout, "dotnet", CliPath, "session", "-P", p.ToString(CultureInfo.InvariantCulture))
        : ProcessRunner.Run(Iscsiadm.DefaultTimeout, "dotnet", CliPath, "session");

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
