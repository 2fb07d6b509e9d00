namespace IscsiNative.Initiator;

/// <summary>The kernel created a session (ISCSI_KEVENT_CREATE_SESSION).</summary>
/// <param name="Sid">The session id.</param>
/// <param name="HostNumber">Its SCSI host.</param>
public sealed record IscsiSessionCreatedEvent(int Sid, int HostNumber) : IscsiSessionEvent(Sid);
