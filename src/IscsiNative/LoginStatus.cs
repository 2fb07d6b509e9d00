namespace IscsiNative;

/// <summary>Login Response status classes and details (RFC 7143 §11.13.5), with readable texts.</summary>
internal static class LoginStatus
{
    internal const byte ClassSuccess = 0;
    internal const byte ClassRedirection = 1;
    internal const byte ClassInitiatorError = 2;
    internal const byte ClassTargetError = 3;

    internal static LoginFailureKind Classify(byte statusClass, byte statusDetail) => (statusClass, statusDetail) switch
    {
        (1, 1) => LoginFailureKind.TemporaryRedirect,
        (1, 2) => LoginFailureKind.PermanentRedirect,
        (2, 0) => LoginFailureKind.InitiatorError,
        (2, 1) => LoginFailureKind.AuthenticationFailed,
        (2, 2) => LoginFailureKind.AuthorizationFailed,
        (2, 3) => LoginFailureKind.NotFound,
        (2, 4) => LoginFailureKind.TargetRemoved,
        (2, 5) => LoginFailureKind.UnsupportedVersion,
        (2, 6) => LoginFailureKind.TooManyConnections,
        (2, 7) => LoginFailureKind.MissingParameter,
        (2, 8) => LoginFailureKind.CannotIncludeInSession,
        (2, 9) => LoginFailureKind.SessionTypeNotSupported,
        (2, 10) => LoginFailureKind.SessionDoesNotExist,
        (2, 11) => LoginFailureKind.InvalidDuringLogin,
        (2, _) => LoginFailureKind.InitiatorError,
        (3, 0) => LoginFailureKind.TargetError,
        (3, 1) => LoginFailureKind.ServiceUnavailable,
        (3, 2) => LoginFailureKind.OutOfResources,
        (3, _) => LoginFailureKind.TargetError,
        _ => LoginFailureKind.Unknown,
    };

    internal static string Describe(byte statusClass, byte statusDetail, string? targetAddress)
    {
        string what = Classify(statusClass, statusDetail) switch
        {
            LoginFailureKind.TemporaryRedirect => "target moved temporarily",
            LoginFailureKind.PermanentRedirect => "target moved permanently",
            LoginFailureKind.AuthenticationFailed => "authentication failure",
            LoginFailureKind.AuthorizationFailed => "authorization failure",
            LoginFailureKind.NotFound => "target not found",
            LoginFailureKind.TargetRemoved => "target removed",
            LoginFailureKind.UnsupportedVersion => "unsupported iSCSI version",
            LoginFailureKind.TooManyConnections => "too many connections",
            LoginFailureKind.MissingParameter => "missing parameter",
            LoginFailureKind.CannotIncludeInSession => "cannot include connection in session",
            LoginFailureKind.SessionTypeNotSupported => "session type not supported",
            LoginFailureKind.SessionDoesNotExist => "session does not exist",
            LoginFailureKind.InvalidDuringLogin => "invalid request during login",
            LoginFailureKind.InitiatorError => "initiator error",
            LoginFailureKind.ServiceUnavailable => "service unavailable",
            LoginFailureKind.OutOfResources => "target out of resources",
            LoginFailureKind.TargetError => "target error",
            _ => "unknown status",
        };
        string text = $"iSCSI login failed: {what} (status class 0x{statusClass:x2}, detail 0x{statusDetail:x2})";
        return targetAddress is null ? text : text + $", TargetAddress={targetAddress}";
    }
}
