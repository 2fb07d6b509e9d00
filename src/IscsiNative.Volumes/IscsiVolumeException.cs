namespace IscsiNative.Volumes;

/// <summary>A volume attach, detach or extend failed; <see cref="Error"/> says why.</summary>
public sealed class IscsiVolumeException : IscsiException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="error">Why the operation failed.</param>
    /// <param name="message">What happened, naming the volume (never a secret).</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public IscsiVolumeException(VolumeError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>Gets why the operation failed.</summary>
    public VolumeError Error { get; }
}
