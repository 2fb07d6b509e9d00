namespace IscsiNative.Initiator;

/// <summary>The kernel removed a session's SCSI target and disks (ISCSI_KEVENT_UNBIND_SESSION, part of logout).</summary>
/// <param name="Sid">The session id.</param>
/// <param name="HostNumber">Its SCSI host.</param>
public sealed record IscsiSessionUnboundEvent(int Sid, int HostNumber) : IscsiSessionEvent(Sid);
