namespace IscsiNative.Initiator;

/// <summary>The kernel destroyed a session (ISCSI_KEVENT_DESTROY_SESSION).</summary>
/// <param name="Sid">The session id.</param>
/// <param name="HostNumber">Its former SCSI host.</param>
public sealed record IscsiSessionDestroyedEvent(int Sid, int HostNumber) : IscsiSessionEvent(Sid);
