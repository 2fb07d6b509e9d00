using System.Globalization;
using System.Text;

namespace IscsiNative;

/// <summary>
/// The kernel's iSCSI transport refused or failed a request (an <c>iferror</c> or <c>retcode</c> errno in the
/// NETLINK_ISCSI reply), or the netlink socket itself failed. Names the operation and the objects involved,
/// e.g. <c>ISCSI_UEVENT_BIND_CONN (sid 3, cid 0) failed: EEXIST (17)</c>.
/// </summary>
public class IscsiKernelException : IscsiException
{
    /// <summary>Creates the exception for a failed kernel operation.</summary>
    /// <param name="operation">The request or step that failed, e.g. <c>ISCSI_UEVENT_BIND_CONN</c>.</param>
    /// <param name="errno">The positive errno the kernel reported.</param>
    /// <param name="sid">The session id, when the request addressed one.</param>
    /// <param name="cid">The connection id, when the request addressed one.</param>
    /// <param name="hostNumber">The SCSI host number, when the request addressed one.</param>
    /// <param name="detail">Extra text appended to the message, or <see langword="null"/>.</param>
    /// <param name="innerException">The underlying cause, or <see langword="null"/>.</param>
    public IscsiKernelException(string operation, int errno, int? sid = null, int? cid = null, int? hostNumber = null, string? detail = null, Exception? innerException = null)
        : base(Format(operation, errno, sid, cid, hostNumber, detail), innerException)
    {
        Operation = operation;
        Errno = errno;
        Sid = sid;
        Cid = cid;
        HostNumber = hostNumber;
        HResult = errno;
    }

    /// <summary>The request or step that failed, e.g. <c>ISCSI_UEVENT_BIND_CONN</c>.</summary>
    public string Operation { get; }

    /// <summary>The positive errno (e.g. 16 for EBUSY).</summary>
    public int Errno { get; }

    /// <summary>The session id the request addressed, if any.</summary>
    public int? Sid { get; }

    /// <summary>The connection id the request addressed, if any.</summary>
    public int? Cid { get; }

    /// <summary>The SCSI host number the request addressed, if any.</summary>
    public int? HostNumber { get; }

    /// <summary>The symbolic errno name, e.g. <c>EBUSY</c>.</summary>
    public string ErrnoName => Interop.Errno.Name(Errno);

    private static string Format(string operation, int errno, int? sid, int? cid, int? hostNumber, string? detail)
    {
        var text = new StringBuilder(operation);
        var ids = new List<string>(3);
        if (sid is int s)
        {
            ids.Add("sid " + s.ToString(CultureInfo.InvariantCulture));
        }

        if (cid is int c)
        {
            ids.Add("cid " + c.ToString(CultureInfo.InvariantCulture));
        }

        if (hostNumber is int h)
        {
            ids.Add("host " + h.ToString(CultureInfo.InvariantCulture));
        }

        if (ids.Count > 0)
        {
            text.Append(" (").Append(string.Join(", ", ids)).Append(')');
        }

        text.Append(" failed: ").Append(Interop.Errno.Name(errno)).Append(" (").Append(errno.ToString(CultureInfo.InvariantCulture)).Append(')');
        if (!string.IsNullOrEmpty(detail))
        {
            text.Append(": ").Append(detail);
        }

        return text.ToString();
    }
}
