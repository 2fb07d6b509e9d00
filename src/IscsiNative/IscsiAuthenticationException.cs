namespace IscsiNative;

/// <summary>
/// Authentication failed: the target answered status 0x0201 (authentication failure) or 0x0202 (authorization
/// failure), or the initiator could not verify the target in mutual CHAP. Never carries a secret.
/// </summary>
public class IscsiAuthenticationException : IscsiLoginException
{
    /// <summary>Creates an exception for a Login Response with status class 2, detail 1 or 2.</summary>
    /// <param name="statusClass">Status-Class byte.</param>
    /// <param name="statusDetail">Status-Detail byte.</param>
    public IscsiAuthenticationException(byte statusClass, byte statusDetail)
        : base(LoginStatus.Classify(statusClass, statusDetail), statusClass, statusDetail, null, null)
    {
    }

    /// <summary>Creates an exception for a failure the initiator detected (mutual CHAP verification).</summary>
    /// <param name="message">What failed, without secrets.</param>
    public IscsiAuthenticationException(string message)
        : base(LoginFailureKind.TargetAuthenticationFailed, 0, 0, null, message)
    {
    }

    /// <summary>Whether the initiator refused the target (mutual CHAP), rather than the target refusing the initiator.</summary>
    public bool IsTargetVerificationFailure => StatusClass == 0;
}
