using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace IscsiNative.Nodes;

/// <summary>
/// open-iscsi's node DB lock (usr/idbm.c <c>idbm_lock</c>/<c>idbm_unlock</c>): the lock is held while the hard link
/// <c>LOCKDIR/lock.write</c> to <c>LOCKDIR/lock</c> exists. Taking it: mkdir the directory (0770) if missing, create
/// <c>lock</c>, then try link() every 10 ms, up to 3000 times (30 s). Threads of this process queue on a semaphore
/// first, because the link alone cannot tell two holders in one process apart.
/// </summary>
internal sealed class NodeDatabaseLock
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    private readonly string _directory;
    private readonly string _lockFile;
    private readonly string _writeFile;
    private readonly TimeSpan _timeout;
    private readonly bool _takeOverStale;
    private readonly ILogger _logger;

    internal NodeDatabaseLock(string directory, TimeSpan timeout, bool takeOverStale, ILogger logger)
    {
        _directory = directory;
        _lockFile = Path.Combine(directory, "lock");
        _writeFile = Path.Combine(directory, "lock.write");
        _timeout = timeout;
        _takeOverStale = takeOverStale;
        _logger = logger;
    }

    /// <summary>Takes the lock; dispose the result to release it.</summary>
    /// <exception cref="UnauthorizedAccessException">The lock directory or link cannot be written (not root).</exception>
    /// <exception cref="IscsiNodeDatabaseException">The lock was not free within the timeout and taking it over is off.</exception>
    internal Releaser Acquire(CancellationToken cancellationToken)
    {
        SemaphoreSlim gate = Gates.GetOrAdd(_writeFile, _ => new SemaphoreSlim(1, 1));
        var clock = Stopwatch.StartNew();
        if (!gate.Wait(_timeout, cancellationToken))
        {
            throw new IscsiNodeDatabaseException($"Timeout on acquiring lock on DB: {_writeFile} (held by this process for {_timeout.TotalSeconds:0} s).");
        }

        try
        {
            Prepare();
            while (true)
            {
                if (Interop.Sys.Link(_lockFile, _writeFile) == 0)
                {
                    return new Releaser(this, gate);
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EEXIST)
                {
                    throw Fail(errno, $"Could not lock discovery DB: {_writeFile}");
                }

                if (clock.Elapsed >= _timeout)
                {
                    if (!_takeOverStale)
                    {
                        throw new IscsiNodeDatabaseException(
                            $"Timeout on acquiring lock on DB: {_writeFile} still exists after {_timeout.TotalSeconds:0} s. " +
                            "Another iscsiadm or iscsid holds it, or a killed one left it behind (remove it if none runs).");
                    }

                    // open-iscsi <= 2.1.9: proceed as if locked; the release removes the other holder's link.
                    NodesLog.StaleLockTakenOver(_logger, _writeFile, _timeout.TotalSeconds);
                    return new Releaser(this, gate);
                }

                cancellationToken.ThrowIfCancellationRequested();
                Thread.Sleep(10);
            }
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    private void Prepare()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The open-iscsi node database exists on Linux only.");
        }

        try
        {
            if (!Directory.Exists(_directory))
            {
                Directory.CreateDirectory(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                    UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute);
            }

            if (!File.Exists(_lockFile))
            {
                using var fs = new FileStream(_lockFile, new FileStreamOptions
                {
                    Mode = FileMode.OpenOrCreate,
                    Access = FileAccess.ReadWrite,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                });
            }
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"Could not open the node DB lock in {_directory}: permission denied. Maybe you are not root?", e);
        }
        catch (IOException e)
        {
            throw new IscsiNodeDatabaseException($"Could not open the node DB lock in {_directory}: {e.Message}", e);
        }
    }

    private static Exception Fail(int errno, string what) => errno is Errno.EACCES or Errno.EPERM or 30 /* EROFS */
        ? new UnauthorizedAccessException($"{what}: {Errno.Name(errno)}. Maybe you are not root?")
        : new IscsiNodeDatabaseException($"{what}: {Errno.Name(errno)}");

    /// <summary>Releases the lock: unlink(lock.write).</summary>
    internal readonly struct Releaser : IDisposable
    {
        private readonly NodeDatabaseLock _owner;
        private readonly SemaphoreSlim _gate;

        internal Releaser(NodeDatabaseLock owner, SemaphoreSlim gate)
        {
            _owner = owner;
            _gate = gate;
        }

        public void Dispose()
        {
            try
            {
                File.Delete(_owner._writeFile);
            }
            catch (IOException e)
            {
                NodesLog.UnlockFailed(_owner._logger, _owner._writeFile, e);
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
