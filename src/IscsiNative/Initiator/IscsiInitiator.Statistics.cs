using IscsiNative.Netlink;

namespace IscsiNative.Initiator;

/// <summary>Session statistics (ISCSI_UEVENT_GET_STATS), what <c>iscsiadm -m session -r SID -s</c> prints.</summary>
public sealed partial class IscsiInitiator
{
    /// <summary>Reads the counters of session <paramref name="sid"/>'s leading connection, including the driver's custom ones.</summary>
    /// <param name="sid">The session id.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The counters; <see cref="Formatting.IscsiadmText.FormatStatistics"/> prints them as <c>iscsiadm -m session -r SID -s</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sid"/> is negative.</exception>
    /// <exception cref="IscsiKernelException">No such connection (EEXIST), or no answer in time.</exception>
    /// <exception cref="UnauthorizedAccessException">Not root.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    /// <exception cref="ObjectDisposedException">The initiator was disposed.</exception>
    public Task<IscsiStatistics> GetStatisticsAsync(int sid, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sid);
        return Kernel.GetStatisticsAsync((uint)sid, 0, cancellationToken);
    }
}
