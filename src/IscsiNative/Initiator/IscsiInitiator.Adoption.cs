using System.Globalization;
using IscsiNative.Netlink;
using IscsiNative.Nodes;
using IscsiNative.Sysfs;
using Microsoft.Extensions.Logging;

namespace IscsiNative.Initiator;

/// <summary>Taking ownership of sessions this initiator did not log in (after a restart or a crash of their creator).</summary>
public sealed partial class IscsiInitiator
{
    private readonly SemaphoreSlim _adoptGate = new(1, 1);
    private HostOwnershipLock? _ownership;

    /// <summary>Whether this initiator holds the host-wide session ownership lock (after <see cref="AdoptSessionsAsync"/>).</summary>
    public bool OwnsHost => Volatile.Read(ref _ownership) is not null;

    /// <summary>
    /// Becomes the owner of the host's sessions, as iscsid does at start (SESSIONS-AND-VOLUMES.md §2): takes the host-wide
    /// ownership lock (flock on <c>LOCKDIR/owner.lock</c>, held until this initiator is disposed), reads every session in
    /// sysfs, matches each to its node record by (target, conn0 persistent portal, iface) and TPGT, and from then on
    /// answers its kernel CONN_ERROR with this initiator's recovery (STOP_CONN(RECOVER), reconnect within the session's
    /// replacement_timeout, re-login with the session's ISID and TSIH 0, START_CONN, LUN rescan). A session already
    /// FAILED or FREE (its CONN_ERROR went to nobody) has its recovery started at once. Healthy sessions are not
    /// re-logged in (unlike iscsid's sync). Loads iscsi_tcp when missing. Calling it again adopts the sessions that appeared since.
    /// </summary>
    /// <param name="database">The node records to match (and to take CHAP, timeouts and negotiation keys from).</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels before the sessions are taken.</param>
    /// <returns>Every session found and what became of it; sessions without a (matching) record are reported, not adopted.</returns>
    /// <exception cref="IscsiOwnershipException">iscsid runs, or another adopter holds the ownership lock (its pid is in the exception).</exception>
    /// <exception cref="UnauthorizedAccessException">Not root.</exception>
    /// <exception cref="ObjectDisposedException">The initiator was disposed.</exception>
    public async Task<IscsiAdoptionResult> AdoptSessionsAsync(IscsiNodeDatabase database, IscsiAdoptionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        ThrowIfDisposed();
        options ??= new IscsiAdoptionOptions();
        options.Recovery.Validate();
        await _adoptGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ILogger logger = Options.LoggerFactory.CreateLogger<IscsiInitiator>();
            HostOwnershipLock ownership = _ownership ?? TakeOwnership(options, logger);

            // A fresh boot has no iscsi_tcp yet: load it (as iscsid does lazily) so the event socket opens.
            EnsureTransportModule("tcp");

            // Subscribe to the kernel events before reading sysfs: an error from here on reaches the recovery, and one
            // from before shows as a FAILED state below.
            KernelRecovery recovery = Recovery;
            IscsiKernelTransport kernel = Kernel;
            var sessions = new List<IscsiAdoptedSession>();
            foreach (IscsiSession info in GetSessions())
            {
                cancellationToken.ThrowIfCancellationRequested();
                IscsiAdoptedSession adopted = AdoptOne(database, options, info, recovery, kernel, logger, cancellationToken);
                AdoptionLog.Session(logger, adopted.Sid, adopted.TargetName, adopted.Portal?.ToString() ?? "-", adopted.Outcome.ToString(), adopted.Reason ?? "");
                sessions.Add(adopted);
            }

            return new IscsiAdoptionResult(sessions, ownership.Path);
        }
        finally
        {
            _adoptGate.Release();
        }
    }

    /// <summary>Matches a session to its record: (target, portal, iface) must exist and the record's TPGT (if set) must equal the session's.</summary>
    /// <returns>The record, or null with the outcome and reason.</returns>
    internal static IscsiNodeRecord? MatchRecord(IscsiNodeDatabase database, IscsiSession info, IscsiPortal? portal, out IscsiAdoptionOutcome outcome, out string? reason, CancellationToken cancellationToken = default)
    {
        outcome = IscsiAdoptionOutcome.NoRecord;
        if (portal is null)
        {
            reason = "the session has no persistent portal in sysfs";
            return null;
        }

        string iface = string.IsNullOrEmpty(info.IfaceName) ? "default" : info.IfaceName;
        IscsiNodeRecord? node = database.Find(info.TargetName, portal, iface, cancellationToken);
        if (node is null)
        {
            IReadOnlyList<IscsiNodeRecord> others = database.Query(info.TargetName, cancellationToken: cancellationToken).Nodes;
            if (others.Count == 0)
            {
                reason = $"no node record for {info.TargetName}";
                return null;
            }

            outcome = IscsiAdoptionOutcome.RecordMismatch;
            reason = $"the records of {info.TargetName} are for {string.Join(", ", others.Select(n => $"{n.Portal} iface {n.IfaceName}"))}, the session is to {portal} iface {iface}";
            return null;
        }

        if (node.Tpgt >= 0 && info.Tpgt is int tpgt && tpgt != node.Tpgt)
        {
            outcome = IscsiAdoptionOutcome.RecordMismatch;
            reason = string.Create(CultureInfo.InvariantCulture, $"the record's TPGT is {node.Tpgt}, the session's {tpgt}");
            return null;
        }

        outcome = IscsiAdoptionOutcome.Adopted;
        reason = null;
        return node;
    }

    private HostOwnershipLock TakeOwnership(IscsiAdoptionOptions options, ILogger logger)
    {
        if (options.RefuseWhenIscsidRuns && IscsidPresence.IsRunning(options.ProcRoot, options.IscsidPidFile, options.IscsidAbstractName, out int? iscsid))
        {
            string who = iscsid is int p ? string.Create(CultureInfo.InvariantCulture, $" (pid {p})") : "";
            throw new IscsiOwnershipException(
                IscsiSessionOwnerKind.Iscsid,
                iscsid,
                $"iscsid is running{who} and owns the sessions of this host: not adopting them (stop iscsid and iscsid.socket first, or leave the sessions to it).");
        }

        HostOwnershipLock ownership = HostOwnershipLock.TryAcquire(options.LockDirectory, out int? owner)
            ?? throw new IscsiOwnershipException(
                IscsiSessionOwnerKind.IscsiNative,
                owner,
                $"Another process owns the sessions of this host: {Path.Combine(options.LockDirectory, HostOwnershipLock.FileName)} is locked"
                + (owner is int pid ? string.Create(CultureInfo.InvariantCulture, $" by pid {pid}.") : "."));
        AdoptionLog.OwnershipTaken(logger, ownership.Path);
        Volatile.Write(ref _ownership, ownership);
        return ownership;
    }

    private IscsiAdoptedSession AdoptOne(
        IscsiNodeDatabase database, IscsiAdoptionOptions options, IscsiSession info, KernelRecovery recovery, IscsiKernelTransport kernel, ILogger logger, CancellationToken cancellationToken)
    {
        IscsiPortal? portal = info.PersistentPort is int port && !string.IsNullOrEmpty(info.PersistentAddress)
            ? new IscsiPortal(info.PersistentAddress, port)
            : null;
        string iface = string.IsNullOrEmpty(info.IfaceName) ? "default" : info.IfaceName;
        IscsiAdoptedSession Report(IscsiAdoptionOutcome outcome, IscsiNodeRecord? node, string? reason) =>
            new(info.Sid, info.TargetName, portal, iface, info.State, outcome, node, reason);

        if (recovery.Find((uint)info.Sid) is not null)
        {
            return Report(IscsiAdoptionOutcome.AlreadyOwned, null, null);
        }

        if (info.Creator == -1 || info.IsFlash || info.TransportName != "tcp" || info.HostNumber is null)
        {
            return Report(IscsiAdoptionOutcome.NotAdoptable, null, info.Creator == -1
                ? "created by the kernel or firmware (creator -1)"
                : $"transport {info.TransportName}{(info.IsFlash ? ", flash node" : "")}{(info.HostNumber is null ? ", no SCSI host" : "")}");
        }

        IscsiNodeRecord? node = MatchRecord(database, info, portal, out IscsiAdoptionOutcome matched, out string? why, cancellationToken);
        if (node is null)
        {
            return Report(matched, null, why);
        }

        // The record's settings, but the session's own initiator name (as iscsid: it always comes from sysfs).
        LoginOptions login = ToLoginOptions(node) with { Recovery = options.Recovery };
        if (!string.IsNullOrEmpty(info.InitiatorName))
        {
            login = login with { InitiatorName = info.InitiatorName };
        }

        string initiatorName = InitiatorNameFile.Resolve(login.InitiatorName, login.InitiatorNameFile);
        var relogin = new KernelLogin(kernel, SessionReader, info.TargetName, portal!, login, initiatorName, logger);
        var session = new SessionRecovery(
            kernel, relogin, (uint)info.Sid, (uint)info.HostNumber.Value, node.DefaultTime2Wait, login, SessionReader, logger, recovery.Publish);
        recovery.Add(session);

        // Read the state again now that events reach the recovery: FAILED/FREE, or a connection not up, means its
        // CONN_ERROR went to nobody (the creator was gone), so start the recovery now.
        IscsiSessionState state = info.State;
        string? connection = info.ConnectionState;
        if (TryGetSession(info.Sid, out IscsiSession? now) && now is not null)
        {
            state = now.State;
            connection = now.ConnectionState;
        }

        bool failed = state is IscsiSessionState.Failed or IscsiSessionState.Free || connection is "failed" or "down";
        if (failed && options.RecoverFailedSessions && session.OnConnectionError(0, IscsiConnectionError.ConnFailed))
        {
            return Report(IscsiAdoptionOutcome.AdoptedAndRecovering, node, null) with { State = state };
        }

        return Report(IscsiAdoptionOutcome.Adopted, node, null) with { State = state };
    }

    partial void DisposeOwnership()
    {
        Interlocked.Exchange(ref _ownership, null)?.Dispose();
        _adoptGate.Dispose();
    }
}
