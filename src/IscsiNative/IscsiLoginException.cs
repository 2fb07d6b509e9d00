namespace IscsiNative;

/// <summary>
/// A login was refused: the target answered with a non-zero status class (redirection, initiator error, target error),
/// or the initiator refused the target (see <see cref="IscsiAuthenticationException"/>).
/// </summary>
public class IscsiLoginException : IscsiException
{
    /// <summary>Creates an exception for a Login Response status.</summary>
    /// <param name="statusClass">Status-Class byte of the Login Response (RFC 7143 §11.13.5).</param>
    /// <param name="statusDetail">Status-Detail byte of the Login Response.</param>
    /// <param name="targetAddress">The <c>TargetAddress</c> sent with a redirection, else <see langword="null"/>.</param>
    public IscsiLoginException(byte statusClass, byte statusDetail, string? targetAddress)
        : this(LoginStatus.Classify(statusClass, statusDetail), statusClass, statusDetail, targetAddress, null)
    {
    }

    /// <summary>Creates an exception with an explicit kind and message.</summary>
    /// <param name="kind">What kind of failure this is.</param>
    /// <param name="statusClass">Status-Class byte, 0 when the failure was detected by the initiator.</param>
    /// <param name="statusDetail">Status-Detail byte, 0 when the failure was detected by the initiator.</param>
    /// <param name="targetAddress">The <c>TargetAddress</c> sent with a redirection, else <see langword="null"/>.</param>
    /// <param name="message">Readable text; <see langword="null"/> for a text derived from the status. Never a secret.</param>
    public IscsiLoginException(LoginFailureKind kind, byte statusClass, byte statusDetail, string? targetAddress, string? message)
        : base(message ?? LoginStatus.Describe(statusClass, statusDetail, targetAddress))
    {
        Kind = kind;
        StatusClass = statusClass;
        StatusDetail = statusDetail;
        TargetAddress = targetAddress;
    }

    /// <summary>What kind of failure this is (redirect, authentication, not found, target error, ...).</summary>
    public LoginFailureKind Kind { get; }

    /// <summary>Status-Class of the Login Response: 1 redirection, 2 initiator error, 3 target error; 0 if local.</summary>
    public byte StatusClass { get; }

    /// <summary>Status-Detail of the Login Response.</summary>
    public byte StatusDetail { get; }

    /// <summary>Status-Class and Status-Detail as one number, e.g. <c>0x0201</c> for an authentication failure.</summary>
    public ushort Status => (ushort)((StatusClass << 8) | StatusDetail);

    /// <summary>Where a redirection points (<c>TargetAddress</c> value, <c>host:port,tpgt</c>), else <see langword="null"/>.</summary>
    public string? TargetAddress { get; }

    /// <summary>Whether the target redirected the initiator (status class 1).</summary>
    public bool IsRedirect => StatusClass == LoginStatus.ClassRedirection;
}
