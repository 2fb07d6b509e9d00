using System.Collections.Concurrent;
using System.Threading.Channels;
using IscsiNative.Netlink;
using Microsoft.Extensions.Logging;

namespace IscsiNative.Initiator;

/// <summary>
/// The event side of an <see cref="IscsiInitiator"/>: one subscription to the kernel's event group, pumped on a
/// thread-pool task (not the netlink reader thread, which only queues), that (1) fans the public events out to every
/// <see cref="IscsiInitiator.WatchEventsAsync"/> reader and (2) starts the recovery of sessions this initiator
/// logged in when their connection fails. Recovery events go to the same readers, after the CONN_ERROR they follow.
/// </summary>
internal sealed class KernelRecovery : IDisposable, IAsyncDisposable
{
    private const int SubscriberCapacity = 1024;

    private readonly IscsiKernelTransport _kernel;
    private readonly ILogger _logger;
    private readonly Channel<IscsiKernelEvent> _events;
    private readonly ConcurrentDictionary<uint, SessionRecovery> _sessions = new();

    // Sessions whose login is past START_CONN but not yet handed over by AddLoggedIn (guarded by _gate), with the first
    // CONN_ERROR the pump saw for each meanwhile (null: none yet).
    private readonly Dictionary<uint, (uint Cid, IscsiConnectionError Error)?> _starting = [];
    private readonly Lock _gate = new();
    private readonly EventHub<IscsiSessionEvent> _public = new(SubscriberCapacity);
    private readonly CancellationTokenSource _stop = new();
    private readonly ReconnectSlots _slots;
    private readonly Task _pump;
    private bool _disposed;
    private bool _queueOverflowed;

    internal KernelRecovery(IscsiKernelTransport kernel, ILogger logger, int reconnectsPerPortal = ReconnectSlots.DefaultPerPortal)
    {
        _slots = new ReconnectSlots(reconnectsPerPortal);
        _kernel = kernel;
        _logger = logger;
        // Only what the pump handles: RECV_PDU traffic of every session on the system must not push a CONN_ERROR
        // out of this bounded queue before recovery sees it.
        // If the pump still falls more than the queue's capacity behind, the dropped events may hold a CONN_ERROR:
        // the same sysfs resync as for the kernel's own drops (ENOBUFS) runs once the pump catches up.
        _events = kernel.SubscribeEvents(static e => e.Type != IscsiUeventType.KernelRecvPdu, () => Volatile.Write(ref _queueOverflowed, true));
        _pump = Task.Run(PumpAsync, CancellationToken.None);
    }

    /// <summary>
    /// Called by a login just before START_CONN: from now on a CONN_ERROR of <paramref name="sid"/> is kept until
    /// <see cref="AddLoggedIn"/> takes the session over (the error can arrive while the login still scans its LUNs, before the
    /// session is registered), or until <see cref="Forget"/> when the login fails.
    /// </summary>
    internal void Expect(uint sid)
    {
        lock (_gate)
        {
            _starting[sid] = null;
        }
    }

    /// <summary>The login of <paramref name="sid"/> failed (and unwound): drops what <see cref="Expect"/> kept.</summary>
    internal void Forget(uint sid)
    {
        lock (_gate)
        {
            _starting.Remove(sid);
        }
    }

    /// <summary>Takes over the recovery of an adopted session (the adoption checks its state itself).</summary>
    internal void Add(SessionRecovery session)
    {
        session.Slots = _slots;
        lock (_gate)
        {
            _sessions[session.Sid] = session;
            _starting.Remove(session.Sid);
        }
    }

    /// <summary>
    /// Takes over the recovery of a session just logged in. A CONN_ERROR that arrived between START_CONN and now (kept
    /// since <see cref="Expect"/>) starts its recovery at once; otherwise sysfs is read once, so a failure whose event
    /// was lost (ENOBUFS) in that window is not missed either.
    /// </summary>
    internal void AddLoggedIn(SessionRecovery session)
    {
        (uint Cid, IscsiConnectionError Error)? missed;
        session.Slots = _slots;
        lock (_gate)
        {
            _sessions[session.Sid] = session;
            _starting.Remove(session.Sid, out missed);
        }

        if (missed is { } error)
        {
            RecoveryLog.ErrorDuringLogin(_logger, session.Sid, error.Error.ToString());
            session.OnConnectionError(error.Cid, error.Error);
        }
        else
        {
            session.RecoverIfFailedInSysfs();
        }
    }

    /// <summary>Removes a session's recovery state (logout); the caller stops it.</summary>
    internal SessionRecovery? Remove(uint sid) => _sessions.TryRemove(sid, out SessionRecovery? session) ? session : null;

    /// <summary>The recovery state of <paramref name="sid"/>, if this initiator owns it.</summary>
    internal SessionRecovery? Find(uint sid) => _sessions.TryGetValue(sid, out SessionRecovery? session) ? session : null;

    /// <summary>A new reader of the public events from now on (a reader more than 1024 behind loses the oldest).</summary>
    internal Channel<IscsiSessionEvent> Subscribe()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
        }

        return _public.Subscribe();
    }

    /// <summary>Ends a reader.</summary>
    internal void Unsubscribe(Channel<IscsiSessionEvent> channel) => _public.Unsubscribe(channel);

    /// <summary>Hands an event to every reader (never blocks).</summary>
    internal void Publish(IscsiSessionEvent e) => _public.Publish(e);

    /// <summary>How long disposal waits for the recovery loops and the event pump to end.</summary>
    internal static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Stops every recovery loop and the pump (blocking at most <see cref="StopTimeout"/>) and ends the readers.
    /// Sessions stay in the kernel, as they do when iscsid exits; a FAILED one is then failed for good by the kernel
    /// when its recovery_tmo expires.
    /// </summary>
    public void Dispose()
    {
        if (BeginStop() is Task[] running)
        {
            try
            {
                Task.WaitAll(running, StopTimeout);
            }
            catch (AggregateException)
            {
                // The loops log their own end; nothing else to do on dispose.
            }

            FinishStop();
        }
    }

    /// <summary>As <see cref="Dispose"/>, awaiting the loops (bounded the same way) instead of blocking a thread.</summary>
    /// <returns>A task that completes when the loops ended or the bound passed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (BeginStop() is Task[] running)
        {
            try
            {
                await Task.WhenAll(running).WaitAsync(StopTimeout).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The loops log their own end; nothing else to do on dispose.
            }

            FinishStop();
        }
    }

    /// <summary>Marks disposed and signals every loop to stop; null when already disposed.</summary>
    private Task[]? BeginStop()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return null;
            }

            _disposed = true;
        }

        List<Task> loops = [];
        foreach (SessionRecovery session in _sessions.Values)
        {
            loops.Add(session.Abandon("initiator disposed"));
        }

        _stop.Cancel();
        _kernel.UnsubscribeEvents(_events);
        return [.. loops, _pump];
    }

    private void FinishStop()
    {
        foreach (SessionRecovery session in _sessions.Values)
        {
            session.Release();
        }

        _sessions.Clear();
        _public.Complete();
    }

    /// <summary>The owned session <paramref name="sid"/>; or, when its login is still running, keeps the first error for <see cref="AddLoggedIn"/>.</summary>
    private SessionRecovery? FindOrKeep(uint sid, uint cid, IscsiConnectionError error)
    {
        lock (_gate)
        {
            if (_sessions.TryGetValue(sid, out SessionRecovery? session))
            {
                return session;
            }

            if (_starting.TryGetValue(sid, out var kept) && kept is null)
            {
                _starting[sid] = (cid, error);
            }

            return null;
        }
    }

    /// <summary>Starts the recovery of every owned session that sysfs shows failed (after the kernel dropped events).</summary>
    private void Resync()
    {
        int started = 0;
        foreach (SessionRecovery session in _sessions.Values)
        {
            if (session.RecoverIfFailedInSysfs())
            {
                started++;
            }
        }

        RecoveryLog.Resynced(_logger, _sessions.Count, started);
    }

    private async Task PumpAsync()
    {
        try
        {
            await foreach (IscsiKernelEvent e in _events.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                if (IscsiInitiator.ToPublic(e) is { } publicEvent)
                {
                    Publish(publicEvent);
                }

                switch (e)
                {
                    case { Type: IscsiUeventType.KernelConnError, Sid: uint sid, Cid: uint cid, Error: IscsiConnectionError error }
                        when error != IscsiConnectionError.InvalidHost:
                        // ISCSI_ERR_INVALID_HOST (host removal): iscsid shuts the session down instead of reopening it.
                        // A session still between START_CONN and AddLoggedIn keeps the error for it.
                        FindOrKeep(sid, cid, error)?.OnConnectionError(cid, error);

                        break;
                    case { Type: IscsiUeventType.KernelDestroySession, Sid: uint sid } when Find(sid) is { } session:
                        _ = session.Abandon("session destroyed");
                        break;
                    case { EventsLost: true }:
                        // A CONN_ERROR may be among the dropped messages: the kernel marks the connection failed before
                        // it sends one, so sysfs tells which sessions need the recovery they were not told about.
                        Volatile.Write(ref _queueOverflowed, false);
                        Resync();
                        break;
                }

                if (Volatile.Read(ref _queueOverflowed) && Interlocked.Exchange(ref _queueOverflowed, false))
                {
                    Resync();
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The kernel connection failed: no more events, nothing to recover with.
            RecoveryLog.StepFailed(_logger, 0, "event pump", e);
        }
        finally
        {
            // No more events: end the readers (they drain what is queued first).
            _public.Complete();
        }
    }
}
