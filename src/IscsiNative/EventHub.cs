using System.Threading.Channels;

namespace IscsiNative;

/// <summary>
/// Fan-out of events to subscribers, each with its own bounded queue: a publisher never blocks, a subscriber more than
/// the capacity behind loses its oldest events (reported through the dropped callback). A subscriber can take only
/// the events it handles, so a flood of others (PDU traffic) cannot push its own out of the queue. Safe for
/// concurrent publishers and subscribers.
/// </summary>
/// <typeparam name="T">The event type.</typeparam>
internal sealed class EventHub<T>
{
    private readonly Lock _gate = new();
    private readonly List<(Channel<T> Channel, Func<T, bool>? Filter)> _subscribers = [];
    private readonly int _capacity;
    private readonly Action<T>? _dropped;
    private bool _completed;

    /// <param name="capacity">Events queued per subscriber before the oldest is dropped.</param>
    /// <param name="dropped">Called with each event dropped from a full queue (on the publisher's thread).</param>
    internal EventHub(int capacity, Action<T>? dropped = null)
    {
        _capacity = capacity;
        _dropped = dropped;
    }

    /// <summary>
    /// A new subscriber queue, receiving every event published from now on (so nothing between this call and the
    /// first read is missed). After <see cref="Complete"/> the queue is returned already completed.
    /// </summary>
    /// <param name="filter">Takes only the events it accepts; null takes all.</param>
    /// <param name="lost">
    /// Called (on the publisher's thread) each time this subscriber's full queue drops an event, so a subscriber that
    /// must not miss state changes can re-read the state itself.
    /// </param>
    /// <returns>The queue to read; end it with <see cref="Unsubscribe"/>.</returns>
    internal Channel<T> Subscribe(Func<T, bool>? filter = null, Action? lost = null)
    {
        Action<T>? dropped = _dropped;
        if (lost is not null)
        {
            dropped = e =>
            {
                _dropped?.Invoke(e);
                lost();
            };
        }

        Channel<T> channel = Channel.CreateBounded(
            new BoundedChannelOptions(_capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped);
        lock (_gate)
        {
            if (!_completed)
            {
                _subscribers.Add((channel, filter));
                return channel;
            }
        }

        channel.Writer.TryComplete();
        return channel;
    }

    /// <summary>Removes a subscriber and completes its queue.</summary>
    internal void Unsubscribe(Channel<T> channel)
    {
        lock (_gate)
        {
            _subscribers.RemoveAll(s => s.Channel == channel);
        }

        channel.Writer.TryComplete();
    }

    /// <summary>Hands an event to every subscriber that takes it (never blocks).</summary>
    internal void Publish(T e)
    {
        lock (_gate)
        {
            foreach ((Channel<T> channel, Func<T, bool>? filter) in _subscribers)
            {
                if (filter is null || filter(e))
                {
                    channel.Writer.TryWrite(e);
                }
            }
        }
    }

    /// <summary>Completes every subscriber queue (readers finish what is queued, then end); later subscribers get a completed queue.</summary>
    internal void Complete()
    {
        List<(Channel<T> Channel, Func<T, bool>? Filter)> subscribers;
        lock (_gate)
        {
            _completed = true;
            subscribers = [.. _subscribers];
            _subscribers.Clear();
        }

        foreach ((Channel<T> channel, _) in subscribers)
        {
            channel.Writer.TryComplete();
        }
    }
}
