namespace IscsiNative.Nodes;

/// <summary>Whole-file replacement: write a temporary file (0600) in the DB root, fsync, rename over the target.</summary>
internal static class AtomicFile
{
    internal const UnixFileMode FileMode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    internal const UnixFileMode DirMode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> so readers see the old or the new file, never a part.</summary>
    /// <param name="tempDirectory">Same file system as the target and outside any directory iscsiadm lists as records.</param>
    /// <param name="path">The target file.</param>
    /// <param name="content">The text (UTF-8).</param>
    internal static void Write(string tempDirectory, string path, string content) =>
        Write(tempDirectory, path, System.Text.Encoding.UTF8.GetBytes(content));

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> so readers see the old or the new file, never a part.</summary>
    /// <param name="tempDirectory">Same file system as the target and outside any directory iscsiadm lists as records.</param>
    /// <param name="path">The target file.</param>
    /// <param name="bytes">The file content.</param>
    internal static void Write(string tempDirectory, string path, byte[] bytes)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The open-iscsi node database exists on Linux only.");
        }

        string temp = Path.Combine(tempDirectory, $".iscsinative-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = FileMode0600,
            }))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
            }

            throw;
        }
    }

    internal static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The open-iscsi node database exists on Linux only.");
        }

        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, DirMode0700);
        }
    }
}
