namespace IscsiNative.VmTests.Infrastructure;

/// <summary>One iSCSI session as read straight from /sys/class/iscsi_session by the test harness.</summary>
/// <param name="Sid">The session id (N of sessionN).</param>
/// <param name="TargetName">The target IQN.</param>
/// <param name="State">The kernel session state: LOGGED_IN, FAILED or FREE.</param>
public sealed record ProbedSession(int Sid, string TargetName, string State);
