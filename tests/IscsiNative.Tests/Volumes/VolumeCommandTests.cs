using IscsiNative.Cli;

namespace IscsiNative.Tests.Volumes;

/// <summary><c>iscsinat volume</c> argument handling and listing over an empty fixture sysfs (no kernel needed).</summary>
public sealed class VolumeCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("iscsinat-volume-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        int rc = CliApp.Run(args, new CliEnvironment(stdout, stderr) { DefaultSysfsRoot = _root });
        return (rc, System.Text.Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    [Fact]
    public void List_json_over_a_host_without_sessions_prints_an_empty_array()
    {
        (int rc, string stdout, _) = Run("volume", "list", "--json");
        Assert.Equal(0, rc);
        Assert.Equal("[]\n", stdout);
    }

    [Fact]
    public void Attach_with_a_bad_lun_is_exit_7_with_the_field_named()
    {
        (int rc, _, string stderr) = Run("volume", "attach", "-T", "iqn.2003-01.org.example:d", "-p", "127.0.0.1", "--lun", "99999");
        Assert.Equal(7, rc);
        Assert.Contains("Lun", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Extend_of_a_volume_that_is_not_attached_is_exit_21()
    {
        (int rc, _, string stderr) = Run("volume", "extend", "-T", "iqn.2003-01.org.example:d", "--lun", "0");
        Assert.Equal(21, rc);
        Assert.Contains("not attached", stderr, StringComparison.Ordinal);
    }
}
