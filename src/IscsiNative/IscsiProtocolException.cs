namespace IscsiNative;

/// <summary>
/// The peer sent something that breaks RFC 7143 framing or negotiation rules (a malformed header, an oversized data
/// segment, text without bounds, a bad CHAP value, a Reject PDU), or a negotiated result the library cannot accept.
/// </summary>
public class IscsiProtocolException : IscsiException
{
    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What the peer did wrong, without secrets.</param>
    public IscsiProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">What the peer did wrong, without secrets.</param>
    /// <param name="innerException">The underlying cause.</param>
    public IscsiProtocolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
