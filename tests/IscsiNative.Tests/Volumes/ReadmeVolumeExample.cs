using IscsiNative.Protocol;
using IscsiNative.Volumes;

namespace IscsiNative.Tests.Volumes;

/// <summary>The README's volume example, kept compiling as the API moves (not run: it needs a kernel and a target).</summary>
internal static class ReadmeVolumeExample
{
    internal static async Task RunAsync(ChapCredentials chap, CancellationToken ct)
    {
        using var connector = new IscsiVolumeConnector();
        AttachedVolume v = await connector.AttachAsync(
            new VolumeSpec
            {
                TargetName = "iqn.2003-01.org.example:disk1",
                Portals = ["10.0.0.1", "10.0.1.1"],
                Lun = 3,
                Multipath = true,
                Credentials = chap,
            },
            ct);
        Console.WriteLine($"{v.DevicePath} {v.Wwid} {v.SizeBytes} paths: {v.Paths.Count}");
        long newSize = await connector.ExtendAsync(v, ct);
        _ = newSize;
        await connector.DetachAsync(v, cancellationToken: ct);
        IReadOnlyList<AttachedVolume> all = connector.GetAttached();
        _ = all;
    }
}
