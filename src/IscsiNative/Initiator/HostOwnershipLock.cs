using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace IscsiNative.Initiator;

/// <summary>
/// The host-wide "one session owner" lock: an exclusive flock(2) on <c>LOCKDIR/owner.lock</c> (default
/// <c>/run/lock/iscsinative</c>), held for as long as the owning <see cref="IscsiInitiator"/> lives. The file holds the
/// owner's pid (decimal, newline) for the error a refused adopter gets. flock locks belong to the open file description,
/// so two owners in one process conflict as well, and the kernel drops the lock when the owner dies (kill -9 included):
/// no stale-lock handling is needed. Nothing else (iscsiadm, iscsid) takes this lock; iscsid is detected separately.
/// </summary>
internal sealed class HostOwnershipLock : IDisposable
{
    /// <summary>The lock file's name inside the lock directory.</summary>
    internal const string FileName = "owner.lock";

    private int _fd;

    private HostOwnershipLock(int fd, string path)
    {
        _fd = fd;
        Path = path;
    }

    internal string Path { get; }

    /// <summary>Takes the lock without waiting.</summary>
    /// <param name="directory">The lock directory (created 0755 if missing).</param>
    /// <param name="ownerPid">When refused: the holder's pid, if it wrote one.</param>
    /// <returns>The held lock, or null when another holder has it.</returns>
    /// <exception cref="UnauthorizedAccessException">The lock file cannot be created or opened.</exception>
    /// <exception cref="IscsiException">flock failed for another reason.</exception>
    internal static unsafe HostOwnershipLock? TryAcquire(string directory, out int? ownerPid)
    {
        ownerPid = null;
        Directory.CreateDirectory(directory);
        string path = System.IO.Path.Combine(directory, FileName);
        byte[] utf8 = Encoding.UTF8.GetBytes(path + "\0");
        int fd;
        fixed (byte* p = utf8)
        {
            fd = Interop.Sys.Open(p, Interop.Sys.O_RDWR | Interop.Sys.O_CREAT | Interop.Sys.O_CLOEXEC, 0b110_100_100);
        }

        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw errno is Errno.EACCES or Errno.EPERM
                ? new UnauthorizedAccessException($"Cannot open the session ownership lock {path} ({Errno.Name(errno)}): root is needed.")
                : new IscsiException($"Cannot open the session ownership lock {path}: {Errno.Name(errno)}.");
        }

        if (Interop.Sys.Flock(fd, Interop.Sys.LOCK_EX | Interop.Sys.LOCK_NB) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EAGAIN)
            {
                Interop.Sys.Close(fd);
                throw new IscsiException($"flock of the session ownership lock {path} failed: {Errno.Name(errno)}.");
            }

            // The holder writes its pid right after taking the lock; give it a moment if we raced it.
            for (int i = 0; i < 20 && (ownerPid = ReadPid(fd)) is null; i++)
            {
                Thread.Sleep(10);
            }

            Interop.Sys.Close(fd);
            return null;
        }

        byte[] pid = Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        _ = Interop.Sys.FTruncate(fd, 0);
        fixed (byte* p = pid)
        {
            _ = Interop.Sys.PWrite(fd, p, pid.Length, 0);
        }

        return new HostOwnershipLock(fd, path);
    }

    /// <summary>Releases the lock (close drops it; the file stays, empty of meaning until the next owner writes its pid).</summary>
    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            Interop.Sys.Close(fd);
        }
    }

    private static unsafe int? ReadPid(int fd)
    {
        byte* buffer = stackalloc byte[32];
        nint n = Interop.Sys.PRead(fd, buffer, 32, 0);
        if (n <= 0)
        {
            return null;
        }

        ReadOnlySpan<byte> text = new ReadOnlySpan<byte>(buffer, (int)n).TrimEnd((byte)'\n');
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0 ? pid : null;
    }
}
