namespace IscsiNative.Netlink;

/// <summary>
/// The reader thread: drains the socket continuously (a full receive buffer makes the kernel drop RECV_PDU and kill
/// the connection) and routes unicast replies and GET_STATS data to the outstanding request, RECV_PDU to the
/// per-(sid, cid) queues, and every event to the subscribers.
/// </summary>
internal sealed partial class IscsiNetlinkConnection
{
    private void ReadLoop()
    {
        try
        {
            ReadLoopCore();
        }
        finally
        {
            _readerExited.TrySetResult();
        }
    }

    private void ReadLoopCore()
    {
        while (true)
        {
            NetlinkReceiveResult result = _socket.Receive(_datagram);
            if (result.Woken)
            {
                return;
            }

            if (result.Errno == Errno.ENOBUFS)
            {
                // The overflowed messages are gone; whatever they said must be re-read from sysfs by the subscribers.
                NetlinkLog.EventsLost(_logger);
                _events.Publish(IscsiKernelEvent.Lost);
                continue;
            }

            if (result.Errno != 0)
            {
                NetlinkLog.ReaderFailed(_logger, Errno.Name(result.Errno));
                Volatile.Write(ref _fault, new IscsiKernelException("recvmsg on NETLINK_ISCSI", result.Errno));
                Shutdown(_fault!);
                return;
            }

            try
            {
                Dispatch(_datagram.AsSpan(0, Math.Min(result.Length, _datagram.Length)), result);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A dispatch bug must not stop the drain: the kernel kills connections whose PDUs it cannot deliver.
                NetlinkLog.ReaderFailed(_logger, e.GetType().Name);
            }
        }
    }

    private void Dispatch(ReadOnlySpan<byte> datagram, NetlinkReceiveResult result)
    {
        if (!IscsiNetlinkMessage.TryParse(datagram, out IscsiNetlinkMessage message))
        {
            if (result.Truncated)
            {
                NetlinkLog.TruncatedDatagram(_logger, result.Length, _datagram.Length);
            }
            else
            {
                NetlinkLog.MalformedDatagram(_logger, result.Length, result.SourceGroups);
            }

            return;
        }

        if (result.Truncated)
        {
            // The head is intact; the rest is not. Fail whoever waits for it rather than parse a partial message.
            NetlinkLog.TruncatedDatagram(_logger, result.Length, _datagram.Length);
            string detail = $"a {result.Length}-byte message does not fit the {_datagram.Length}-byte receive buffer";
            if (result.SourceGroups == 0)
            {
                _replies.Fail(message.NetlinkType, Errno.EMSGSIZE, detail);
            }
            else if (message.EventType == IscsiUeventType.KernelRecvPdu)
            {
                uint sid = message.ReadUInt32(IscsiUeventLayout.RecvReqSid);
                uint cid = message.ReadUInt32(IscsiUeventLayout.RecvReqCid);
                _pdus.Fail(sid, cid, new IscsiKernelException("ISCSI_KEVENT_RECV_PDU", Errno.EMSGSIZE, (int)sid, (int)cid, detail: detail));
            }

            return;
        }

        if (result.SourceGroups == 0)
        {
            _replies.Complete(message);
            return;
        }

        switch (message.EventType)
        {
            case IscsiUeventType.KernelRecvPdu:
                DispatchPdu(message);
                break;
            case IscsiUeventType.GetStats when message.NetlinkType == 0:
                _replies.CompleteStats(message);
                break;
            case IscsiUeventType.KernelConnError:
                {
                    uint sid = message.ReadUInt32(IscsiUeventLayout.ConnErrorSid);
                    uint cid = message.ReadUInt32(IscsiUeventLayout.ConnErrorCid);
                    var error = (IscsiConnectionError)message.ReadUInt32(IscsiUeventLayout.ConnErrorError);
                    Publish(new IscsiKernelEvent(message.EventType, sid, cid, Error: error));
                    _pdus.Fail(sid, cid, new IscsiKernelException(
                        "ISCSI_KEVENT_CONN_ERROR", Errno.ENOTCONN, (int)sid, (int)cid, detail: $"connection error {error} ({(uint)error})"));
                    break;
                }

            case IscsiUeventType.KernelCreateSession:
                Publish(new IscsiKernelEvent(message.EventType, message.ReadUInt32(IscsiUeventLayout.CSessionRetSid), HostNumber: message.ReadUInt32(IscsiUeventLayout.CSessionRetHostNo)));
                break;
            case IscsiUeventType.KernelUnbindSession:
                Publish(new IscsiKernelEvent(message.EventType, message.ReadUInt32(IscsiUeventLayout.UnbindSessionSid), HostNumber: message.ReadUInt32(IscsiUeventLayout.UnbindSessionHostNo)));
                break;
            case IscsiUeventType.KernelDestroySession:
                // Reversed against every other event: host_no at 40, sid at 44.
                Publish(new IscsiKernelEvent(message.EventType, message.ReadUInt32(IscsiUeventLayout.DestroyedSessionSid), HostNumber: message.ReadUInt32(IscsiUeventLayout.DestroyedSessionHostNo)));
                break;
            default:
                // Offload-only events (107-111) and anything newer: pass on the type; other fields are not decoded.
                Publish(new IscsiKernelEvent(message.EventType));
                break;
        }
    }

    private void DispatchPdu(in IscsiNetlinkMessage message)
    {
        if (!message.TryGetReceivedPdu(out uint sid, out uint cid, out ReadOnlySpan<byte> bhs, out ReadOnlySpan<byte> data))
        {
            NetlinkLog.MalformedDatagram(_logger, message.Length, 1);
            _pdus.Fail(sid, cid, new IscsiKernelException("ISCSI_KEVENT_RECV_PDU", Errno.EBADMSG, (int)sid, (int)cid, detail: "the PDU is shorter than its BHS says"));
            return;
        }

        NetlinkLog.PduReceived(_logger, sid, cid, (byte)(bhs[0] & 0x3F), data.Length);
        _pdus.Deliver(sid, cid, bhs, data);

        Publish(new IscsiKernelEvent(IscsiUeventType.KernelRecvPdu, sid, cid));
    }

    private void Publish(IscsiKernelEvent e)
    {
        if (e.Type != IscsiUeventType.KernelRecvPdu)
        {
            NetlinkLog.EventReceived(_logger, e.Type, e.Sid, e.Cid, e.HostNumber, e.Error);
        }

        _events.Publish(e);
    }
}
