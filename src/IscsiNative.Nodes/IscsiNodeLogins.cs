using System.Diagnostics;
using System.Globalization;
using IscsiNative.Initiator;
using IscsiNative.Protocol;
using IscsiNative.Sysfs;
using Microsoft.Extensions.Logging;

namespace IscsiNative.Nodes;

/// <summary>
/// What an <see cref="IscsiInitiator"/> does with open-iscsi node records: log in one node or every automatic node (boot
/// restore, <c>iscsiadm -m node --loginall</c>), and adopt the sessions already in the kernel by matching them to their
/// records. Extension methods, so that <c>initiator.LoginAllAsync(database)</c> reads as a call on the initiator.
/// </summary>
public static class IscsiNodeLogins
{
    /// <summary>
    /// Logs in one session to a node with every setting of its record: timeouts (login, logout, replacement, abort, LUN
    /// and target reset, NOP-Out), iSCSI negotiation keys (digests, burst and segment lengths, InitialR2T,
    /// ImmediateData, DefaultTime2Wait, DefaultTime2Retain, MaxOutstandingR2T), CHAP (one-way or mutual, chap_algs),
    /// cmds_max/queue_depth, the LUN scan (<c>node.session.scan</c>), the TCP window size, the iface (name, initiator
    /// name, network device binding with SO_BINDTODEVICE, hardware address), and iscsid's retry of the initial login
    /// (<c>initial_login_retry_max × login_timeout</c> seconds). It does not look at <c>node.session.nr_sessions</c>:
    /// <see cref="LoginNodeSessionsAsync"/> logs in as many sessions as the record asks for.
    /// </summary>
    /// <param name="initiator">The initiator to log in with.</param>
    /// <param name="node">The record (from <see cref="IscsiNodeDatabase"/>).</param>
    /// <param name="cancellationToken">Cancels the login.</param>
    /// <returns>The session.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="IscsiNodeRecordFormatException">A value in the record does not fit its key.</exception>
    /// <exception cref="IscsiNodeDatabaseException">The record's iface cannot be used by iscsi_tcp (another transport, binding by IP address, or a hardware address no network device has); iscsiadm error 14 or 7.</exception>
    /// <exception cref="IscsiException">The login failed (see <see cref="IscsiInitiator.LoginAsync(string, IscsiPortal, LoginOptions?, CancellationToken)"/>); the last attempt's error.</exception>
    public static Task<IscsiSession> LoginNodeAsync(this IscsiInitiator initiator, IscsiNodeRecord node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(initiator);
        ArgumentNullException.ThrowIfNull(node);
        return LoginWithRecordAsync(initiator, node, cancellationToken);
    }

    /// <summary>
    /// Logs in to a node as <c>iscsiadm -m node -T .. -p .. --login</c> does: counts the sessions that already exist to
    /// the node (same target, persistent portal and iface) and logs in the missing ones up to
    /// <c>node.session.nr_sessions</c>, each with the settings of <see cref="LoginNodeAsync"/> (and its own ISID).
    /// When one of them fails, the sessions this call created are logged out again and the error propagates.
    /// </summary>
    /// <param name="initiator">The initiator to log in with.</param>
    /// <param name="node">The record.</param>
    /// <param name="cancellationToken">Cancels the logins.</param>
    /// <returns>The sessions created, in login order.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="IscsiNodeDatabaseException">nr_sessions sessions exist already (iscsiadm error 15), or the iface cannot be used.</exception>
    /// <exception cref="IscsiNodeRecordFormatException">A value in the record does not fit its key.</exception>
    /// <exception cref="IscsiException">A login failed.</exception>
    public static async Task<IReadOnlyList<IscsiSession>> LoginNodeSessionsAsync(this IscsiInitiator initiator, IscsiNodeRecord node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(initiator);
        ArgumentNullException.ThrowIfNull(node);
        int existing = CountSessions(initiator.GetSessions(), node);
        int wanted = Math.Max(1, node.SessionCount);
        if (existing >= wanted)
        {
            throw SessionsExist(node, wanted, existing);
        }

        (List<IscsiSession> created, Exception? error) = await LoginMissingAsync(initiator, node, wanted - existing, cancellationToken).ConfigureAwait(false);
        if (error is null)
        {
            return created;
        }

        foreach (IscsiSession session in created)
        {
            try
            {
                await initiator.LogoutAsync(session, CancellationToken.None).ConfigureAwait(false);
            }
            catch (IscsiException)
            {
                // The original error is what the caller needs; the session is gone or going.
            }
        }

        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        throw error;
    }

    /// <summary>
    /// Logs in every node whose startup matches, as <c>iscsiadm -m node --loginall=MODE</c>: a node matches when
    /// <c>node.startup</c> or <c>node.conn[0].startup</c> equals the mode (<see cref="IscsiNodeStartupFilter.All"/>
    /// matches every node). Each node gets the sessions it lacks up to <c>node.session.nr_sessions</c> (counted before
    /// the logins start); a node that has them all is reported as <see cref="IscsiNodeLoginResult.AlreadyLoggedIn"/>.
    /// Every login uses the settings of <see cref="LoginNodeAsync"/>, including the initial-login retry. At most
    /// <paramref name="maxParallel"/> nodes log in at once; one failure does not stop the others.
    /// </summary>
    /// <param name="initiator">The initiator to log in with.</param>
    /// <param name="database">The node database.</param>
    /// <param name="startup">Which nodes.</param>
    /// <param name="maxParallel">Concurrent logins (1..64). Default 8.</param>
    /// <param name="cancellationToken">Cancels the logins not yet finished.</param>
    /// <returns>One result per matching node, in database order; malformed records are in <paramref name="database"/>'s query errors and skipped.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxParallel"/> outside 1..64.</exception>
    /// <exception cref="ObjectDisposedException">The initiator was disposed.</exception>
    public static async Task<IReadOnlyList<IscsiNodeLoginResult>> LoginAllAsync(
        this IscsiInitiator initiator, IscsiNodeDatabase database, IscsiNodeStartupFilter startup = IscsiNodeStartupFilter.Automatic, int maxParallel = 8, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(initiator);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallel, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxParallel, 64);
        initiator.ThrowIfDisposed();
        List<IscsiNodeRecord> nodes = [.. database.Query(cancellationToken: cancellationToken).Nodes.Where(n => Matches(n, startup))];
        IReadOnlyList<IscsiSession> before = nodes.Count == 0 ? [] : initiator.GetSessions();
        var results = new IscsiNodeLoginResult[nodes.Count];
        ILogger logger = initiator.Options.LoggerFactory.CreateLogger<IscsiInitiator>();
        using var gate = new SemaphoreSlim(maxParallel, maxParallel);
        var tasks = new Task[nodes.Count];
        for (int i = 0; i < nodes.Count; i++)
        {
            int index = i;
            tasks[i] = Task.Run(
                async () =>
                {
                    IscsiNodeRecord node = nodes[index];
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    long started = Stopwatch.GetTimestamp();
                    try
                    {
                        int missing = Math.Max(1, node.SessionCount) - CountSessions(before, node);
                        if (missing <= 0)
                        {
                            results[index] = new IscsiNodeLoginResult(node, null, null, AlreadyLoggedIn: true);
                            return;
                        }

                        (List<IscsiSession> created, Exception? error) = await LoginMissingAsync(initiator, node, missing, cancellationToken).ConfigureAwait(false);
                        if (error is not null)
                        {
                            NodesLog.NodeLoginFailed(logger, node.ToString(), error);
                        }

                        results[index] = new IscsiNodeLoginResult(node, created.Count > 0 ? created[0] : null, error)
                        {
                            Sessions = created,
                            Duration = Stopwatch.GetElapsedTime(started),
                        };
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        NodesLog.NodeLoginFailed(logger, node.ToString(), e);
                        results[index] = new IscsiNodeLoginResult(node, null, e) { Duration = Stopwatch.GetElapsedTime(started) };
                    }
                    finally
                    {
                        gate.Release();
                    }
                },
                CancellationToken.None);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        return results;
    }

    /// <summary>
    /// Becomes the owner of the host's sessions, as iscsid does at start (SESSIONS-AND-VOLUMES.md §2): takes the host-wide
    /// ownership lock (flock on <c>LOCKDIR/owner.lock</c>, held until <paramref name="initiator"/> is disposed; see
    /// <see cref="IscsiInitiator.OwnsHost"/>), reads every session in sysfs, matches each to its node record by (target,
    /// conn0 persistent portal, iface) and TPGT, and from then on answers its kernel CONN_ERROR with the initiator's
    /// recovery (STOP_CONN(RECOVER), reconnect within the session's replacement_timeout, re-login with the session's ISID
    /// and TSIH 0, START_CONN, LUN rescan). A session already FAILED or FREE (its CONN_ERROR went to nobody) has its
    /// recovery started at once. Healthy sessions are not re-logged in (unlike iscsid's sync). Loads iscsi_tcp when
    /// missing. Calling it again adopts the sessions that appeared since.
    /// </summary>
    /// <param name="initiator">The initiator that takes the sessions over.</param>
    /// <param name="database">The node records to match (and to take CHAP, timeouts and negotiation keys from).</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels before the sessions are taken.</param>
    /// <returns>Every session found and what became of it; sessions without a (matching) record are reported, not adopted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="IscsiOwnershipException">iscsid runs, or another adopter holds the ownership lock (its pid is in the exception).</exception>
    /// <exception cref="UnauthorizedAccessException">Not root.</exception>
    /// <exception cref="ObjectDisposedException">The initiator was disposed.</exception>
    public static async Task<IscsiAdoptionResult> AdoptSessionsAsync(
        this IscsiInitiator initiator, IscsiNodeDatabase database, IscsiAdoptionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(initiator);
        ArgumentNullException.ThrowIfNull(database);
        options ??= new IscsiAdoptionOptions();
        using SessionAdoption adoption = await BeginAdoptionAsync(initiator, options, cancellationToken).ConfigureAwait(false);
        var sessions = new List<IscsiAdoptedSession>();
        foreach (IscsiSession session in initiator.GetSessions())
        {
            cancellationToken.ThrowIfCancellationRequested();
            IscsiAdoptedSession adopted = AdoptOne(adoption, database, options, session, cancellationToken);
            AdoptionLog.Session(adoption.Logger, adopted.Sid, adopted.TargetName, adopted.Portal?.ToString() ?? "-", adopted.Outcome.ToString(), adopted.Reason ?? "");
            sessions.Add(adopted);
        }

        return new IscsiAdoptionResult(sessions, adoption.LockPath);
    }

    /// <summary>
    /// Takes the host-wide ownership lock as <see cref="AdoptSessionsAsync"/> does (refusing while iscsid runs or another
    /// adopter holds it; loads iscsi_tcp when missing) without adopting any session: the sessions already in sysfs stay
    /// unowned (nobody answers their connection errors), the ones this initiator logs in from now on are its own. For
    /// an owner configured not to take over what a previous run left. Does nothing more when the lock is held already.
    /// </summary>
    /// <param name="initiator">The initiator that becomes the host's owner.</param>
    /// <param name="options">Lock directory and iscsid detection (the adoption settings are not used); null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the wait for an adoption of the same initiator.</param>
    /// <returns>The ownership lock file now held by the initiator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="initiator"/> is null.</exception>
    /// <exception cref="IscsiOwnershipException">iscsid runs, or another adopter holds the ownership lock (its pid is in the exception).</exception>
    /// <exception cref="UnauthorizedAccessException">Not root.</exception>
    /// <exception cref="ObjectDisposedException">The initiator was disposed.</exception>
    public static async Task<string> TakeOwnershipAsync(this IscsiInitiator initiator, IscsiAdoptionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(initiator);
        options ??= new IscsiAdoptionOptions();
        using SessionAdoption adoption = await BeginAdoptionAsync(initiator, options, cancellationToken).ConfigureAwait(false);
        return adoption.LockPath;
    }

    /// <summary>The ownership lock and iscsid check shared by adoption and <see cref="TakeOwnershipAsync"/>.</summary>
    private static Task<SessionAdoption> BeginAdoptionAsync(IscsiInitiator initiator, IscsiAdoptionOptions options, CancellationToken cancellationToken) =>
        initiator.BeginAdoptionAsync(
            options.Recovery,
            options.LockDirectory,
            options.RefuseWhenIscsidRuns,
            options.IscsidAbstractName,
            options.ProcRoot,
            options.IscsidPidFile,
            Refused,
            cancellationToken);

    /// <summary>iscsiadm's <c>match_startup_mode</c>.</summary>
    internal static bool Matches(IscsiNodeRecord node, IscsiNodeStartupFilter filter)
    {
        if (filter == IscsiNodeStartupFilter.All)
        {
            return true;
        }

        IscsiNodeStartup mode = filter switch
        {
            IscsiNodeStartupFilter.Automatic => IscsiNodeStartup.Automatic,
            IscsiNodeStartupFilter.OnBoot => IscsiNodeStartup.OnBoot,
            _ => IscsiNodeStartup.Manual,
        };
        return node.Startup == mode || node.ConnectionStartup == mode;
    }

    /// <summary>The login settings a record gives.</summary>
    internal static LoginOptions ToLoginOptions(IscsiNodeRecord node, LoginOptions? template = null)
    {
        LoginOptions o = template ?? new LoginOptions();
        ChapCredentials? credentials = null;
        if (node.AuthMethod == IscsiNodeAuthMethod.Chap && node.Password is { } password)
        {
            credentials = node.UsernameIn is { } userIn && node.PasswordIn is { } passIn
                ? ChapCredentials.Mutual(node.Username ?? "", password, userIn, passIn)
                : ChapCredentials.OneWay(node.Username ?? "", password);
        }

        return o with
        {
            InitiatorName = node.IfaceInitiatorName ?? o.InitiatorName,
            IfaceName = node.IfaceName,
            NetworkDevice = node.IfaceNetworkDevice,
            HardwareAddress = node.IfaceHardwareAddress,
            Credentials = credentials,
            ChapAlgorithms = node.ChapAlgorithms,
            HeaderDigest = node.HeaderDigest,
            DataDigest = node.DataDigest,
            ConnectTimeout = TimeSpan.FromSeconds(node.LoginTimeout),
            LoginTimeout = TimeSpan.FromSeconds(node.LoginTimeout),
            LogoutTimeout = TimeSpan.FromSeconds(node.LogoutTimeout),
            ScanLuns = node.Scan == IscsiNodeScanMode.Auto,
            CmdsMax = (ushort)node.CmdsMax,
            QueueDepth = (ushort)node.QueueDepth,
            RecoveryTimeout = node.ReplacementTimeout,
            AbortTimeout = node.AbortTimeout,
            LunResetTimeout = node.LunResetTimeout,
            TargetResetTimeout = node.TargetResetTimeout,
            NoopOutInterval = node.NoopOutInterval,
            NoopOutTimeout = node.NoopOutTimeout,
            FastAbort = node.FastAbort,
            MaxRecvDataSegmentLength = node.MaxRecvDataSegmentLength,
            MaxXmitDataSegmentLength = node.MaxXmitDataSegmentLength,
            FirstBurstLength = node.FirstBurstLength,
            MaxBurstLength = node.MaxBurstLength,
            InitialR2T = node.InitialR2T,
            ImmediateData = node.ImmediateData,
            DefaultTime2Wait = node.DefaultTime2Wait,
            DefaultTime2Retain = node.DefaultTime2Retain,
            MaxOutstandingR2T = Math.Max(1, node.MaxOutstandingR2T),
            TcpWindowSize = node.TcpWindowSize,
        };
    }

    /// <summary>
    /// The network device iscsi_tcp binds the connection to, as open-iscsi's bind_conn_to_iface: none for the default
    /// iface; <c>iface.hwaddress</c> is matched to a device in <c>SYSFS/class/net</c>, else <c>iface.net_ifacename</c>
    /// is used; an iface bound by IP address, or of another transport, is refused (iscsi_tcp cannot do either).
    /// </summary>
    /// <returns>The device name, or null for no binding.</returns>
    /// <exception cref="IscsiNodeDatabaseException">The iface cannot be used by iscsi_tcp.</exception>
    internal static string? BindingDevice(IscsiNodeRecord node, string sysfsRoot)
    {
        string transport = node.TransportName;
        if (transport.Length != 0 && transport != "tcp")
        {
            throw new IscsiNodeDatabaseException(
                $"The iface {node.IfaceName} of {node.TargetName} uses transport {transport}; only tcp (iscsi_tcp) is supported.", 14);
        }

        if (node.IfaceHardwareAddress is { } hw && hw != "default")
        {
            return DeviceOfHardwareAddress(hw, sysfsRoot)
                ?? throw new IscsiNodeDatabaseException($"Cannot match {hw} (iface {node.IfaceName}) to a network device.", 7);
        }

        if (node.IfaceNetworkDevice is { } dev && dev != "default")
        {
            return dev;
        }

        if (node.IfaceIpAddress is { } ip && ip != "default")
        {
            throw new IscsiNodeDatabaseException(
                $"Cannot bind {ip} (iface {node.IfaceName}) to a network interface: binding by IP address is not supported with software iSCSI (iscsi_tcp); set iface.net_ifacename or iface.hwaddress.", 14);
        }

        return null;
    }

    /// <summary>Counts the sessions of <paramref name="sessions"/> to the node (target, persistent portal, iface).</summary>
    internal static int CountSessions(IReadOnlyList<IscsiSession> sessions, IscsiNodeRecord node)
    {
        int count = 0;
        foreach (IscsiSession s in sessions)
        {
            string iface = string.IsNullOrEmpty(s.IfaceName) || s.IfaceName == "(null)" ? "default" : s.IfaceName;
            if (s.TargetName == node.TargetName && s.Portal is { } p && p.Address == node.Portal.Address && p.Port == node.Portal.Port && iface == node.IfaceName)
            {
                count++;
            }
        }

        return count;
    }

    private static string? DeviceOfHardwareAddress(string hardwareAddress, string sysfsRoot)
    {
        string net = Path.Combine(sysfsRoot, "class", "net");
        if (!Directory.Exists(net))
        {
            return null;
        }

        foreach (string dir in Directory.EnumerateDirectories(net))
        {
            try
            {
                if (string.Equals(File.ReadAllText(Path.Combine(dir, "address")).Trim(), hardwareAddress, StringComparison.OrdinalIgnoreCase))
                {
                    return Path.GetFileName(dir);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A device without an address (or one going away) cannot match.
            }
        }

        return null;
    }

    private static IscsiNodeDatabaseException SessionsExist(IscsiNodeRecord node, int wanted, int existing) => new(
        string.Create(CultureInfo.InvariantCulture, $"{node.IfaceName}: {wanted} session{(wanted == 1 ? "" : "s")} requested, but {existing} already present ({node})."), 15);

    /// <summary>Logs in <paramref name="count"/> sessions one after the other; stops at the first failure.</summary>
    private static async Task<(List<IscsiSession> Created, Exception? Error)> LoginMissingAsync(IscsiInitiator initiator, IscsiNodeRecord node, int count, CancellationToken cancellationToken)
    {
        var created = new List<IscsiSession>(count);
        for (int i = 0; i < count; i++)
        {
            try
            {
                created.Add(await LoginWithRecordAsync(initiator, node, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return (created, e);
            }
        }

        return (created, null);
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

    private static Exception Refused(bool iscsid, int? pid, string message) =>
        new IscsiOwnershipException(iscsid ? IscsiSessionOwnerKind.Iscsid : IscsiSessionOwnerKind.IscsiNative, pid, message);

    private static IscsiAdoptedSession AdoptOne(SessionAdoption adoption, IscsiNodeDatabase database, IscsiAdoptionOptions options, IscsiSession info, CancellationToken cancellationToken)
    {
        IscsiPortal? portal = info.Portal;
        string iface = string.IsNullOrEmpty(info.IfaceName) ? "default" : info.IfaceName;
        IscsiAdoptedSession Report(IscsiAdoptionOutcome outcome, IscsiNodeRecord? node, string? reason) =>
            new(info.Sid, info.TargetName, portal, iface, info.State, outcome, node, reason);

        if (adoption.IsOwned(info.Sid))
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

        // The record's settings (the session's own initiator name wins, as iscsid: it always comes from sysfs).
        (SessionAdoptionResult result, IscsiSessionState state) = adoption.Adopt(
            info, ToLoginOptions(node) with { Recovery = options.Recovery }, node.DefaultTime2Wait, options.RecoverFailedSessions);
        IscsiAdoptionOutcome outcome = result switch
        {
            SessionAdoptionResult.AdoptedAndRecovering => IscsiAdoptionOutcome.AdoptedAndRecovering,
            SessionAdoptionResult.AlreadyOwned => IscsiAdoptionOutcome.AlreadyOwned,
            _ => IscsiAdoptionOutcome.Adopted,
        };
        return Report(outcome, outcome == IscsiAdoptionOutcome.AlreadyOwned ? null : node, null) with { State = state };
    }

    private static async Task<IscsiSession> LoginWithRecordAsync(IscsiInitiator initiator, IscsiNodeRecord node, CancellationToken cancellationToken)
    {
        string? device = BindingDevice(node, initiator.Options.SysfsRoot);
        LoginOptions options = ToLoginOptions(node);
        if (device is not null)
        {
            options = options with { NetworkDevice = device };
        }

        try
        {
            TimeSpan budget = TimeSpan.FromSeconds((double)Math.Max(0, node.InitialLoginRetryMax) * Math.Max(1, node.LoginTimeout));
            return await InitialLoginRetry.RunAsync(
                ct => initiator.LoginAsync(node.TargetName, node.Portal, options, ct),
                budget,
                TimeSpan.FromSeconds(Math.Clamp(node.DefaultTime2Wait, 0, 3600)),
                InitialLoginRetry.LaterDelay,
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            options.Credentials?.Dispose();
        }
    }
}
