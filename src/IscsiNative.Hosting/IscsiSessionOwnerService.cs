using System.Collections.Concurrent;
using System.Diagnostics;
using IscsiNative.Initiator;
using IscsiNative.Nodes;
using IscsiNative.Sysfs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IscsiNative.Hosting;

/// <summary>
/// The hosted service that owns the host's iSCSI sessions. <see cref="StartAsync"/> (bounded by
/// <see cref="IscsiNativeHostingOptions.StartTimeout"/>) loads iscsi_tcp if needed, takes the host ownership lock and
/// adopts the sessions already in sysfs, then logs in the nodes of the configured startup classes that have no session
/// (iscsiadm's <c>--loginall</c> matching), and starts watching recovery. Because the restore runs inside StartAsync, the
/// host's ApplicationStarted — and with <c>UseSystemd()</c> systemd's <c>READY=1</c> — comes only after it finished.
/// If iscsid or another process owns the sessions, it is reported (log, health Unhealthy) and nothing is done.
/// <see cref="StopAsync"/> leaves the sessions logged in (storage survives a restart) unless
/// <see cref="IscsiNativeHostingOptions.LogoutOnStop"/>; either way the ownership lock is released.
/// </summary>
public sealed partial class IscsiSessionOwnerService : IHostedService, IDisposable
{
    private readonly IscsiNativeHostingOptions _options;
    private readonly IscsiNativeMetrics _metrics;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ISystemdNotifier? _notifier;
    private readonly ConcurrentDictionary<int, long> _recoveryStarted = new();
    private readonly ConcurrentDictionary<int, bool> _owned = new();
    private readonly ConcurrentDictionary<int, string> _unowned = new();
    private readonly Lock _gate = new();
    private IscsiInitiator? _initiator;
    private IscsiNodeDatabase? _database;
    private CancellationTokenSource? _watchStop;
    private Task _watch = Task.CompletedTask;
    private IscsiServicePhase _phase = IscsiServicePhase.Starting;
    private string? _owner;
    private string? _error;
    private IReadOnlyList<IscsiNodeLoginResult> _logins = [];
    private IscsiAdoptionResult? _adoption;
    private int _disposed;

    /// <summary>Creates the service (DI).</summary>
    /// <param name="options">The validated options.</param>
    /// <param name="metrics">The instruments.</param>
    /// <param name="loggerFactory">Logging; the library logs through it too.</param>
    /// <param name="services">For the optional systemd notifier (registered by <c>UseSystemd()</c> under systemd).</param>
    public IscsiSessionOwnerService(IOptions<IscsiNativeHostingOptions> options, IscsiNativeMetrics metrics, ILoggerFactory? loggerFactory, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        _options = options.Value;
        _metrics = metrics;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<IscsiSessionOwnerService>();
        _notifier = services.GetService(typeof(ISystemdNotifier)) as ISystemdNotifier;
        _metrics.ObserveSessionsWith(CountSessionsByState);
    }

    /// <summary>The adoption result of the last start, or null (not the owner, adoption off, or not started).</summary>
    public IscsiAdoptionResult? Adoption => _adoption;

    /// <summary>The login results of the last start.</summary>
    public IReadOnlyList<IscsiNodeLoginResult> Logins => _logins;

    /// <summary>The service's phase.</summary>
    public IscsiServicePhase Phase => _phase;

    /// <summary>Restores the sessions; see the class remarks.</summary>
    /// <param name="cancellationToken">The host's start token.</param>
    /// <returns>Done when the restore finished.</returns>
    /// <exception cref="IscsiOwnershipException">Another owner has the sessions and <see cref="IscsiNativeHostingOptions.FailWhenNotOwner"/> is set.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(_options.StartTimeout);
        CancellationToken ct = bounded.Token;
        Notify("STATUS=Restoring iSCSI sessions");
        _phase = IscsiServicePhase.Starting;
        _database = new IscsiNodeDatabase(new IscsiNodeDatabaseOptions
        {
            Root = _options.DatabaseRoot,
            ConfigDirectory = _options.ConfigDirectory,
            LockDirectory = _options.DatabaseLockDirectory,
            LoggerFactory = _loggerFactory,
        });
        var initiator = new IscsiInitiator(new IscsiInitiatorOptions { LoggerFactory = _loggerFactory });
        lock (_gate)
        {
            _initiator = initiator;
        }

        long started = Stopwatch.GetTimestamp();
        try
        {
            // Ownership first: adopting (or, with AdoptExistingSessions off, only taking the lock) refuses while iscsid
            // runs or another process holds the host lock, before any login.
            _owned.Clear();
            _unowned.Clear();
            var ownership = new IscsiAdoptionOptions { LockDirectory = _options.OwnershipLockDirectory };
            if (_options.AdoptExistingSessions)
            {
                _adoption = await initiator.AdoptSessionsAsync(_database, ownership, ct).ConfigureAwait(false);
                foreach (IscsiAdoptedSession s in _adoption.Sessions)
                {
                    _metrics.Adoption(Snake(s.Outcome.ToString()));
                    if (s.IsOwned)
                    {
                        _owned[s.Sid] = true;
                    }
                    else
                    {
                        _unowned[s.Sid] = $"{s.Outcome}: {s.Reason}";
                        HostingLog.NotAdopted(_logger, s.Sid, s.TargetName, s.Outcome.ToString(), s.Reason ?? "");
                    }
                }
            }
            else
            {
                _adoption = null;
                await initiator.TakeOwnershipAsync(ownership, ct).ConfigureAwait(false);
                foreach (IscsiSession s in initiator.GetSessions())
                {
                    _unowned[s.Sid] = "not adopted: AdoptExistingSessions is false";
                    HostingLog.LeftUnadopted(_logger, s.Sid, s.TargetName);
                }
            }

            _watchStop = new CancellationTokenSource();
            _watch = Task.Run(() => WatchAsync(initiator, _watchStop.Token), CancellationToken.None);

            var logins = new List<IscsiNodeLoginResult>();
            foreach (IscsiNodeStartupFilter filter in _options.EffectiveRestore)
            {
                foreach (IscsiNodeLoginResult r in await initiator.LoginAllAsync(_database, filter, _options.MaxParallelLogins, ct).ConfigureAwait(false))
                {
                    if (!r.AlreadyLoggedIn)
                    {
                        _metrics.Login(r.Succeeded, r.Duration);
                    }

                    if (r.Session is { } session)
                    {
                        _owned[session.Sid] = true;
                    }

                    if (r.Error is { } e)
                    {
                        HostingLog.LoginFailed(_logger, r.Node.TargetName, r.Node.Portal.ToString(), e);
                    }

                    logins.Add(r);
                }
            }

            _logins = logins;
            _phase = IscsiServicePhase.Running;
            HostingLog.Restored(
                _logger, _adoption?.Owned.Count() ?? 0, logins.Count(r => r.Session is not null), logins.Count(r => r.Error is not null), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            Notify(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"STATUS=Owning {_owned.Count} iSCSI session(s)"));
        }
        catch (IscsiOwnershipException e)
        {
            _owner = e.Owner == IscsiSessionOwnerKind.Iscsid ? $"iscsid (pid {e.OwnerPid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"})" : $"process {e.OwnerPid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}";
            _phase = IscsiServicePhase.NotOwner;
            HostingLog.NotOwner(_logger, _owner, e.Message);
            Notify("STATUS=Not the iSCSI session owner: " + _owner);
            ReleaseInitiator();
            if (_options.FailWhenNotOwner)
            {
                throw;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _phase = IscsiServicePhase.Failed;
            _error = e is OperationCanceledException ? $"restore did not finish within {_options.StartTimeout}" : e.Message;
            HostingLog.StartFailed(_logger, _error, e);
            await StopWatchAsync().ConfigureAwait(false);
            ReleaseInitiator();
            throw;
        }
    }

    /// <summary>Stops recovery supervision; logs out only when configured; releases the ownership lock.</summary>
    /// <param name="cancellationToken">The host's stop token (bounds the logouts).</param>
    /// <returns>Done when stopped.</returns>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        IscsiInitiator? initiator;
        lock (_gate)
        {
            initiator = _initiator;
        }

        if (initiator is not null && _options.LogoutOnStop && _phase == IscsiServicePhase.Running)
        {
            IEnumerable<int> owned = (_adoption?.Owned.Select(s => s.Sid) ?? []).Concat(_logins.Where(r => r.Session is not null).Select(r => r.Session!.Sid));
            foreach (int sid in owned.Distinct())
            {
                try
                {
                    await initiator.LogoutAsync(sid, _options.LogoutTimeout, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IscsiException or UnauthorizedAccessException or OperationCanceledException)
                {
                    HostingLog.LogoutFailed(_logger, sid, e);
                }
            }
        }

        await StopWatchAsync().ConfigureAwait(false);
        ReleaseInitiator();
        if (_phase is IscsiServicePhase.Running or IscsiServicePhase.Starting)
        {
            _phase = IscsiServicePhase.Stopped;
        }
    }

    /// <summary>What the health check looks at: expected nodes (the restored startup classes) vs their sessions in sysfs.</summary>
    /// <returns>The snapshot.</returns>
    public IscsiSessionsSnapshot Snapshot()
    {
        if (_phase != IscsiServicePhase.Running || _database is null)
        {
            return new IscsiSessionsSnapshot(_phase, [], [], [], _owner, _error);
        }

        List<string> expected = [], loggedIn = [], recovering = [];
        IReadOnlyList<IscsiSession> sessions;
        lock (_gate)
        {
            if (_initiator is null)
            {
                return new IscsiSessionsSnapshot(IscsiServicePhase.Stopped, [], [], [], _owner, _error);
            }

            sessions = _initiator.GetSessions();
        }

        foreach (IscsiNodeRecord node in _database.Query().Nodes.Where(n => _options.EffectiveRestore.Any(f => MatchesStartup(n, f))))
        {
            string key = $"{node.TargetName} {node.Portal} {node.IfaceName}";
            expected.Add(key);
            IscsiSession? s = sessions.FirstOrDefault(x => x.TargetName == node.TargetName && x.PersistentAddress == node.Portal.Address
                && x.PersistentPort == node.Portal.Port && (string.IsNullOrEmpty(x.IfaceName) ? "default" : x.IfaceName) == node.IfaceName);
            if (s?.State == IscsiSessionState.LoggedIn)
            {
                loggedIn.Add(key);
            }
            else if (s?.State is IscsiSessionState.Failed)
            {
                recovering.Add(key);
            }
        }

        // Sessions nobody recovers: no (matching) record at adoption, adoption off, or appeared after the start.
        List<string> unowned = [.. sessions.Where(s => !_owned.ContainsKey(s.Sid)).OrderBy(s => s.Sid).Select(s => string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"session {s.Sid} {s.TargetName} {s.Portal?.ToString() ?? "-"} ({(_unowned.TryGetValue(s.Sid, out string? why) ? why : "appeared after the start: not adopted")})"))];
        return new IscsiSessionsSnapshot(IscsiServicePhase.Running, expected, loggedIn, recovering) { NotOwned = unowned };
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // The container disposes this instance twice (as itself and as the hosted service it is registered as).
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _watchStop?.Cancel();
        ReleaseInitiator();
        _watchStop?.Dispose();
    }

    /// <summary>iscsiadm's startup matching (node.startup or node.conn[0].startup).</summary>
    internal static bool MatchesStartup(IscsiNodeRecord node, IscsiNodeStartupFilter filter) => filter switch
    {
        IscsiNodeStartupFilter.All => true,
        IscsiNodeStartupFilter.Automatic => node.Startup == IscsiNodeStartup.Automatic || node.ConnectionStartup == IscsiNodeStartup.Automatic,
        IscsiNodeStartupFilter.OnBoot => node.Startup == IscsiNodeStartup.OnBoot || node.ConnectionStartup == IscsiNodeStartup.OnBoot,
        _ => node.Startup == IscsiNodeStartup.Manual || node.ConnectionStartup == IscsiNodeStartup.Manual,
    };

    private static string Snake(string pascal)
    {
        var b = new System.Text.StringBuilder(pascal.Length + 8);
        foreach (char c in pascal)
        {
            if (char.IsUpper(c) && b.Length > 0)
            {
                b.Append('_');
            }

            b.Append(char.ToLowerInvariant(c));
        }

        return b.ToString();
    }

    private IEnumerable<KeyValuePair<string, int>> CountSessionsByState()
    {
        IReadOnlyList<IscsiSession> sessions;
        lock (_gate)
        {
            if (_initiator is null)
            {
                return [];
            }

            sessions = _initiator.GetSessions();
        }

        return sessions.GroupBy(s => Snake(s.State.ToString())).Select(g => new KeyValuePair<string, int>(g.Key, g.Count())).ToList();
    }

    private async Task WatchAsync(IscsiInitiator initiator, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (IscsiSessionEvent e in initiator.WatchEventsAsync(cancellationToken).ConfigureAwait(false))
            {
                switch (e.Kind)
                {
                    case IscsiSessionEventKind.RecoveryStarted:
                        _recoveryStarted[e.Sid] = Stopwatch.GetTimestamp();
                        _metrics.Recovery("started");
                        break;
                    case IscsiSessionEventKind.Recovered:
                        _recoveryStarted.TryRemove(e.Sid, out _);
                        _metrics.Recovery("recovered", e.Elapsed);
                        break;
                    case IscsiSessionEventKind.RecoveryFailed:
                        _recoveryStarted.TryRemove(e.Sid, out _);
                        _metrics.Recovery("failed");
                        break;
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            HostingLog.WatchFailed(_logger, e);
        }
    }

    private async Task StopWatchAsync()
    {
        if (_watchStop is { } stop)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await _watch.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
    }

    private void ReleaseInitiator()
    {
        IscsiInitiator? initiator;
        lock (_gate)
        {
            initiator = _initiator;
            _initiator = null;
        }

        initiator?.Dispose();
    }

    private void Notify(string state)
    {
        if (_notifier?.IsEnabled == true)
        {
            _notifier.Notify(new ServiceState(state));
        }
    }
}
