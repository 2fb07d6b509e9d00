namespace IscsiNative.Initiator;

/// <summary>A kernel iSCSI event (of any session on the system, not only this initiator's).</summary>
/// <param name="Sid">The session id.</param>
public abstract record IscsiSessionEvent(int Sid);
