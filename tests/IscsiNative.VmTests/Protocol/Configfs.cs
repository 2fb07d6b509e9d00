using System.Text;

namespace IscsiNative.VmTests.Protocol;

/// <summary>configfs writes for the protocol tests' extra LIO settings (no trailing newline: LIO keeps it in strings).</summary>
internal static class Configfs
{
    internal static void Write(string path, string value)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        stream.Write(Encoding.ASCII.GetBytes(value));
    }

    internal static string Read(string path) => File.ReadAllText(path).TrimEnd('\n');
}
