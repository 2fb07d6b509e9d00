using System.Buffers;
using System.Net.Sockets;

namespace IscsiNative.Netlink;

/// <summary>
/// Several NETLINK_ISCSI requests encoded back to back (each padded to NLMSG_ALIGN) for one <c>sendmsg</c>: the
/// kernel runs them in order under one take of its rx mutex and queues one reply each (KERNEL-ABI.md §1). A failed
/// request does not stop the later ones in the kernel, so put only requests whose later members fail harmlessly
/// (EINVAL lookups) when an earlier one fails. Built by <see cref="IscsiKernelTransport.NewBatch"/>, sent by
/// <see cref="IscsiKernelTransport.SendBatchAsync"/>; the buffer (it may hold a CHAP secret) is cleared on dispose.
/// </summary>
internal sealed class KernelBatch : IDisposable
{
    private readonly IscsiKernelTransport _owner;
    private readonly List<KernelRequest> _requests = [];
    private readonly List<(int Offset, int Length)> _spans = [];
    private readonly List<Socket> _sockets = [];
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);
    private int _length;

    internal KernelBatch(IscsiKernelTransport owner) => _owner = owner;

    /// <summary>The requests, in order.</summary>
    internal IReadOnlyList<KernelRequest> Requests => _requests;

    /// <summary>The encoded messages, back to back.</summary>
    internal ReadOnlySpan<byte> Messages => _buffer.AsSpan(0, _length);

    /// <summary>Message <paramref name="index"/> alone (for the one-by-one fallback).</summary>
    internal ReadOnlyMemory<byte> Message(int index) => _buffer.AsMemory(_spans[index].Offset, _spans[index].Length);

    /// <summary>Number of requests.</summary>
    internal int Count => _requests.Count;

    /// <summary>Sockets whose fd a BIND_CONN of this batch names: kept open (AddRef) while the batch is sent.</summary>
    internal IReadOnlyList<Socket> Sockets => _sockets;

    internal KernelBatch CreateConnection(uint sid, uint cid) =>
        Add(new KernelRequest(IscsiUeventType.CreateConn, sid, cid), IscsiUeventWriter.HeadSize, (d, s) => IscsiUeventWriter.Connection(d, s, IscsiUeventType.CreateConn, sid, cid));

    internal KernelBatch BindConnection(uint sid, uint cid, Socket socket, bool isLeading)
    {
        _sockets.Add(socket);
        ulong fd = (ulong)(uint)(int)socket.SafeHandle.DangerousGetHandle();
        return Add(new KernelRequest(IscsiUeventType.BindConn, sid, cid), IscsiUeventWriter.HeadSize, (d, s) => IscsiUeventWriter.BindConn(d, s, sid, cid, fd, isLeading));
    }

    /// <summary>SET_PARAM with an ASCII value (not kept: the caller may clear it right after).</summary>
    internal KernelBatch SetParam(uint sid, uint cid, IscsiParam param, ReadOnlySpan<byte> ascii)
    {
        var request = new KernelRequest(IscsiUeventType.SetParam, sid, cid);
        int length = IscsiUeventWriter.ParamMessageLength(ascii.Length);
        Span<byte> destination = Reserve(length);
        int written = IscsiUeventWriter.SetParam(destination, _owner.Stamp(), sid, cid, param, ascii);
        return Commit(request, written);
    }

    internal KernelBatch SetHostParam(uint host, IscsiHostParam param, ReadOnlySpan<byte> ascii)
    {
        var request = new KernelRequest(IscsiUeventType.SetHostParam, HostNumber: host);
        int length = IscsiUeventWriter.ParamMessageLength(ascii.Length);
        Span<byte> destination = Reserve(length);
        int written = IscsiUeventWriter.SetHostParam(destination, _owner.Stamp(), host, param, ascii);
        return Commit(request, written);
    }

    internal KernelBatch StartConnection(uint sid, uint cid) =>
        Add(new KernelRequest(IscsiUeventType.StartConn, sid, cid), IscsiUeventWriter.HeadSize, (d, s) => IscsiUeventWriter.Connection(d, s, IscsiUeventType.StartConn, sid, cid));

    internal KernelBatch StopConnection(uint sid, uint cid, IscsiStopConnFlag flag) =>
        Add(new KernelRequest(IscsiUeventType.StopConn, sid, cid), IscsiUeventWriter.HeadSize, (d, s) => IscsiUeventWriter.StopConn(d, s, sid, cid, flag));

    internal KernelBatch DestroyConnection(uint sid, uint cid) =>
        Add(new KernelRequest(IscsiUeventType.DestroyConn, sid, cid), IscsiUeventWriter.HeadSize, (d, s) => IscsiUeventWriter.Connection(d, s, IscsiUeventType.DestroyConn, sid, cid));

    internal KernelBatch SessionOnly(IscsiUeventType type, uint sid) =>
        Add(new KernelRequest(type, sid), IscsiUeventWriter.HeadSize, (d, s) => IscsiUeventWriter.SessionOnly(d, s, type, sid));

    internal KernelBatch SendPdu(uint sid, uint cid, ReadOnlySpan<byte> bhs, ReadOnlySpan<byte> data)
    {
        var request = new KernelRequest(IscsiUeventType.SendPdu, sid, cid);
        Span<byte> destination = Reserve(IscsiUeventWriter.SendPduMessageLength(data.Length));
        return Commit(request, IscsiUeventWriter.SendPdu(destination, _owner.Stamp(), sid, cid, bhs, data));
    }

    /// <summary>Clears and returns the buffer.</summary>
    public void Dispose()
    {
        byte[] buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            buffer.AsSpan().Clear();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private KernelBatch Add(KernelRequest request, int length, Encoder encode)
    {
        Span<byte> destination = Reserve(length);
        return Commit(request, encode(destination, _owner.Stamp()));
    }

    private Span<byte> Reserve(int length)
    {
        int needed = _length + length + 4;
        if (needed > _buffer.Length)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            _buffer.AsSpan().Clear();
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        return _buffer.AsSpan(_length, length);
    }

    private KernelBatch Commit(KernelRequest request, int written)
    {
        _requests.Add(request);
        _spans.Add((_length, written));

        // NLMSG_ALIGN: the kernel steps to the next message at the 4-byte-aligned end of this one.
        int aligned = (written + 3) & ~3;
        _buffer.AsSpan(_length + written, aligned - written).Clear();
        _length += aligned;
        return this;
    }

    private delegate int Encoder(Span<byte> destination, NetlinkRequestStamp stamp);
}
