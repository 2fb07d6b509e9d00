using System.Globalization;
using IscsiNative.Netlink;
using IscsiNative.Sysfs;
using Microsoft.Extensions.Logging;

namespace IscsiNative.Initiator;

/// <summary>
/// Taking ownership of sessions this initiator did not log in (after a restart or a crash of their creator): the host
/// ownership lock and the node-independent half of adoption. Matching sessions to open-iscsi node records, and the
/// public <c>AdoptSessionsAsync</c>, live in the IscsiNative.Nodes package, which drives <see cref="BeginAdoptionAsync"/>.
/// </summary>
public sealed partial class IscsiInitiator
{
    private readonly SemaphoreSlim _adoptGate = new(1, 1);
    private HostOwnershipLock? _ownership;

    /// <summary>
    /// Whether this initiator holds the host-wide session ownership lock, taken by an adoption
    /// (<c>IscsiNative.Nodes</c>' <c>AdoptSessionsAsync</c>) and held until it is disposed.
    /// </summary>
    public bool OwnsHost => Volatile.Read(ref _ownership) is not null;

    /// <summary>
    /// Starts an adoption (entry point of IscsiNative.Nodes, through InternalsVisibleTo): waits for any other adoption of
    /// this initiator to end, takes the host ownership lock (unless held already), loads iscsi_tcp when missing, and
    /// subscribes to the kernel events before the caller reads sysfs, so that a connection error from then on reaches
    /// the recovery and one from before shows as a FAILED state. Dispose the result to end the adoption.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="recovery"/> (what adopted sessions will reconnect with) is invalid.</exception>
    /// <param name="recovery">What adopted sessions will reconnect with (validated first).</param>
    /// <param name="lockDirectory">Where the host ownership lock lives.</param>
    /// <param name="refuseWhenIscsidRuns">Refuse while iscsid runs.</param>
    /// <param name="iscsidAbstractName">iscsid's abstract socket name.</param>
    /// <param name="procRoot">procfs (tests use a fixture).</param>
    /// <param name="iscsidPidFile">iscsid's pid file.</param>
    /// <param name="refused">
    /// Makes the exception thrown when the host has another owner: (owned by iscsid rather than another adopter, its pid
    /// when known, the message). The caller's package owns the exception type.
    /// </param>
    /// <param name="cancellationToken">Cancels the wait for another adoption.</param>
    /// <returns>The adoption; dispose it to end it.</returns>
    /// <exception cref="UnauthorizedAccessException">Not root.</exception>
    /// <exception cref="ObjectDisposedException">The initiator was disposed.</exception>
    internal async Task<SessionAdoption> BeginAdoptionAsync(
        SessionRecoveryOptions recovery,
        string lockDirectory,
        bool refuseWhenIscsidRuns,
        string iscsidAbstractName,
        string procRoot,
        string iscsidPidFile,
        Func<bool, int?, string, Exception> refused,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recovery);
        recovery.Validate();
        ThrowIfDisposed();
        await _adoptGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ILogger logger = Options.LoggerFactory.CreateLogger<IscsiInitiator>();
            HostOwnershipLock ownership = _ownership ?? TakeOwnership(lockDirectory, refuseWhenIscsidRuns, iscsidAbstractName, procRoot, iscsidPidFile, refused, logger);

            // A fresh boot has no iscsi_tcp yet: load it (as iscsid does lazily) so the event socket opens.
            EnsureTransportModule("tcp");
            return new SessionAdoption(this, Recovery, Kernel, ownership.Path, logger);
        }
        catch
        {
            _adoptGate.Release();
            throw;
        }
    }

    /// <summary>Ends an adoption started by <see cref="BeginAdoptionAsync"/>.</summary>
    internal void EndAdoption() => _adoptGate.Release();

    private HostOwnershipLock TakeOwnership(
        string lockDirectory, bool refuseWhenIscsidRuns, string iscsidAbstractName, string procRoot, string iscsidPidFile, Func<bool, int?, string, Exception> refused, ILogger logger)
    {
        if (refuseWhenIscsidRuns && IscsidPresence.IsRunning(procRoot, iscsidPidFile, iscsidAbstractName, out int? iscsid))
        {
            string who = iscsid is int p ? string.Create(CultureInfo.InvariantCulture, $" (pid {p})") : "";
            throw refused(
                true,
                iscsid,
                $"iscsid is running{who} and owns the sessions of this host: not adopting them (stop iscsid and iscsid.socket first, or leave the sessions to it).");
        }

        HostOwnershipLock ownership = HostOwnershipLock.TryAcquire(lockDirectory, out int? owner)
            ?? throw refused(
                false,
                owner,
                $"Another process owns the sessions of this host: {Path.Combine(lockDirectory, HostOwnershipLock.FileName)} is locked"
                + (owner is int pid ? string.Create(CultureInfo.InvariantCulture, $" by pid {pid}.") : "."));
        RecoveryLog.OwnershipTaken(logger, ownership.Path);
        Volatile.Write(ref _ownership, ownership);
        return ownership;
    }

    partial void DisposeOwnership()
    {
        Interlocked.Exchange(ref _ownership, null)?.Dispose();
        _adoptGate.Dispose();
    }
}
