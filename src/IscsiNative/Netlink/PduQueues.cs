using System.Threading.Channels;

namespace IscsiNative.Netlink;

/// <summary>
/// The RECV_PDU queues, one per (sid, cid) that asked for its PDUs; PDUs of other connections are dropped. A queue
/// carries PDUs or the error that ends the wait of its reader (CONN_ERROR, a PDU too large or malformed).
/// </summary>
internal sealed class PduQueues
{
    private const int Capacity = 64;

    private readonly Lock _gate = new();
    private readonly Dictionary<(uint Sid, uint Cid), Channel<Item>> _queues = [];
    private bool _closed;

    /// <summary>Starts keeping the PDUs of (sid, cid).</summary>
    internal void Open(uint sid, uint cid)
    {
        lock (_gate)
        {
            GetOrCreate(sid, cid);
        }
    }

    /// <summary>The queue of (sid, cid), opened if needed; null once <see cref="CloseAll"/> ran.</summary>
    internal Channel<Item>? TryGet(uint sid, uint cid)
    {
        lock (_gate)
        {
            return _closed ? null : GetOrCreate(sid, cid);
        }
    }

    /// <summary>Stops keeping PDUs of (sid, cid) and releases the ones not taken.</summary>
    internal void Close(uint sid, uint cid)
    {
        Channel<Item>? queue;
        lock (_gate)
        {
            if (!_queues.Remove((sid, cid), out queue))
            {
                return;
            }
        }

        queue.Writer.TryComplete();
        Drain(queue);
    }

    /// <summary>Copies a PDU into the queue of its connection; dropped when nobody keeps that connection's PDUs.</summary>
    internal void Deliver(uint sid, uint cid, ReadOnlySpan<byte> bhs, ReadOnlySpan<byte> data)
    {
        if (Find(sid, cid) is { } queue)
        {
            var pdu = new IscsiReceivedPdu(sid, cid, bhs, data);
            if (!queue.Writer.TryWrite(new Item(pdu, null)))
            {
                pdu.Dispose();
            }
        }
    }

    /// <summary>Ends the wait of the reader of (sid, cid) with <paramref name="error"/>.</summary>
    internal void Fail(uint sid, uint cid, Exception error) => Find(sid, cid)?.Writer.TryWrite(new Item(null, error));

    /// <summary>Completes every queue with <paramref name="reason"/> and releases the PDUs in them.</summary>
    internal void CloseAll(Exception reason)
    {
        List<Channel<Item>> queues;
        lock (_gate)
        {
            _closed = true;
            queues = [.. _queues.Values];
        }

        foreach (Channel<Item> queue in queues)
        {
            queue.Writer.TryComplete(reason);
            Drain(queue);
        }
    }

    private static void Drain(Channel<Item> queue)
    {
        while (queue.Reader.TryRead(out Item item))
        {
            item.Pdu?.Dispose();
        }
    }

    private Channel<Item>? Find(uint sid, uint cid)
    {
        lock (_gate)
        {
            return _queues.GetValueOrDefault((sid, cid));
        }
    }

    private Channel<Item> GetOrCreate(uint sid, uint cid)
    {
        if (!_queues.TryGetValue((sid, cid), out Channel<Item>? queue))
        {
            queue = Channel.CreateBounded<Item>(
                new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true },
                dropped => dropped.Pdu?.Dispose());
            _queues.Add((sid, cid), queue);
        }

        return queue;
    }

    /// <summary>A PDU, or the error that ends the wait.</summary>
    internal readonly record struct Item(IscsiReceivedPdu? Pdu, Exception? Error);
}
