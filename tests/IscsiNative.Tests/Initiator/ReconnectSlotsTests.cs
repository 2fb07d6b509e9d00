using IscsiNative.Initiator;

namespace IscsiNative.Tests.Initiator;

/// <summary>The bound on concurrent recovery reconnects per portal.</summary>
public sealed class ReconnectSlotsTests
{
    [Fact]
    public async Task One_more_reconnect_than_the_bound_waits_for_a_slot_of_its_portal_while_another_portal_is_free()
    {
        var slots = new ReconnectSlots(2);
        var portal = new IscsiPortal("127.0.0.1", 3260);
        using IDisposable first = await slots.EnterAsync(portal, CancellationToken.None);
        IDisposable second = await slots.EnterAsync(new IscsiPortal("127.0.0.1", 3260), CancellationToken.None);

        Task<IDisposable> third = slots.EnterAsync(portal, CancellationToken.None);
        using IDisposable other = await slots.EnterAsync(new IscsiPortal("127.0.0.1", 3261), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.False(third.IsCompleted);

        second.Dispose();
        second.Dispose(); // a second dispose gives nothing back twice
        using IDisposable got = await third.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Task<IDisposable> fourth = slots.EnterAsync(portal, CancellationToken.None);
        Assert.False(fourth.IsCompleted);
    }

    [Fact]
    public async Task A_cancelled_wait_takes_no_slot()
    {
        var slots = new ReconnectSlots(1);
        var portal = new IscsiPortal("127.0.0.1", 3260);
        IDisposable held = await slots.EnterAsync(portal, CancellationToken.None);
        using var cts = new CancellationTokenSource();
        Task<IDisposable> waiting = slots.EnterAsync(portal, cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        held.Dispose();
        using IDisposable next = await slots.EnterAsync(portal, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void An_initiator_refuses_a_reconnect_bound_below_one(int bound)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new IscsiNative.Initiator.IscsiInitiator(new IscsiNative.Initiator.IscsiInitiatorOptions { MaxConcurrentReconnectsPerPortal = bound }));
        Assert.Equal("MaxConcurrentReconnectsPerPortal", e.ParamName);
    }

    [Fact]
    public void The_default_bound_is_the_one_the_256_session_storm_was_run_with()
    {
        Assert.Equal(ReconnectSlots.DefaultPerPortal, new IscsiNative.Initiator.IscsiInitiatorOptions().MaxConcurrentReconnectsPerPortal);
    }
}
