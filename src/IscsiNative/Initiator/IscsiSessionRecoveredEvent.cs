using IscsiNative.Protocol;

namespace IscsiNative.Initiator;

/// <summary>This initiator reconnected one of its sessions: it is LOGGED_IN again with the same sid and SCSI devices.</summary>
/// <param name="Sid">The session id.</param>
/// <param name="Attempts">Reconnect attempts it took (1 = the first one succeeded).</param>
/// <param name="Elapsed">Time from the connection error to START_CONN.</param>
/// <param name="Parameters">What the new login negotiated (the target may assign a new TSIH).</param>
public sealed record IscsiSessionRecoveredEvent(int Sid, int Attempts, TimeSpan Elapsed, NegotiatedParameters Parameters) : IscsiSessionEvent(Sid);
