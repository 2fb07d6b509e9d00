namespace IscsiNative;

/// <summary>Kinds of login failure, from the Login Response status (RFC 7143 §11.13.5) or detected locally.</summary>
public enum LoginFailureKind
{
    /// <summary>A status the library does not know.</summary>
    Unknown = 0,

    /// <summary>0x0101: the target moved temporarily; retry at <see cref="IscsiLoginException.TargetAddress"/>.</summary>
    TemporaryRedirect,

    /// <summary>0x0102: the target moved permanently to <see cref="IscsiLoginException.TargetAddress"/>.</summary>
    PermanentRedirect,

    /// <summary>0x0200: miscellaneous initiator error.</summary>
    InitiatorError,

    /// <summary>0x0201: the target could not authenticate the initiator (wrong CHAP name or secret).</summary>
    AuthenticationFailed,

    /// <summary>0x0202: the initiator is not allowed to access this target.</summary>
    AuthorizationFailed,

    /// <summary>0x0203: the target name does not exist.</summary>
    NotFound,

    /// <summary>0x0204: the target was removed.</summary>
    TargetRemoved,

    /// <summary>0x0205: no common iSCSI version.</summary>
    UnsupportedVersion,

    /// <summary>0x0206: too many connections on this session.</summary>
    TooManyConnections,

    /// <summary>0x0207: a required key was missing.</summary>
    MissingParameter,

    /// <summary>0x0208: the connection cannot be added to the session.</summary>
    CannotIncludeInSession,

    /// <summary>0x0209: the session type is not supported.</summary>
    SessionTypeNotSupported,

    /// <summary>0x020a: the session named by the TSIH does not exist.</summary>
    SessionDoesNotExist,

    /// <summary>0x020b: a request was invalid during login.</summary>
    InvalidDuringLogin,

    /// <summary>0x0300: miscellaneous target error.</summary>
    TargetError,

    /// <summary>0x0301: the service is unavailable.</summary>
    ServiceUnavailable,

    /// <summary>0x0302: the target is out of resources.</summary>
    OutOfResources,

    /// <summary>Mutual CHAP: the target's answer did not verify (detected by the initiator).</summary>
    TargetAuthenticationFailed,
}
