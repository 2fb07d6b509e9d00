using Microsoft.Extensions.Logging;

namespace IscsiNative.Netlink;

/// <summary>Log messages of the netlink layer. PDU data and parameter values are never logged (CHAP).</summary>
internal static partial class NetlinkLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "netlink port {PortId}: {Operation} sent ({Length} bytes)")]
    internal static partial void RequestSent(ILogger logger, uint portId, string operation, int length);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "{Operation} reply: type {ReplyType}, iferror {IfError}, retcode {RetCode}")]
    internal static partial void ReplyReceived(ILogger logger, string operation, uint replyType, int ifError, int retCode);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "kernel event {EventType} (sid {Sid}, cid {Cid}, host {HostNumber}, error {Error})")]
    internal static partial void EventReceived(ILogger logger, IscsiUeventType eventType, uint? sid, uint? cid, uint? hostNumber, IscsiConnectionError? error);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "RECV_PDU for sid {Sid} cid {Cid}: opcode 0x{Opcode:X2}, {DataLength} data bytes")]
    internal static partial void PduReceived(ILogger logger, uint sid, uint cid, byte opcode, int dataLength);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Debug, Message = "GET_STATS data for sid {Sid} cid {Cid} ({Custom} custom counters)")]
    internal static partial void StatsReceived(ILogger logger, uint sid, uint cid, int custom);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Warning, Message = "unicast netlink message of type {NetlinkType} matches no outstanding request; dropped")]
    internal static partial void UnmatchedReply(ILogger logger, ushort netlinkType);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Warning, Message = "netlink datagram of {Length} bytes does not fit the {BufferSize}-byte receive buffer; dropped")]
    internal static partial void TruncatedDatagram(ILogger logger, int length, int bufferSize);

    [LoggerMessage(EventId = 1112, Level = LogLevel.Warning, Message = "malformed netlink datagram of {Length} bytes (groups {Groups}); dropped")]
    internal static partial void MalformedDatagram(ILogger logger, int length, uint groups);

    [LoggerMessage(EventId = 1113, Level = LogLevel.Warning, Message = "the kernel dropped netlink messages (ENOBUFS): events may be lost")]
    internal static partial void EventsLost(ILogger logger);

    [LoggerMessage(EventId = 1114, Level = LogLevel.Warning, Message = "event queue of a subscriber is full; the oldest event was dropped")]
    internal static partial void SubscriberOverflow(ILogger logger);

    [LoggerMessage(EventId = 1120, Level = LogLevel.Error, Message = "netlink reader stopped: {Errno}")]
    internal static partial void ReaderFailed(ILogger logger, string errno);
}
