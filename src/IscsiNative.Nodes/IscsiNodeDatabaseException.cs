namespace IscsiNative.Nodes;

/// <summary>
/// A node database operation failed (iscsiadm's error 6, ISCSI_ERR_IDBM): the lock could not be taken, a record is
/// missing, or a file could not be written. <see cref="IscsiadmErrorCode"/> is the iscsiadm exit code of the same failure.
/// </summary>
public class IscsiNodeDatabaseException : IscsiException
{
    /// <summary>Creates the exception with iscsiadm's error 6 (database failure).</summary>
    /// <param name="message">What failed (no secrets).</param>
    public IscsiNodeDatabaseException(string message)
        : this(message, 6, null)
    {
    }

    /// <summary>Creates the exception with iscsiadm's error 6 (database failure).</summary>
    /// <param name="message">What failed (no secrets).</param>
    /// <param name="innerException">The cause.</param>
    public IscsiNodeDatabaseException(string message, Exception? innerException)
        : this(message, 6, innerException)
    {
    }

    /// <summary>Creates the exception with an explicit iscsiadm error code.</summary>
    /// <param name="message">What failed (no secrets).</param>
    /// <param name="iscsiadmErrorCode">The iscsiadm exit code of the same failure (6 database, 15 session exists, 21 not found).</param>
    /// <param name="innerException">The cause, if any.</param>
    public IscsiNodeDatabaseException(string message, int iscsiadmErrorCode, Exception? innerException = null)
        : base(message, innerException)
    {
        IscsiadmErrorCode = iscsiadmErrorCode;
    }

    /// <summary>The iscsiadm exit code of the same failure.</summary>
    public int IscsiadmErrorCode { get; }
}
