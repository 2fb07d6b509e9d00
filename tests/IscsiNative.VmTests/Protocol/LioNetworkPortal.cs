using System.Globalization;
using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Protocol;

/// <summary>An extra network portal (np/ADDRESS:PORT) on a LIO target's portal group; dispose removes it.</summary>
internal sealed class LioNetworkPortal : IDisposable
{
    private readonly string _directory;

    internal LioNetworkPortal(LioTarget target, string address, int port)
    {
        Address = address;
        Port = port;
        _directory = Path.Combine(target.TpgDirectory, "np", $"{address}:{port.ToString(CultureInfo.InvariantCulture)}");
        Directory.CreateDirectory(_directory);
    }

    internal string Address { get; }

    internal int Port { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"LioNetworkPortal: could not remove {_directory}: {e.Message}");
        }
    }
}
