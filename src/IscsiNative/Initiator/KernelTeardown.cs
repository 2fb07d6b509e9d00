using System.Net.Sockets;
using IscsiNative.Netlink;
using IscsiNative.Protocol;
using IscsiNative.Sysfs;
using Microsoft.Extensions.Logging;

namespace IscsiNative.Initiator;

/// <summary>
/// Logout and teardown as iscsid does them (OPEN-ISCSI.md §8): UNBIND_SESSION, Logout PDU (immediate, final,
/// reason 0 = close session) via SEND_PDU and its response (bounded; on timeout teardown continues),
/// STOP_CONN(TERM), close the socket, DESTROY_CONN, DESTROY_SESSION.
/// </summary>
internal static class KernelTeardown
{
    /// <summary>How long a logout waits for the kernel to remove the SCSI host after DESTROY_SESSION_ASYNC.</summary>
    internal static readonly TimeSpan HostRemovalTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs the teardown of session <paramref name="sid"/>.</summary>
    /// <param name="kernel">The netlink transport.</param>
    /// <param name="sid">The session.</param>
    /// <param name="connectionExists">Whether connection sid:0 exists (STOP/DESTROY_CONN are sent only then).</param>
    /// <param name="socket">Our TCP socket, closed after STOP_CONN; null for sessions of other processes.</param>
    /// <param name="logout">Send UNBIND and the Logout PDU first (false while unwinding a login before full feature phase).</param>
    /// <param name="logoutTimeout">How long to wait for the Logout Response.</param>
    /// <param name="throwOnError">Throw the first failure of STOP/DESTROY (logout) instead of only logging it (unwind).</param>
    /// <param name="logger">Where failures are logged.</param>
    /// <param name="cancellationToken">Cancels the wait for the Logout Response only; the kernel teardown always runs.</param>
    /// <param name="removal">
    /// The session's SCSI host and where to watch its removal: then STOP_CONN, DESTROY_CONN and DESTROY_SESSION_ASYNC go
    /// in one sendmsg and the wait for the host's removal happens outside the kernel's global rx mutex (the synchronous
    /// DESTROY_SESSION holds that mutex for the whole SCSI teardown, which serializes concurrent logouts). Null: the
    /// synchronous DESTROY_SESSION.
    /// </param>
    /// <returns>True when the target answered the logout.</returns>
    internal static async Task<bool> RunAsync(
        IscsiKernelTransport kernel, uint sid, bool connectionExists, Socket? socket, bool logout, TimeSpan logoutTimeout,
        bool throwOnError, ILogger logger, CancellationToken cancellationToken, HostRemoval? removal = null)
    {
        const uint Cid = 0;
        Exception? first = null;
        bool answered = false;
        long total = PhaseTrace.Begin();
        long t = total;
        if (logout)
        {
            await StepAsync("UNBIND_SESSION", () => kernel.UnbindSessionAsync(sid, CancellationToken.None), record: false).ConfigureAwait(false);
            t = Lap("logout: UNBIND_SESSION", t);
            if (connectionExists)
            {
                answered = await SendLogoutAsync(kernel, sid, Cid, logoutTimeout, logger, cancellationToken).ConfigureAwait(false);
                t = Lap("logout: Logout PDU round trip", t);
            }
        }

        if (removal is { } r)
        {
            // Watch the host before asking for its removal: its uevents may come before sendmsg returns.
            using ScsiHostUevents.Watch? watch = r.Uevents?.WatchHost(r.Host, r.Sysfs.Root);
            using (KernelBatch batch = kernel.NewBatch())
            {
                if (connectionExists)
                {
                    batch.StopConnection(sid, Cid, IscsiStopConnFlag.Terminate).DestroyConnection(sid, Cid);
                }

                batch.SessionOnly(IscsiUeventType.DestroySessionAsync, sid);
                try
                {
                    Exception?[] errors = await kernel.SendBatchAsync(batch, CancellationToken.None).ConfigureAwait(false);
                    for (int i = 0; i < errors.Length; i++)
                    {
                        if (errors[i] is { } error)
                        {
                            LoginLog.TeardownStepFailed(logger, sid, batch.Requests[i].Type.ToKernelName(), error);
                            first ??= error;
                        }
                    }
                }
                catch (Exception e) when (e is IscsiException or UnauthorizedAccessException or ObjectDisposedException)
                {
                    LoginLog.TeardownStepFailed(logger, sid, "STOP_CONN/DESTROY_CONN/DESTROY_SESSION_ASYNC", e);
                    first ??= e;
                }
            }

            // STOP_CONN has run (the kernel dropped its reference): our descriptor can go.
            socket?.Dispose();
            if (connectionExists)
            {
                kernel.ClosePduQueue(sid, Cid);
            }

            t = Lap("logout: STOP_CONN + DESTROY_CONN + DESTROY_SESSION_ASYNC batch", t);
            if (first is null)
            {
                using var deadline = new CancellationTokenSource(HostRemovalTimeout);
                try
                {
                    await r.Sysfs.WaitForHostRemovalAsync(r.Host, watch, deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException e)
                {
                    var timeout = new IscsiTimeoutException("SCSI host removal", HostRemovalTimeout, $"session {sid}, host{r.Host}", e);
                    LoginLog.TeardownStepFailed(logger, sid, "SCSI host removal", timeout);
                    first = timeout;
                }

                _ = Lap("logout: wait for the SCSI host removal (uevents)", t);
            }
        }
        else
        {
            if (connectionExists)
            {
                await StepAsync("STOP_CONN", () => kernel.StopConnectionAsync(sid, Cid, IscsiStopConnFlag.Terminate, CancellationToken.None), record: true).ConfigureAwait(false);
                t = Lap("logout: STOP_CONN", t);
            }

            socket?.Dispose();
            if (connectionExists)
            {
                await StepAsync("DESTROY_CONN", () => kernel.DestroyConnectionAsync(sid, Cid, CancellationToken.None), record: true).ConfigureAwait(false);
                t = Lap("logout: DESTROY_CONN", t);
            }

            await StepAsync("DESTROY_SESSION", () => kernel.DestroySessionAsync(sid, waitForTeardown: true, CancellationToken.None), record: true).ConfigureAwait(false);
            _ = Lap("logout: DESTROY_SESSION (until the host is gone)", t);
        }

        PhaseTrace.End("logout: total (teardown)", sid, total);
        if (throwOnError && first is not null)
        {
            throw first;
        }

        return answered;

        long Lap(string phase, long begin)
        {
            if (begin == 0)
            {
                return 0;
            }

            long now = System.Diagnostics.Stopwatch.GetTimestamp();
            PhaseTrace.Record(phase, sid, begin, now);
            return now;
        }

        async Task StepAsync(string step, Func<Task> action, bool record)
        {
            try
            {
                await action().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IscsiException or UnauthorizedAccessException or ObjectDisposedException)
            {
                LoginLog.TeardownStepFailed(logger, sid, step, e);
                if (record)
                {
                    first ??= e;
                }
            }
        }
    }

    /// <summary>Where a teardown waits for the SCSI host's removal (see <see cref="RunAsync"/>).</summary>
    /// <param name="Host">The session's SCSI host.</param>
    /// <param name="Sysfs">The sysfs reader (its root).</param>
    /// <param name="Uevents">The uevent router, or null to poll.</param>
    internal readonly record struct HostRemoval(int Host, SysfsSessionReader Sysfs, ScsiHostUevents? Uevents);

    private static async Task<bool> SendLogoutAsync(IscsiKernelTransport kernel, uint sid, uint cid, TimeSpan timeout, ILogger logger, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        long started = Environment.TickCount64;

        // Start receiving before sending: the first call opens the (sid, cid) queue, so a fast answer to a session
        // this process did not create is not dropped.
        Task<IscsiReceivedPdu> receive = kernel.ReceivePduAsync(sid, cid, timeout, deadline.Token);
        try
        {
            byte[] bhs = new byte[Bhs.Size];
            PduEncoder.WriteLogoutRequest(bhs, immediate: true, reason: 0, itt: 0, (ushort)cid, cmdSN: 0, expStatSN: 0);
            await kernel.SendPduAsync(sid, cid, bhs, default, deadline.Token).ConfigureAwait(false);
            while (true)
            {
                using IscsiReceivedPdu pdu = await receive.ConfigureAwait(false);
                if (pdu.Opcode == (byte)IscsiOpcode.LogoutResponse)
                {
                    return true;
                }

                // An Async Message or a stale PDU: keep waiting for the Logout Response within the same deadline.
                TimeSpan left = timeout - TimeSpan.FromMilliseconds(Environment.TickCount64 - started);
                receive = kernel.ReceivePduAsync(sid, cid, left > TimeSpan.Zero ? left : TimeSpan.Zero, deadline.Token);
            }
        }
        catch (Exception e) when (e is IscsiException or UnauthorizedAccessException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LoginLog.LogoutResponseMissing(logger, sid, timeout.TotalMilliseconds);
            Observe(receive);
            return false;
        }
        catch (OperationCanceledException)
        {
            // The caller gave up waiting; the teardown still runs.
            Observe(receive);
            return false;
        }
    }

    private static void Observe(Task<IscsiReceivedPdu> receive) =>
        _ = receive.ContinueWith(
            t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    t.Result.Dispose();
                }

                _ = t.Exception;
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
}
