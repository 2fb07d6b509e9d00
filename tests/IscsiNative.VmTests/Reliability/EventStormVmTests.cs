using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using IscsiNative.Initiator;
using IscsiNative.Netlink;
using IscsiNative.Sysfs;
using IscsiNative.VmTests.Infrastructure;
using IscsiNative.VmTests.Login;
using IscsiNative.VmTests.Recovery;
using Microsoft.Extensions.Logging;

namespace IscsiNative.VmTests.Reliability;

/// <summary>
/// An event storm (issue 17): every session of one target fails at once while the initiator's event socket cannot
/// keep up, so the kernel drops CONN_ERRORs (ENOBUFS). The socket's receive buffer is small and the netlink reader is
/// held (a log sink that blocks on the first CONN_ERROR it is told about) until sysfs shows every session FAILED:
/// the overflow is certain, not a matter of luck. Every session must still be recovered once the target is back.
/// </summary>
public sealed class EventStormVmTests
{
    /// <summary>
    /// Sessions in the storm: <c>ISCSINATIVE_STORM_SESSIONS</c>, default 32. The issue's 256 did not finish within the
    /// VM's 15 minutes on the shared 2-core build machine (LIO itself failed connections on NOP-In timeouts), see
    /// docs/reliability.md; 32 events still overflow the 4 KiB buffer many times over.
    /// </summary>
    private static readonly int Count = int.TryParse(Environment.GetEnvironmentVariable("ISCSINATIVE_STORM_SESSIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 32;

    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(180);

    [VmFact]
    public async Task Sessions_failing_at_once_with_kernel_events_dropped_by_ENOBUFS_are_all_recovered_from_a_sysfs_resync()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        // A liveness bound, not a speed check: the logins are one at a time, so it grows with the count (about 16 min at 256).
        deadline.CancelAfter(TimeSpan.FromMinutes(8) + (Count * TimeSpan.FromSeconds(2)));
        CancellationToken ct = deadline.Token;
        using LioTarget target = LoginVm.Target("storm", luns: 1, lunBytes: 1024 * 1024);
        var before = LoginVm.KernelObjects();
        using var sink = new StallingLogSink();
        await using var initiator = new IscsiInitiator(new IscsiInitiatorOptions { LoggerFactory = sink });

        // 4 KiB requested (the kernel doubles it): room for a handful of events, far fewer than the storm.
        initiator.UseKernel(IscsiKernelTransport.Open(new IscsiKernelTransportOptions { ReceiveBufferBytes = 4096, LoggerFactory = sink }));
        await using RecoveryEvents events = RecoveryEvents.Start(initiator);
        LoginOptions options = LoginVm.Options() with
        {
            ScanLuns = false,
            RecoveryTimeout = 300,
            LoginTimeout = TimeSpan.FromSeconds(10),
            Recovery = new SessionRecoveryOptions { FirstDelay = TimeSpan.FromSeconds(1), RetryDelay = TimeSpan.FromSeconds(2), MaxRetryDelay = TimeSpan.FromSeconds(4), RescanDevices = false },
        };
        var clock = Stopwatch.StartNew();
        var sessions = new List<IscsiSession>();
        try
        {
            // One login at a time, so the small buffer only ever holds one login's responses.
            for (int i = 0; i < Count; i++)
            {
                sessions.Add(await initiator.LoginAsync(target.Iqn, LoginVm.Portal, options, ct));
            }

            TimeSpan loggedIn = clock.Elapsed;
            Assert.Equal(Count, sessions.Select(s => s.Sid).Distinct().Count());
            int[] sids = [.. sessions.Select(s => s.Sid)];

            sink.Arm();
            target.SetEnabled(false);
            Assert.True(Wait.Until(() => sids.All(sid => State(sid) == "FAILED"), Bounded), "not every session FAILED: " + string.Join(", ", sids.Where(sid => State(sid) != "FAILED")));
            Assert.True(sink.Held, "the reader was not held on a CONN_ERROR");
            sink.Release();
            TimeSpan failed = clock.Elapsed;

            // The reader saw ENOBUFS and the recovery resynced from sysfs: every session recovering, none lost.
            Assert.True(Wait.Until(() => sink.Count(1113) > 0 && sink.Count(627) > 0, Bounded), $"no ENOBUFS/resync logged (1113: {sink.Count(1113)}, 627: {sink.Count(627)})");
            foreach (int sid in sids)
            {
                await events.WaitForAsync(IscsiSessionEventKind.RecoveryStarted, sid, Bounded);
            }

            int conErrorsSeen = sids.Count(sid => events.Of(sid).Any(e => e.Kind == IscsiSessionEventKind.ConnectionError));
            int failedAttemptsBefore = sink.Count(622);
            target.SetEnabled(true);
            TimeSpan enabled = clock.Elapsed;
            foreach (int sid in sids)
            {
                try
                {
                    await events.WaitForAsync(IscsiSessionEventKind.Recovered, sid, Bounded);
                }
                catch (Xunit.Sdk.XunitException e)
                {
                    int[] missing = [.. sids.Where(s => !events.Of(s).Any(x => x.Kind == IscsiSessionEventKind.Recovered))];
                    throw new Xunit.Sdk.XunitException(string.Create(CultureInfo.InvariantCulture,
                        $"{missing.Length}/{Count} not recovered ({string.Join(", ", missing.Take(20))}); failed attempts {sink.Count(622)}, gave up {sink.Count(624)}, " +
                        $"recovered {sink.Count(623)}; states: {string.Join(", ", missing.Take(20).Select(m => m + "=" + State(m)))}: {e.Message}"), e);
                }
            }

            TimeSpan recovered = clock.Elapsed;
            int maxAttempts = sids.Max(sid => events.Of(sid).First(e => e.Kind == IscsiSessionEventKind.Recovered).Attempts ?? 0);
            Assert.All(sids, sid => Assert.Equal("LOGGED_IN", State(sid)));
            Assert.All(sids, sid => Assert.Equal("up", SysfsProbe.ReadAttribute($"/sys/class/iscsi_connection/connection{sid}:0", "state")));
            LoginVm.Report(string.Create(CultureInfo.InvariantCulture,
                $"event storm: {Count} sessions logged in by {loggedIn.TotalSeconds:0.0} s, all FAILED by {failed.TotalSeconds:0.0} s, " +
                $"ENOBUFS {sink.Count(1113)}x, CONN_ERROR delivered for {conErrorsSeen}/{Count}, recoveries started by the sysfs resync {sink.ResyncStarted} " +
                $"(by events {Count - sink.ResyncStarted}), target enabled at {enabled.TotalSeconds:0.0} s, all recovered by {recovered.TotalSeconds:0.0} s; " +
                $"failed reconnect attempts {failedAttemptsBefore} while disabled, {sink.Count(622) - failedAttemptsBefore} after; most attempts of one session {maxAttempts}"));
        }
        finally
        {
            sink.Release();
            target.SetEnabled(true);
            await Task.WhenAll(sessions.Select(s => initiator.LogoutAsync(s, ct)));
        }

        Assert.Equal(before, LoginVm.KernelObjects());
    }

    private static string? State(int sid)
    {
        string path = $"/sys/class/iscsi_session/session{sid.ToString(CultureInfo.InvariantCulture)}/state";
        try
        {
            return File.ReadAllText(path).TrimEnd('\n');
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Counts log events by id; once armed, blocks the first thread that logs a CONN_ERROR event (the netlink reader) until released.</summary>
    private sealed class StallingLogSink : ILoggerFactory, ILogger
    {
        private readonly ConcurrentDictionary<int, int> _counts = new();
        private readonly ManualResetEventSlim _release = new(false);
        private int _armed;
        private int _resyncStarted;

        public bool Held { get; private set; }

        public void Arm() => Volatile.Write(ref _armed, 1);

        public void Release() => _release.Set();

        public int Count(int eventId) => _counts.TryGetValue(eventId, out int n) ? n : 0;

        /// <summary>The recoveries the sysfs resyncs started (the sum of <c>Started</c> over log event 627).</summary>
        public int ResyncStarted => Volatile.Read(ref _resyncStarted);

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            _counts.AddOrUpdate(eventId.Id, 1, (_, n) => n + 1);
            if (eventId.Id == 627 && state is IReadOnlyList<KeyValuePair<string, object?>> values
                && values.FirstOrDefault(v => v.Key == "Started").Value is int started)
            {
                Interlocked.Add(ref _resyncStarted, started);
            }

            if (eventId.Id == 1102 && formatter(state, exception).Contains("KernelConnError", StringComparison.Ordinal) && Interlocked.CompareExchange(ref _armed, 0, 1) == 1)
            {
                Held = true;
                _release.Wait(TimeSpan.FromSeconds(150));
            }
        }

        public void Dispose() => _release.Dispose();
    }
}
