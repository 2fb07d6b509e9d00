using IscsiNative.Netlink;

namespace IscsiNative.Initiator;

/// <summary>
/// A connection failed (ISCSI_KEVENT_CONN_ERROR): the kernel dropped the socket, blocked the session and started
/// its recovery timer. A session logged in by this initiator with <see cref="LoginOptions.Recovery"/> enabled is
/// then reconnected (see <see cref="IscsiSessionRecoveryStartedEvent"/>).
/// </summary>
/// <param name="Sid">The session id.</param>
/// <param name="Cid">The connection id.</param>
/// <param name="Error">Why, e.g. <see cref="IscsiConnectionError.TcpConnClose"/> or a NOP timeout.</param>
public sealed record IscsiConnectionErrorEvent(int Sid, int Cid, IscsiConnectionError Error) : IscsiSessionEvent(Sid);
