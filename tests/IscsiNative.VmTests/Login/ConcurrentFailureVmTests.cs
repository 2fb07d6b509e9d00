using IscsiNative.Initiator;
using IscsiNative.Sysfs;
using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Login;

/// <summary>
/// Concurrent logins and logouts with failures interleaved: the shared request-socket pool, the batched sendmsg and
/// the uevent-driven waits must keep every caller's replies, PDUs and devices apart, and a failed login must unwind
/// while others go on. Every operation is bounded by its own timeouts and the whole test by one deadline.
/// </summary>
public sealed class ConcurrentFailureVmTests
{
    private const int Good = 16;
    private const int Chap = 4;
    private const int Missing = 4;

    /// <summary>
    /// The login timeout doubled against <see cref="LoginVm.Options"/>: LIO takes the first Login PDU of every connection
    /// to a portal on one thread, one connection at a time, with its own 15 s timer, so 25 logins at once wait on one
    /// another there, and one connection LIO stalls on holds up all that follow it. A CI run (2026-12-03) lost one
    /// login of this test to the 15 s timeout, cause not identified (the CI summary now shows the kernel's messages of
    /// a failed test). This test is about unwinding refused and failed logins among good ones, not about latency.
    /// </summary>
    private static LoginOptions Options => LoginVm.Options() with { LoginTimeout = TimeSpan.FromSeconds(30) };

    [VmFact]
    public async Task Concurrent_logins_with_refusals_and_unreachable_portals_unwind_the_failures_and_keep_the_rest_then_interleaved_logouts_leave_nothing()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(10));
        CancellationToken ct = deadline.Token;
        var targets = new List<LioTarget>();
        try
        {
            for (int i = 0; i < Good; i++)
            {
                targets.Add(LoginVm.Target("mixgood"));
            }

            var chapTargets = new List<LioTarget>();
            for (int i = 0; i < Chap; i++)
            {
                chapTargets.Add(LoginVm.Target("mixchap", new ChapCredentials("user" + i, "secretsecret" + i)));
            }

            targets.AddRange(chapTargets);
            var before = LoginVm.KernelObjects();
            await using var initiator = new IscsiInitiator();

            // Round 1: good, CHAP-required (no credentials given), unknown target names and a closed port, all at once.
            var good = targets.Take(Good).Select(t => initiator.LoginAsync(t.Iqn, LoginVm.Portal, Options, ct)).ToList();
            var refusedChap = chapTargets.Select(t => initiator.LoginAsync(t.Iqn, LoginVm.Portal, Options, ct)).ToList();
            var refusedName = Enumerable.Range(0, Missing).Select(i => initiator.LoginAsync(LioTarget.UniqueIqn("mixmissing"), LoginVm.Portal, Options, ct)).ToList();
            Task<IscsiSession> closedPort = initiator.LoginAsync(targets[0].Iqn, new IscsiPortal("127.0.0.1", 1), Options, ct);
            await Task.WhenAll(good.Concat(refusedChap).Concat(refusedName).Append(closedPort).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

            IscsiSession[] sessions = good.Select(t => t.Result).ToArray();
            Assert.Equal(Good, sessions.Select(s => s.Sid).Distinct().Count());
            Assert.Equal(Good, sessions.Select(s => LoginVm.AssertDisk(s)).Distinct().Count());
            foreach (Task<IscsiSession> t in refusedChap)
            {
                Assert.IsType<IscsiAuthenticationException>(t.Exception!.InnerException);
            }

            foreach (Task<IscsiSession> t in refusedName)
            {
                Assert.IsAssignableFrom<IscsiLoginException>(t.Exception!.InnerException);
            }

            Assert.IsAssignableFrom<IscsiException>(closedPort.Exception!.InnerException);
            (string[] sessionsNow, string[] connectionsNow, string[] hostsNow) = LoginVm.KernelObjects();
            Assert.Equal(before.Sessions.Length + Good, sessionsNow.Length);
            Assert.Equal(before.Connections.Length + Good, connectionsNow.Length);
            Assert.Equal(before.Hosts.Length + Good, hostsNow.Length);

            // Round 2: half the sessions log out while the refused logins are retried and the other half logs in again.
            var logouts = sessions.Take(Good / 2).Select(s => initiator.LogoutAsync(s, ct)).ToList();
            var retries = chapTargets.Select(t => initiator.LoginAsync(t.Iqn, LoginVm.Portal, Options, ct)).ToList();
            var again = targets.Skip(Good / 2).Take(Good / 2).Select(t => initiator.LoginAsync(t.Iqn, LoginVm.Portal, Options, ct)).ToList();
            await Task.WhenAll(logouts.Cast<Task>().Concat(retries).Concat(again).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

            Assert.All(logouts, t => Assert.True(t.Result));
            Assert.All(retries, t => Assert.IsType<IscsiAuthenticationException>(t.Exception!.InnerException));
            IscsiSession[] second = again.Select(t => t.Result).ToArray();
            foreach (IscsiSession s in sessions.Take(Good / 2))
            {
                // The logins of this round may have been given a freed host number again (the kernel reuses them).
                AssertGoneOrHostReused(s, second);
            }

            foreach (IscsiSession s in second)
            {
                LoginVm.AssertDisk(s);
            }

            // Round 3: everything left logs out at once.
            IscsiSession[] rest = [.. sessions.Skip(Good / 2), .. second];
            bool[] answered = await Task.WhenAll(rest.Select(s => initiator.LogoutAsync(s, ct)));
            Assert.All(answered, Assert.True);
            foreach (IscsiSession s in rest)
            {
                LoginVm.AssertGone(s.Sid, s.HostNumber);
            }

            Assert.Equal(before, LoginVm.KernelObjects());
        }
        finally
        {
            foreach (LioTarget t in targets)
            {
                t.Dispose();
            }
        }
    }

    private static void AssertGoneOrHostReused(IscsiSession gone, IscsiSession[] live)
    {
        if (live.Any(s => s.HostNumber == gone.HostNumber))
        {
            string sid = gone.Sid.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(Directory.Exists("/sys/class/iscsi_session/session" + sid), $"session{sid} left in sysfs");
            Assert.False(Directory.Exists($"/sys/class/iscsi_connection/connection{sid}:0"), $"connection{sid}:0 left in sysfs");
            return;
        }

        LoginVm.AssertGone(gone.Sid, gone.HostNumber);
    }
}
