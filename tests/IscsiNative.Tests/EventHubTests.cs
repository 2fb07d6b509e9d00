using System.Threading.Channels;

namespace IscsiNative.Tests;

public sealed class EventHubTests
{
    [Fact]
    public void Every_subscriber_gets_every_event_it_accepts_in_order()
    {
        var hub = new EventHub<int>(16);
        Channel<int> all = hub.Subscribe();
        Channel<int> even = hub.Subscribe(static e => e % 2 == 0);

        for (int i = 1; i <= 4; i++)
        {
            hub.Publish(i);
        }

        Assert.Equal([1, 2, 3, 4], Drain(all));
        Assert.Equal([2, 4], Drain(even));
    }

    [Fact]
    public void A_full_queue_drops_its_oldest_and_reports_it_while_a_filtered_one_keeps_its_events()
    {
        List<int> dropped = [];
        var hub = new EventHub<int>(2, dropped.Add);
        Channel<int> all = hub.Subscribe();
        Channel<int> rare = hub.Subscribe(static e => e < 0);

        hub.Publish(-1);
        for (int i = 1; i <= 3; i++)
        {
            hub.Publish(i);
        }

        Assert.Equal([2, 3], Drain(all));
        Assert.Equal([-1, 1], dropped);
        Assert.Equal([-1], Drain(rare));
    }

    [Fact]
    public void Only_the_subscriber_whose_queue_dropped_an_event_is_told_it_lost_one()
    {
        List<int> dropped = [];
        int allLost = 0, rareLost = 0;
        var hub = new EventHub<int>(2, dropped.Add);
        Channel<int> all = hub.Subscribe(lost: () => allLost++);
        Channel<int> rare = hub.Subscribe(static e => e < 0, () => rareLost++);

        for (int i = 1; i <= 4; i++)
        {
            hub.Publish(i);
        }

        hub.Publish(-1);

        Assert.Equal(3, allLost); // 1, 2 and 3 pushed out
        Assert.Equal(0, rareLost);
        Assert.Equal([1, 2, 3], dropped); // the hub-wide callback still sees every drop
        Assert.Equal([4, -1], Drain(all));
        Assert.Equal([-1], Drain(rare));
    }

    [Fact]
    public void Unsubscribe_and_complete_end_the_readers_and_later_subscribers_get_a_completed_queue()
    {
        var hub = new EventHub<int>(4);
        Channel<int> gone = hub.Subscribe();
        Channel<int> stays = hub.Subscribe();

        hub.Unsubscribe(gone);
        hub.Publish(1);
        hub.Complete();
        hub.Publish(2);

        Assert.True(gone.Reader.Completion.IsCompleted);
        Assert.Equal([1], Drain(stays));
        Assert.True(stays.Reader.Completion.IsCompleted);
        Assert.True(hub.Subscribe().Reader.Completion.IsCompleted);
    }

    private static List<int> Drain(Channel<int> channel)
    {
        List<int> items = [];
        while (channel.Reader.TryRead(out int item))
        {
            items.Add(item);
        }

        return items;
    }
}
