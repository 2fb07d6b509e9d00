namespace IscsiNative.Initiator;

/// <summary>What an <see cref="IscsiSessionEvent"/> reports; each kind documents which of the event's optional properties it sets.</summary>
public enum IscsiSessionEventKind
{
    /// <summary>
    /// The kernel created a session (ISCSI_KEVENT_CREATE_SESSION), of any process on the system.
    /// Sets <see cref="IscsiSessionEvent.HostNumber"/>.
    /// </summary>
    Created = 0,

    /// <summary>
    /// The kernel removed a session's SCSI target and disks (ISCSI_KEVENT_UNBIND_SESSION, part of logout).
    /// Sets <see cref="IscsiSessionEvent.HostNumber"/>.
    /// </summary>
    Unbound = 1,

    /// <summary>
    /// The kernel destroyed a session (ISCSI_KEVENT_DESTROY_SESSION). Sets <see cref="IscsiSessionEvent.HostNumber"/>
    /// (the former SCSI host).
    /// </summary>
    Destroyed = 2,

    /// <summary>
    /// A connection failed (ISCSI_KEVENT_CONN_ERROR): the kernel dropped the socket, blocked the session and started its
    /// recovery timer. A session logged in by this initiator with <see cref="LoginOptions.Recovery"/> enabled is then
    /// reconnected (<see cref="RecoveryStarted"/> follows). Sets <see cref="IscsiSessionEvent.Cid"/> and
    /// <see cref="IscsiSessionEvent.Error"/>.
    /// </summary>
    ConnectionError = 3,

    /// <summary>
    /// This initiator started reconnecting one of its sessions after a connection error.
    /// Sets <see cref="IscsiSessionEvent.Error"/> (the connection error that started the recovery).
    /// </summary>
    RecoveryStarted = 4,

    /// <summary>
    /// This initiator reconnected one of its sessions: it is LOGGED_IN again with the same sid and SCSI devices.
    /// Sets <see cref="IscsiSessionEvent.Attempts"/>, <see cref="IscsiSessionEvent.Elapsed"/> and
    /// <see cref="IscsiSessionEvent.Parameters"/>.
    /// </summary>
    Recovered = 5,

    /// <summary>
    /// This initiator stopped reconnecting one of its sessions (attempt or time limit reached, or the session vanished).
    /// The session stays in the kernel (FAILED, then FREE after recovery_tmo) until
    /// <see cref="IscsiInitiator.LogoutAsync(int, TimeSpan?, CancellationToken)"/>. Sets
    /// <see cref="IscsiSessionEvent.Attempts"/> and, when an attempt was made, <see cref="IscsiSessionEvent.LastError"/>.
    /// </summary>
    RecoveryFailed = 6,
}
