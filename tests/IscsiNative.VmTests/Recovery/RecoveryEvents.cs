using System.Collections.Concurrent;
using IscsiNative.Initiator;

namespace IscsiNative.VmTests.Recovery;

/// <summary>Reads <see cref="IscsiInitiator.WatchEventsAsync"/> in the background (subscribed before <see cref="Start"/> returns).</summary>
internal sealed class RecoveryEvents : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<(IscsiSessionEvent Event, DateTime At)> _seen = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private Task _reader = Task.CompletedTask;

    /// <summary>Events of session <paramref name="sid"/> so far, in arrival order.</summary>
    public IReadOnlyList<IscsiSessionEvent> Of(int sid) => [.. _seen.Select(e => e.Event).Where(e => e.Sid == sid)];

    /// <summary>When an event arrived.</summary>
    public DateTime ArrivalOf(IscsiSessionEvent e) => _seen.First(s => ReferenceEquals(s.Event, e)).At;

    public static RecoveryEvents Start(IscsiInitiator initiator)
    {
        var events = new RecoveryEvents();
        IAsyncEnumerator<IscsiSessionEvent> e = initiator.WatchEventsAsync(events._stop.Token).GetAsyncEnumerator(events._stop.Token);
        ValueTask<bool> first = e.MoveNextAsync();
        events._reader = events.ReadAsync(e, first);
        return events;
    }

    /// <summary>Waits (bounded) for an event of kind <paramref name="kind"/> of session <paramref name="sid"/>.</summary>
    public async Task<IscsiSessionEvent> WaitForAsync(IscsiSessionEventKind kind, int sid, TimeSpan timeout)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            if (_seen.Select(s => s.Event).FirstOrDefault(e => e.Kind == kind && e.Sid == sid) is { } found)
            {
                return found;
            }

            try
            {
                await _arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"no {kind} event for session {sid} within {timeout.TotalSeconds} s; seen: {string.Join(", ", Of(sid))}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reader;
    }

    private async Task ReadAsync(IAsyncEnumerator<IscsiSessionEvent> events, ValueTask<bool> first)
    {
        await using (events)
        {
            try
            {
                bool more = await first;
                while (more)
                {
                    _seen.Enqueue((events.Current, DateTime.UtcNow));
                    _arrived.Release();
                    more = await events.MoveNextAsync();
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
