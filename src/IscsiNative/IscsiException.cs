namespace IscsiNative;

/// <summary>
/// Base class of every error the library raises about iSCSI state, the kernel transport or a peer.
/// Derived types carry the cause (login status, kernel errno and operation, malformed peer input).
/// </summary>
public class IscsiException : IOException
{
    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What failed, without secrets.</param>
    public IscsiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">What failed, without secrets.</param>
    /// <param name="innerException">The underlying cause.</param>
    public IscsiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
