namespace IscsiNative.Sysfs;

/// <summary>Walks the entries of one directory with getdents64 into a caller-owned buffer; skips "." and "..".</summary>
internal unsafe ref struct DirentReader
{
    private readonly byte[] _buffer;
    private int _fd;
    private int _position;
    private int _end;

    private DirentReader(int fd, byte[] buffer)
    {
        _fd = fd;
        _buffer = buffer;
        _position = 0;
        _end = 0;
    }

    /// <summary>Opens the directory whose NUL-terminated path is given; false with errno when it cannot.</summary>
    internal static bool TryOpen(byte* path, byte[] buffer, out DirentReader reader, out int errno)
    {
        int fd = Interop.Sys.Open(path, Interop.Sys.O_RDONLY | Interop.Sys.O_DIRECTORY | Interop.Sys.O_CLOEXEC, 0);
        if (fd < 0)
        {
            errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            reader = default;
            return false;
        }

        errno = 0;
        reader = new DirentReader(fd, buffer);
        return true;
    }

    /// <summary>The next entry's name (without NUL) and d_type; false at the end or on a read error.</summary>
    internal bool MoveNext(out ReadOnlySpan<byte> name, out byte type)
    {
        while (true)
        {
            if (_position >= _end)
            {
                if (_fd < 0)
                {
                    name = default;
                    type = 0;
                    return false;
                }

                nint n;
                fixed (byte* p = _buffer)
                {
                    n = Interop.Sys.GetDents64(_fd, p, _buffer.Length);
                }

                if (n <= 0)
                {
                    name = default;
                    type = 0;
                    return false;
                }

                _position = 0;
                _end = (int)n;
            }

            int recordLength = BitConverter.ToUInt16(_buffer, _position + Interop.Sys.DirentRecLenOffset);
            type = _buffer[_position + Interop.Sys.DirentTypeOffset];
            ReadOnlySpan<byte> raw = new(_buffer, _position + Interop.Sys.DirentNameOffset, recordLength - Interop.Sys.DirentNameOffset);
            int nul = raw.IndexOf((byte)0);
            name = nul >= 0 ? raw[..nul] : raw;
            _position += recordLength;
            if (name.SequenceEqual("."u8) || name.SequenceEqual(".."u8))
            {
                continue;
            }

            return true;
        }
    }

    /// <summary>Closes the directory.</summary>
    public void Dispose()
    {
        if (_buffer is not null && _fd >= 0)
        {
            Interop.Sys.Close(_fd);
            _fd = -1;
        }
    }
}
