namespace IscsiNative.Initiator;

/// <summary>
/// This initiator stopped reconnecting one of its sessions (attempt or time limit reached, or the session vanished).
/// The session stays in the kernel (FAILED, then FREE after recovery_tmo) until <see cref="IscsiInitiator.LogoutAsync(int, TimeSpan?, CancellationToken)"/>.
/// </summary>
/// <param name="Sid">The session id.</param>
/// <param name="Attempts">Reconnect attempts made.</param>
/// <param name="LastError">Why the last attempt failed, if one was made.</param>
public sealed record IscsiSessionRecoveryFailedEvent(int Sid, int Attempts, Exception? LastError) : IscsiSessionEvent(Sid);
