using System.Buffers.Binary;
using System.Collections.Concurrent;
using IscsiNative.Netlink;
using Errno = IscsiNative.Interop.Errno;

namespace IscsiNative.Tests.Netlink;

/// <summary>
/// A fake group-less request socket: <see cref="Send"/> splits the buffer into NLMSG_ALIGNed messages as the kernel
/// does and asks <see cref="Kernel"/> for each reply (null: dropped); <see cref="Receive"/> hands them out in order.
/// </summary>
internal sealed class FakeRequestSocket(FakeRequestSockets owner) : INetlinkRequestSocket
{
    private readonly Queue<byte[]> _replies = new();

    public bool Disposed { get; private set; }

    public void Send(ReadOnlySpan<byte> messages)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        owner.EnterSend();
        try
        {
            owner.Sends.Enqueue(messages.ToArray());
            while (messages.Length >= 72)
            {
                int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(messages);
                byte[] message = messages[..length].ToArray();
                if (owner.Kernel(message) is { } reply)
                {
                    _replies.Enqueue(reply);
                }

                messages = messages[Math.Min(messages.Length, (length + 3) & ~3)..];
            }
        }
        finally
        {
            owner.LeaveSend();
        }
    }

    public NetlinkReceiveResult Receive(Span<byte> buffer, int timeoutMs)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        if (!_replies.TryDequeue(out byte[]? reply))
        {
            return NetlinkReceiveResult.Failed(Errno.ETIMEDOUT);
        }

        reply.AsSpan(0, Math.Min(reply.Length, buffer.Length)).CopyTo(buffer);
        return NetlinkReceiveResult.Datagram(reply.Length, 0, reply.Length > buffer.Length);
    }

    public void Dispose()
    {
        Disposed = true;
        owner.Closed();
    }
}

/// <summary>The factory and shared state of <see cref="FakeRequestSocket"/>s.</summary>
internal sealed class FakeRequestSockets
{
    private int _inSend;
    private int _maxInSend;
    private int _opened;
    private int _closed;

    /// <summary>The kernel: a reply for one request message, or null to drop it. Called concurrently.</summary>
    public Func<byte[], byte[]?> Kernel { get; set; } = request => KernelMessages.Reply(request);

    /// <summary>Every buffer sent, one entry per sendmsg.</summary>
    public ConcurrentQueue<byte[]> Sends { get; } = new();

    public int MaxConcurrentSends => Volatile.Read(ref _maxInSend);

    public int Opened => Volatile.Read(ref _opened);

    public int ClosedCount => Volatile.Read(ref _closed);

    /// <summary>Pauses inside every send (to make callers overlap).</summary>
    public TimeSpan SendDelay { get; set; }

    public INetlinkRequestSocket Open()
    {
        Interlocked.Increment(ref _opened);
        return new FakeRequestSocket(this);
    }

    internal void EnterSend()
    {
        int now = Interlocked.Increment(ref _inSend);
        int max;
        while (now > (max = Volatile.Read(ref _maxInSend)) && Interlocked.CompareExchange(ref _maxInSend, now, max) != max)
        {
        }

        if (SendDelay > TimeSpan.Zero)
        {
            Thread.Sleep(SendDelay);
        }
    }

    internal void LeaveSend() => Interlocked.Decrement(ref _inSend);

    internal void Closed() => Interlocked.Increment(ref _closed);
}
