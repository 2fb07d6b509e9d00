using IscsiNative.Netlink;
using IscsiNative.Sysfs;
using Microsoft.Extensions.Logging;

namespace IscsiNative.Initiator;

/// <summary>How <see cref="SessionAdoption.Adopt"/> took a session.</summary>
internal enum SessionAdoptionResult
{
    /// <summary>Its connection errors are recovered by this initiator from now on.</summary>
    Adopted,

    /// <summary>Adopted while FAILED or FREE (its CONN_ERROR was missed); its recovery was started.</summary>
    AdoptedAndRecovering,

    /// <summary>This initiator already owned it.</summary>
    AlreadyOwned,
}

/// <summary>
/// One adoption in progress (<see cref="IscsiInitiator.BeginAdoptionAsync"/>), the node-independent half that
/// IscsiNative.Nodes drives through InternalsVisibleTo: it holds the initiator's adoption gate until disposed and takes
/// over the recovery of sessions with the login settings the caller found for them.
/// </summary>
internal sealed class SessionAdoption : IDisposable
{
    private readonly IscsiInitiator _initiator;
    private readonly KernelRecovery _recovery;
    private readonly IscsiKernelTransport _kernel;
    private readonly ILogger _logger;
    private bool _disposed;

    internal SessionAdoption(IscsiInitiator initiator, KernelRecovery recovery, IscsiKernelTransport kernel, string lockPath, ILogger logger)
    {
        _initiator = initiator;
        _recovery = recovery;
        _kernel = kernel;
        LockPath = lockPath;
        _logger = logger;
    }

    /// <summary>The host ownership lock file the initiator holds.</summary>
    internal string LockPath { get; }

    /// <summary>The logger adoption messages go to.</summary>
    internal ILogger Logger => _logger;

    /// <summary>Whether this initiator recovers <paramref name="sid"/> already (it logged it in, or adopted it before).</summary>
    internal bool IsOwned(int sid) => _recovery.Find((uint)sid) is not null;

    /// <summary>
    /// Takes over the recovery of <paramref name="session"/> (read from sysfs, with a SCSI host): its connection errors
    /// are answered from now on by re-logging in with <paramref name="login"/> (its initiator name is the session's own
    /// when sysfs has one, as iscsid does). Reads the state again now that events reach the recovery: FAILED/FREE, or a
    /// connection not up, means its CONN_ERROR went to nobody, so the recovery starts now when
    /// <paramref name="recoverFailed"/>.
    /// </summary>
    /// <param name="session">The session as sysfs showed it.</param>
    /// <param name="login">The settings to re-login with (credentials copied by the caller; cleared when the session ends).</param>
    /// <param name="defaultTime2Wait">The first reconnect delay in seconds (DefaultTime2Wait).</param>
    /// <param name="recoverFailed">Start the recovery of a session found FAILED or FREE.</param>
    /// <returns>What was done, and the state read after subscribing.</returns>
    /// <exception cref="InvalidOperationException">No initiator name in <paramref name="login"/>, the session or the initiator name file.</exception>
    internal (SessionAdoptionResult Result, IscsiSessionState State) Adopt(IscsiSession session, LoginOptions login, int defaultTime2Wait, bool recoverFailed)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(login);
        if (IsOwned(session.Sid))
        {
            return (SessionAdoptionResult.AlreadyOwned, session.State);
        }

        if (session.HostNumber is not int host || session.Portal is not IscsiPortal portal)
        {
            throw new ArgumentException("An adopted session needs a SCSI host and a persistent portal.", nameof(session));
        }

        if (!string.IsNullOrEmpty(session.InitiatorName))
        {
            login = login with { InitiatorName = session.InitiatorName };
        }

        string initiatorName = InitiatorNameFile.Resolve(login.InitiatorName, login.InitiatorNameFile);
        SysfsSessionReader sysfs = _initiator.SessionReader;
        var relogin = new KernelLogin(_kernel, sysfs, session.TargetName, portal, login, initiatorName, _logger);
        var recovery = new SessionRecovery(_kernel, relogin, (uint)session.Sid, (uint)host, defaultTime2Wait, login, sysfs, _logger, _recovery.Publish);
        _recovery.Add(recovery);

        IscsiSessionState state = session.State;
        string? connection = session.ConnectionState;
        if (_initiator.TryGetSession(session.Sid, out IscsiSession? now) && now is not null)
        {
            state = now.State;
            connection = now.ConnectionState;
        }

        bool failed = state is IscsiSessionState.Failed or IscsiSessionState.Free || connection is "failed" or "down";
        return failed && recoverFailed && recovery.OnConnectionError(0, IscsiConnectionError.ConnFailed)
            ? (SessionAdoptionResult.AdoptedAndRecovering, state)
            : (SessionAdoptionResult.Adopted, state);
    }

    /// <summary>Ends the adoption (lets the next one of this initiator start); the lock and the adopted sessions stay.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _initiator.EndAdoption();
        }
    }
}
