using Microsoft.Extensions.Logging;

namespace IscsiNative.Volumes;

/// <summary>
/// Listens to kernel uevents (NETLINK_KOBJECT_UEVENT) on a dedicated thread and wakes waiters on every block or
/// SCSI event, so device waits re-check sysfs exactly when the kernel changed something, never on a timer. A lost
/// burst (ENOBUFS) wakes them too (they re-read sysfs). Open it before the action whose events are awaited.
/// </summary>
internal sealed class UeventListener : IDisposable
{
    private const int ReceiveBufferBytes = 4 * 1024 * 1024;
    private readonly int _fd;
    private readonly int _wakeFd;
    private readonly Thread _thread;
    private readonly ILogger _logger;
    private TaskCompletionSource _next = NewSignal();
    private int _disposed;

    private UeventListener(int fd, int wakeFd, ILogger logger)
    {
        _fd = fd;
        _wakeFd = wakeFd;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "iscsinative-uevents" };
        _thread.Start();
    }

    /// <summary>Gets a task that completes at the next relevant uevent (take it before checking the condition).</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Opens the uevent socket and starts the reader thread.</summary>
    /// <exception cref="IscsiKernelException">The socket could not be opened.</exception>
    public static UeventListener Open(ILogger logger)
    {
        int rc = Interop.Shim.UeventOpen(ReceiveBufferBytes, out int fd);
        if (rc < 0)
        {
            throw new IscsiException($"Opening the NETLINK_KOBJECT_UEVENT socket failed: {Errno.Name(-rc)}.");
        }

        rc = Interop.Shim.WakeupCreate(out int wake);
        if (rc < 0)
        {
            Interop.Shim.Close(fd);
            throw new IscsiException($"eventfd for the uevent socket failed: {Errno.Name(-rc)}.");
        }

        return new UeventListener(fd, wake, logger);
    }

    /// <summary>
    /// Returns the first non-null <paramref name="probe"/> result, probing now and after each uevent, until
    /// <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task<T> WaitForAsync<T>(Func<T?> probe, CancellationToken cancellationToken)
        where T : class
    {
        while (true)
        {
            Task next = Next;
            if (probe() is { } result)
            {
                return result;
            }

            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the reader thread and closes the socket.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Interop.Shim.WakeupSignal(_wakeFd);
        _thread.Join();
        Interop.Shim.Close(_fd);
        Interop.Shim.Close(_wakeFd);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static bool IsRelevant(ReadOnlySpan<byte> datagram) =>
        !Uevent.TryParse(datagram, out Uevent e) || e.Subsystem.SequenceEqual("block"u8) || e.Subsystem.SequenceEqual("scsi"u8);

    private void Signal() => Interlocked.Exchange(ref _next, NewSignal()).TrySetResult();

    private unsafe void Run()
    {
        byte[] buffer = new byte[8192];
        fixed (byte* p = buffer)
        {
            while (true)
            {
                int n = Interop.Shim.NetlinkReceive(_fd, _wakeFd, p, buffer.Length, -1, out uint groups, out uint pid, out int flags);
                if (n == -Errno.ECANCELED)
                {
                    return;
                }

                if (n < 0)
                {
                    // ENOBUFS: events were lost; waiters re-read sysfs. Anything else ends the reader (waiters then
                    // run into their deadline instead of a spinning thread).
                    Signal();
                    if (n == -Errno.ENOBUFS)
                    {
                        continue;
                    }

                    VolumeLog.UeventReceiveFailed(_logger, Errno.Name(-n));
                    return;
                }

                // Kernel uevents come from port 0; user-space senders to group 1 are ignored.
                if (pid == 0 && groups != 0 && IsRelevant(buffer.AsSpan(0, Math.Min(n, buffer.Length))))
                {
                    Signal();
                }
            }
        }
    }
}
