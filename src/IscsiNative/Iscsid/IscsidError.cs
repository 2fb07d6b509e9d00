namespace IscsiNative.Iscsid;

/// <summary>
/// Why a question to iscsid got no usable answer, in iscsiadm's own terms: the ISCSI_ERR_* code
/// <c>iscsid_exec_req</c> would return, the OS errno behind it, and the line iscsiadm writes to stderr for it.
/// </summary>
internal readonly struct IscsidError : IEquatable<IscsidError>
{
    /// <summary>ISCSI_SUCCESS: iscsid answered.</summary>
    public const int Success = 0;

    /// <summary>ISCSI_ERR_SESS_NOT_FOUND: iscsid does not manage a session with that id.</summary>
    public const int SessionNotFound = 2;

    /// <summary>ISCSI_ERR_ACCESS: iscsid refused the peer (it answers only to the user named <c>root</c>).</summary>
    public const int AccessDenied = 13;

    /// <summary>ISCSI_ERR_INVALID_MGMT_REQ: iscsid did not know the command.</summary>
    public const int InvalidManagementRequest = 16;

    /// <summary>ISCSI_ERR_ISCSID_COMM_ERR: the request could not be written or the reply was cut short or mismatched.</summary>
    public const int CommunicationError = 18;

    /// <summary>ISCSI_ERR_ISCSID_NOTCONN: no connection to iscsid (not running: errno 111, ECONNREFUSED).</summary>
    public const int NotConnected = 20;

    /// <summary>ISCSI_ERR_REQ_TIMEDOUT: iscsid did not answer within the timeout.</summary>
    public const int RequestTimedOut = 33;

    /// <summary>Creates an error value.</summary>
    /// <param name="iscsiError">An ISCSI_ERR_* code (0 for success).</param>
    /// <param name="errno">The OS errno behind it, or 0.</param>
    /// <param name="iscsiadmMessage">The text iscsiadm logs for it (without the <c>iscsiadm: </c> prefix), or null.</param>
    public IscsidError(int iscsiError, int errno, string? iscsiadmMessage)
    {
        IscsiError = iscsiError;
        Errno = errno;
        IscsiadmMessage = iscsiadmMessage;
    }

    /// <summary>The ISCSI_ERR_* code (include/iscsi_err.h); 0 when iscsid answered.</summary>
    public int IscsiError { get; }

    /// <summary>The OS errno of the failed call (111 ECONNREFUSED when iscsid is not running, 110 ETIMEDOUT on
    /// timeout), or 0 when the failure has none (iscsid's own error, a short reply).</summary>
    public int Errno { get; }

    /// <summary>
    /// What iscsiadm 2.1.8 writes to stderr for this failure, without its <c>iscsiadm: </c> prefix, e.g.
    /// <c>can not connect to iSCSI daemon (111)!</c>; <see langword="null"/> when iscsiadm prints nothing
    /// (iscsid's own errors such as a session it does not know, or a timeout it never uses).
    /// </summary>
    public string? IscsiadmMessage { get; }

    /// <summary>True when the failure was that iscsid could not be reached at all.</summary>
    public bool IsNotConnected => IscsiError == NotConnected;

    /// <summary>Compares all fields.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when all fields match.</returns>
    public static bool operator ==(IscsidError left, IscsidError right) => left.Equals(right);

    /// <summary>Compares all fields.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when a field differs.</returns>
    public static bool operator !=(IscsidError left, IscsidError right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(IscsidError other) =>
        IscsiError == other.IscsiError && Errno == other.Errno &&
        string.Equals(IscsiadmMessage, other.IscsiadmMessage, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is IscsidError other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(IscsiError, Errno, IscsiadmMessage);

    /// <summary>A diagnostic form, e.g. <c>ISCSI_ERR 20, errno 111: can not connect to iSCSI daemon (111)!</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"ISCSI_ERR {IscsiError}, errno {Errno}" + (IscsiadmMessage is null ? string.Empty : ": " + IscsiadmMessage);
}
