using IscsiNative.Formatting;

namespace IscsiNative.Cli.Commands;

/// <summary>iscsiadm's error texts (usr/iscsi_err.c) and how library exceptions map onto its exit codes.</summary>
internal static class IscsiadmErrors
{
    /// <summary>The text iscsiadm prints for an exit code (<c>initiator reported error (%d - %s)</c>).</summary>
    internal static string Message(IscsiadmExitCode code) => code switch
    {
        IscsiadmExitCode.Success => "",
        IscsiadmExitCode.SessionNotFound => "session not found",
        IscsiadmExitCode.NoMemory => "no available memory",
        IscsiadmExitCode.Idbm => "encountered iSCSI database failure",
        IscsiadmExitCode.Transport => "encountered connection failure",
        IscsiadmExitCode.Login => "encountered iSCSI login failure",
        IscsiadmExitCode.InvalidParameter => "invalid parameter",
        IscsiadmExitCode.TransportTimeout => "connection timed out",
        IscsiadmExitCode.Internal => "internal error",
        IscsiadmExitCode.Logout => "encountered iSCSI logout failure",
        IscsiadmExitCode.PduTimeout => "iSCSI PDU timed out",
        IscsiadmExitCode.TransportNotFound => "iSCSI driver not found. Please make sure it is loaded, and retry the operation",
        IscsiadmExitCode.Access => "daemon access denied",
        IscsiadmExitCode.TransportCapabilities => "iSCSI driver does not support requested capability.",
        IscsiadmExitCode.SessionExists => "session exists",
        IscsiadmExitCode.InvalidManagementRequest => "Unknown request",
        IscsiadmExitCode.IsnsUnavailable => "iSNS service not supported",
        IscsiadmExitCode.IscsidCommunicationError => "could not communicate to iscsid",
        IscsiadmExitCode.IscsidNotConnected => "could not connect to iscsid",
        IscsiadmExitCode.HostNotFound => "host not found",
        IscsiadmExitCode.IsnsQuery => "iSNS query failed",
        IscsiadmExitCode.IsnsRegistrationFailed => "iSNS registration failed",
        IscsiadmExitCode.OperationNotSupported => "operation not supported",
        IscsiadmExitCode.Busy => "device or resource in use",
        IscsiadmExitCode.Again => "operation failed but retry may succeed",
        IscsiadmExitCode.UnknownDiscoveryType => "unknown discovery type",
        IscsiadmExitCode.ChildTerminated => "child process terminated",
        IscsiadmExitCode.SessionNotConnected => "target likely not connected",
        IscsiadmExitCode.RequestTimedOut => "iscsid request timed out",
        IscsiadmExitCode.FatalLogin => "encountered non-retryable iSCSI login failure",
        IscsiadmExitCode.NoObjectsFound => "no objects found",
        IscsiadmExitCode.SysfsLookup => "sysfs lookup failure",
        IscsiadmExitCode.LoginAuthenticationFailed => "iSCSI login failed due to authorization failure",
        _ => "unknown error",
    };

    /// <summary>
    /// The exit code iscsid would report for a failed login (usr/initiator.c): authentication 24; other initiator
    /// errors (class 2) and protocol violations 19; target errors (class 3) and redirects are retried by iscsid and end
    /// as 5; connect failures and timeouts 8; a PDU timeout 11; kernel refusals 9; missing privileges 13.
    /// </summary>
    internal static IscsiadmExitCode ForLogin(Exception e) => e switch
    {
        IscsiAuthenticationException => IscsiadmExitCode.LoginAuthenticationFailed,
        IscsiLoginException { StatusClass: 2 } => IscsiadmExitCode.FatalLogin,
        IscsiLoginException => IscsiadmExitCode.Login,
        IscsiProtocolException => IscsiadmExitCode.FatalLogin,
        IscsiTimeoutException { Operation: "login" or "receive PDU" } => IscsiadmExitCode.PduTimeout,
        IscsiTimeoutException => IscsiadmExitCode.TransportTimeout,
        IscsiKernelException k when k.Errno == 2 => IscsiadmExitCode.TransportNotFound,
        IscsiKernelException => IscsiadmExitCode.Internal,
        UnauthorizedAccessException => IscsiadmExitCode.Access,
        IscsiException { InnerException: System.Net.Sockets.SocketException } => IscsiadmExitCode.TransportTimeout,
        IscsiException => IscsiadmExitCode.Transport,
        InvalidOperationException => IscsiadmExitCode.InvalidParameter,
        _ => IscsiadmExitCode.Error,
    };
}
