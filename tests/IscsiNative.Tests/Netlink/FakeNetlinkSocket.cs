using System.Collections.Concurrent;
using IscsiNative.Netlink;

namespace IscsiNative.Tests.Netlink;

/// <summary>
/// Stands in for the NETLINK_ISCSI socket: records what is sent, and lets a test play the kernel by queueing
/// datagrams (from <see cref="OnSend"/>, synchronously like the kernel, or at any time with <see cref="Deliver"/>).
/// </summary>
internal sealed class FakeNetlinkSocket : INetlinkSocket
{
    private readonly BlockingCollection<Item> _inbox = [];
    private readonly CancellationTokenSource _wake = new();
    private int _inSend;

    public uint PortId { get; init; } = 4242;

    /// <summary>The kernel: called inside Send with the request; may call <see cref="Deliver"/>.</summary>
    public Action<byte[]>? OnSend { get; set; }

    public ConcurrentQueue<byte[]> Sent { get; } = new();

    public int MaxConcurrentSends { get; private set; }

    public bool Disposed { get; private set; }

    public void Deliver(byte[] datagram, uint groups, int bufferLimit = int.MaxValue) =>
        _inbox.Add(new Item(datagram, groups, 0, bufferLimit));

    public void DeliverError(int errno) => _inbox.Add(new Item([], 0, errno, int.MaxValue));

    public void Send(ReadOnlySpan<byte> message)
    {
        int now = Interlocked.Increment(ref _inSend);
        MaxConcurrentSends = Math.Max(MaxConcurrentSends, now);
        try
        {
            byte[] copy = message.ToArray();
            Sent.Enqueue(copy);
            OnSend?.Invoke(copy);
        }
        finally
        {
            Interlocked.Decrement(ref _inSend);
        }
    }

    public NetlinkReceiveResult Receive(Span<byte> buffer)
    {
        Item item;
        try
        {
            item = _inbox.Take(_wake.Token);
        }
        catch (OperationCanceledException)
        {
            return NetlinkReceiveResult.WokenUp;
        }

        if (item.Errno != 0)
        {
            return NetlinkReceiveResult.Failed(item.Errno);
        }

        int room = Math.Min(buffer.Length, item.BufferLimit);
        int copied = Math.Min(room, item.Data.Length);
        item.Data.AsSpan(0, copied).CopyTo(buffer);
        return NetlinkReceiveResult.Datagram(item.Data.Length, item.Groups, item.Data.Length > room);
    }

    public void Wake() => _wake.Cancel();

    public void Dispose() => Disposed = true;

    private readonly record struct Item(byte[] Data, uint Groups, int Errno, int BufferLimit);
}
