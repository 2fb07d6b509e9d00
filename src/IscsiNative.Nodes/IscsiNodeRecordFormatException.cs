namespace IscsiNative.Nodes;

/// <summary>
/// A node database file (node, iface or discovery record, iscsid.conf) has a line that is not <c>key = value</c>,
/// or a value that does not fit its key. Names the file and the line; never carries a secret.
/// </summary>
public sealed class IscsiNodeRecordFormatException : IscsiException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The file.</param>
    /// <param name="lineNumber">The 1-based line, or 0 when the value came from no file line.</param>
    /// <param name="reason">What is wrong (no secret values).</param>
    public IscsiNodeRecordFormatException(string filePath, int lineNumber, string reason)
        : base(lineNumber > 0 ? $"{filePath}:{lineNumber}: {reason}" : $"{filePath}: {reason}")
    {
        FilePath = filePath;
        LineNumber = lineNumber;
    }

    /// <summary>The record file.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line number, or 0.</summary>
    public int LineNumber { get; }
}
