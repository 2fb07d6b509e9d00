using System.Collections.Concurrent;

namespace IscsiNative.Initiator;

/// <summary>
/// Bounds how many recovery reconnects of one initiator run against the same portal at once. Without it every session
/// of a target that comes back reconnects in the same instant: with hundreds of sessions the target's login thread,
/// the kernel's netlink path and the event socket's receive buffer (a Login Response the kernel cannot multicast
/// fails its connection) are swamped, attempts time out or fail and all retry together again. Portals are independent,
/// so sessions of a target that is down do not hold up those of another.
/// </summary>
internal sealed class ReconnectSlots
{
    /// <summary>Reconnects in flight per portal (address and port).</summary>
    internal const int DefaultPerPortal = 8;

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _portals = new(StringComparer.Ordinal);

    internal ReconnectSlots(int perPortal = DefaultPerPortal)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perPortal, 1);
        PerPortal = perPortal;
    }

    /// <summary>The bound per portal.</summary>
    internal int PerPortal { get; }

    /// <summary>Waits for a slot of <paramref name="portal"/>; dispose the result to give it back.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while waiting.</exception>
    internal async Task<IDisposable> EnterAsync(IscsiPortal portal, CancellationToken cancellationToken)
    {
        SemaphoreSlim slots = _portals.GetOrAdd(portal.ToString(), static (_, n) => new SemaphoreSlim(n, n), PerPortal);
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Slot(slots);
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
