using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;

namespace IscsiNative.Volumes;

/// <summary>
/// Serializes volume operations: an in-process <see cref="SemaphoreSlim"/> per key (shared by every connector of the
/// process) plus a host-wide <c>flock(LOCK_EX)</c> on <c>LOCKDIR/KEY.lock</c> so two processes do not race. Keys:
/// one per volume (target + LUN: attach, detach and extend of the same volume are serialized) and one per target
/// (session creation, LUN scan and the logout decision). Order: volume, then target.
/// </summary>
internal static class VolumeLocks
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> s_gates = new(StringComparer.Ordinal);

    /// <summary>The lock key of a volume.</summary>
    internal static string VolumeKey(string target, int lun) => Sanitize(target) + "-lun" + lun.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The lock key of a target.</summary>
    internal static string TargetKey(string target) => Sanitize(target);

    /// <summary>Takes the in-process gate, then the host-wide file lock.</summary>
    /// <exception cref="IscsiException">The lock file could not be created or locked.</exception>
    internal static async Task<IDisposable> AcquireAsync(string directory, string key, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate = s_gates.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int fd = await LockFileAsync(Path.Combine(directory, key + ".lock"), cancellationToken).ConfigureAwait(false);
            return new Held(gate, fd);
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    private static string Sanitize(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_');
        }

        return sb.ToString();
    }

    private static Task<int> LockFileAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        // open(2) directly: .NET's own file open takes a LOCK_SH|LOCK_NB flock that would make a second process fail
        // instead of wait. The blocking flock runs on its own thread; if the caller gives up first, the continuation
        // closes the descriptor once the lock is obtained (closing releases it).
        Task<int> locking = Task.Factory.StartNew(() => OpenAndLock(path), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return WaitAsync(locking, cancellationToken);

        static async Task<int> WaitAsync(Task<int> locking, CancellationToken cancellationToken)
        {
            try
            {
                return await locking.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _ = locking.ContinueWith(t => Interop.Sys.Close(t.Result), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                throw;
            }
        }
    }

    private static unsafe int OpenAndLock(string path)
    {
        const int O_RDWR = 0x2, O_CREAT = 0x40;
        byte[] bytes = Encoding.UTF8.GetBytes(path + "\0");
        int fd;
        fixed (byte* p = bytes)
        {
            fd = Interop.Sys.Open(p, O_RDWR | O_CREAT | Interop.Sys.O_CLOEXEC, 0x180);
        }

        if (fd < 0)
        {
            throw new IscsiException($"Cannot open the lock file {path}: {Errno.Name(Marshal.GetLastPInvokeError())}.");
        }

        while (Interop.Sys.Flock(fd, Interop.Sys.LOCK_EX) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR)
            {
                Interop.Sys.Close(fd);
                throw new IscsiException($"flock of {path} failed: {Errno.Name(errno)}.");
            }
        }

        return fd;
    }

    private sealed class Held(SemaphoreSlim gate, int fd) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interop.Sys.Close(fd);
                gate.Release();
            }
        }
    }
}
