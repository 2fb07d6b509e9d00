namespace IscsiNative.VmTests.Infrastructure;

/// <summary>iscsiadm exit codes the tests check (open-iscsi include/iscsi_err.h).</summary>
public static class IscsiadmExitCode
{
    /// <summary>ISCSI_SUCCESS.</summary>
    public const int Success = 0;

    /// <summary>ISCSI_ERR_FATAL_LOGIN: non-retryable login failure, e.g. the target failed mutual CHAP.</summary>
    public const int LoginFatal = 19;

    /// <summary>ISCSI_ERR_NO_OBJS_FOUND: e.g. "No active sessions."</summary>
    public const int NoObjectsFound = 21;

    /// <summary>ISCSI_ERR_LOGIN_AUTH_FAILED: the target rejected the CHAP exchange.</summary>
    public const int LoginAuthFailed = 24;
}
