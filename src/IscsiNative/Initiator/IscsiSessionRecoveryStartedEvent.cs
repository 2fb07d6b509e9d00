using IscsiNative.Netlink;

namespace IscsiNative.Initiator;

/// <summary>This initiator started reconnecting one of its sessions after a connection error.</summary>
/// <param name="Sid">The session id.</param>
/// <param name="Error">The connection error that started the recovery.</param>
public sealed record IscsiSessionRecoveryStartedEvent(int Sid, IscsiConnectionError Error) : IscsiSessionEvent(Sid);
