using System.Buffers;
using System.Text;

namespace IscsiNative.Nodes;

/// <summary>
/// Reads a whole record file into a pooled buffer with one shim call (openat + read + close, nothing else: no fstat,
/// no advisory flock as a .NET FileStream takes), falling back to <see cref="File.ReadAllBytes"/> for files larger
/// than the buffer and for every error (which then surfaces as the usual .NET exception).
/// </summary>
internal static class RecordFile
{
    /// <summary>Record files are about 4 KiB; larger ones go through the fallback.</summary>
    private const int BufferSize = 32 * 1024;

    /// <summary>The file's bytes in <c>[0, length)</c> of the returned buffer; give it back with <see cref="Return"/>.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file is not readable.</exception>
    internal static unsafe byte[] Read(string path, out int length, out bool pooled)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        int maxPath = Encoding.UTF8.GetMaxByteCount(path.Length) + 1;
        byte[]? rentedPath = maxPath > 1024 ? ArrayPool<byte>.Shared.Rent(maxPath) : null;
        Span<byte> pathBytes = rentedPath ?? stackalloc byte[1024];
        int n;
        try
        {
            int used = Encoding.UTF8.GetBytes(path, pathBytes);
            pathBytes[used] = 0;
            fixed (byte* p = pathBytes)
            fixed (byte* b = buffer)
            {
                n = Interop.Shim.ReadAttribute(-1, p, b, buffer.Length);
            }
        }
        finally
        {
            if (rentedPath is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedPath);
            }
        }

        if (n >= 0 && n < buffer.Length)
        {
            length = n;
            pooled = true;
            return buffer;
        }

        ArrayPool<byte>.Shared.Return(buffer);
        byte[] all = File.ReadAllBytes(path);
        length = all.Length;
        pooled = false;
        return all;
    }

    /// <summary>Gives a buffer from <see cref="Read"/> back (the fallback's arrays are left to the GC).</summary>
    internal static void Return(byte[] buffer, bool pooled)
    {
        if (pooled)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
