using System.Globalization;

namespace IscsiNative;

/// <summary>
/// A deadline the library enforces passed, or the kernel answered ETIMEDOUT. Every timeout of the library is this
/// one type: connecting to a portal, a login or discovery exchange, a kernel request or PDU wait, a LUN scan or the
/// wait for block devices.
/// </summary>
/// <remarks>
/// <see cref="Operation"/> names what timed out: <c>connect</c>, <c>login</c>, <c>discovery</c>, <c>receive PDU</c>,
/// <c>LUN scan</c>, <c>block devices</c>, or the kernel operation (<c>ISCSI_UEVENT_…</c>, <c>ISCSI_KEVENT_RECV_PDU</c>).
/// When the kernel itself reported ETIMEDOUT the <see cref="Exception.InnerException"/> is the
/// <see cref="IscsiKernelException"/> with its errno and object ids.
/// </remarks>
public class IscsiTimeoutException : IscsiException
{
    /// <summary>Creates the exception for <paramref name="operation"/> after <paramref name="elapsed"/>.</summary>
    /// <param name="operation">What timed out (short, stable; see the remarks of the type).</param>
    /// <param name="elapsed">How long the library waited before giving up.</param>
    /// <param name="detail">Extra context for the message (the target, the portal, the session), without secrets.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    public IscsiTimeoutException(string operation, TimeSpan elapsed, string? detail = null, Exception? innerException = null)
        : base(Format(operation, elapsed, detail), innerException)
    {
        Operation = operation;
        Elapsed = elapsed;
        HResult = 110; // ETIMEDOUT
    }

    /// <summary>What timed out, e.g. <c>connect</c>, <c>login</c> or <c>ISCSI_UEVENT_CREATE_SESSION</c>.</summary>
    public string Operation { get; }

    /// <summary>How long the library waited before giving up.</summary>
    public TimeSpan Elapsed { get; }

    private static string Format(string operation, TimeSpan elapsed, string? detail)
    {
        string text = string.Create(CultureInfo.InvariantCulture, $"{operation} timed out after {elapsed.TotalSeconds:0.###} s");
        return string.IsNullOrEmpty(detail) ? text : text + ": " + detail;
    }
}
