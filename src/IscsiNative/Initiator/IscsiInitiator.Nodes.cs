using IscsiNative.Sysfs;
using IscsiNative.Nodes;
using IscsiNative.Protocol;
using Microsoft.Extensions.Logging;

namespace IscsiNative.Initiator;

/// <summary>Login from open-iscsi node records, boot restore of automatic nodes, and the transport module.</summary>
public sealed partial class IscsiInitiator
{
    private readonly Lock _moduleGate = new();
    private bool _transportChecked;

    /// <summary>
    /// Logs in to a node with every setting of its record: timeouts (login, logout, replacement, abort, LUN and target
    /// reset, NOP-Out), iSCSI negotiation keys, CHAP (one-way or mutual, chap_algs), cmds_max/queue_depth, the LUN scan
    /// (<c>node.session.scan</c>), the iface name, network device, hardware address and initiator name.
    /// </summary>
    /// <param name="node">The record (from <see cref="IscsiNodeDatabase"/>).</param>
    /// <param name="cancellationToken">Cancels the login.</param>
    /// <returns>The session.</returns>
    /// <exception cref="IscsiNodeRecordFormatException">A value in the record does not fit its key.</exception>
    /// <exception cref="IscsiException">The login failed (see <see cref="LoginAsync(string, IscsiPortal, LoginOptions?, CancellationToken)"/>).</exception>
    public Task<IscsiSession> LoginNodeAsync(IscsiNodeRecord node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        return LoginWithRecordAsync(node, cancellationToken);
    }

    /// <summary>
    /// Logs in every node whose startup matches, as <c>iscsiadm -m node --loginall=MODE</c>: a node matches when
    /// <c>node.startup</c> or <c>node.conn[0].startup</c> equals the mode (<see cref="IscsiNodeStartupFilter.All"/>
    /// matches every node). Nodes that already have a session are reported, not logged in again. At most
    /// <paramref name="maxParallel"/> logins run at once; one failure does not stop the others.
    /// </summary>
    /// <param name="database">The node database.</param>
    /// <param name="startup">Which nodes.</param>
    /// <param name="maxParallel">Concurrent logins (1..64). Default 8.</param>
    /// <param name="cancellationToken">Cancels the logins not yet finished.</param>
    /// <returns>One result per matching node, in database order; malformed records are in <paramref name="database"/>'s query errors and skipped.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxParallel"/> outside 1..64.</exception>
    public async Task<IReadOnlyList<IscsiNodeLoginResult>> LoginAllAsync(IscsiNodeDatabase database, IscsiNodeStartupFilter startup = IscsiNodeStartupFilter.Automatic, int maxParallel = 8, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallel, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxParallel, 64);
        ThrowIfDisposed();
        List<IscsiNodeRecord> nodes = [.. database.Query(cancellationToken: cancellationToken).Nodes.Where(n => Matches(n, startup))];
        var results = new IscsiNodeLoginResult[nodes.Count];
        ILogger logger = Options.LoggerFactory.CreateLogger<IscsiInitiator>();
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
                    long started = System.Diagnostics.Stopwatch.GetTimestamp();
                    try
                    {
                        if (database.SessionExists(node.TargetName, node.Portal, node.IfaceName))
                        {
                            results[index] = new IscsiNodeLoginResult(node, null, null, AlreadyLoggedIn: true);
                            return;
                        }

                        IscsiSession session = await LoginWithRecordAsync(node, cancellationToken).ConfigureAwait(false);
                        results[index] = new IscsiNodeLoginResult(node, session, null) { Duration = System.Diagnostics.Stopwatch.GetElapsedTime(started) };
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        NodesLog.NodeLoginFailed(logger, node.ToString(), e);
                        results[index] = new IscsiNodeLoginResult(node, null, e) { Duration = System.Diagnostics.Stopwatch.GetElapsedTime(started) };
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
        };
    }

    /// <summary>Loads the iscsi_tcp module (and its dependencies) once per initiator when the transport is missing.</summary>
    internal void EnsureTransportModule(string transport)
    {
        lock (_moduleGate)
        {
            if (_transportChecked || Options.SysfsRoot != "/sys")
            {
                return;
            }

            TransportModule.EnsureLoaded(transport, Options.SysfsRoot, null, Options.LoggerFactory.CreateLogger<IscsiInitiator>());
            _transportChecked = true;
        }
    }

    private async Task<IscsiSession> LoginWithRecordAsync(IscsiNodeRecord node, CancellationToken cancellationToken)
    {
        LoginOptions options = ToLoginOptions(node);
        try
        {
            return await LoginAsync(node.TargetName, node.Portal, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            options.Credentials?.Dispose();
        }
    }
}
