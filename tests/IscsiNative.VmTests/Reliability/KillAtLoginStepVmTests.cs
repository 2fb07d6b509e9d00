using System.Globalization;
using IscsiNative.Initiator;
using IscsiNative.VmTests.Adoption;
using IscsiNative.VmTests.Infrastructure;
using IscsiNative.VmTests.Login;

namespace IscsiNative.VmTests.Reliability;

/// <summary>
/// The process killed (kill -9) at each step of a kernel login (issue 17): five test-helper processes log in to five
/// targets, one after another, each held through the library's phase trace at one step (after the TCP connect, after
/// CREATE_CONN/BIND_CONN, after the security stage alone (CHAP, against a CHAP target), after the login negotiation,
/// after START_CONN before the LUN scan), and are SIGKILLed there
/// together. The half-made kernel sessions stay (the kernel keeps a session and its bound socket after its creator
/// dies, as after an iscsid crash); the next process, a fresh initiator, finds each by sid and logs it out: no kernel
/// session, connection or SCSI host and no initiator TCP connection to the portal may be left.
/// </summary>
public sealed class KillAtLoginStepVmTests
{
    // A liveness bound for five cold helper processes under TCG, not a speed check.
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(150);

    private static readonly string[] Steps =
    [
        "login: TCP connect",
        "login: CREATE_CONN + BIND_CONN + SET_PARAM batch",
        SecurityStage,
        "login: Login PDUs (SEND_PDU/RECV_PDU)",
        "login: SET_PARAM batch + START_CONN",
    ];

    /// <summary>The security stage (CHAP) done, the operational stage not begun: this victim logs in to a CHAP target.</summary>
    private const string SecurityStage = "login: security stage (CHAP)";

    private static readonly Infrastructure.ChapCredentials Chap = new("kill9user", "kill9secret12");

    [VmFact]
    public async Task Process_killed_at_each_login_step_leaves_a_half_made_session_the_next_process_logs_out_without_a_trace()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var targets = new List<LioTarget>();
        var victims = new List<HelperProcess>();
        try
        {
            Assert.Equal(SecurityStage, KernelLogin.SecurityStagePhase);
            foreach (string step in Steps)
            {
                targets.Add(step == SecurityStage ? LoginVm.Target("kill9-chap", Chap) : LoginVm.Target("kill9"));
            }

            var before = LoginVm.KernelObjects();
            int tcpBefore = InitiatorConnections();
            // The later steps first, one at a time (each held at its step before the next starts: cold dotnet processes
            // started together under TCG on a loaded host were slow enough between their TCP connect and first Login PDU
            // for LIO's 15 s login timeout); the victim held right after its TCP connect last: LIO's login thread waits
            // (up to its login timeout) for that connection's first PDU before it takes the next login.
            var sids = new int[Steps.Length];
            for (int i = 1; i < Steps.Length; i++)
            {
                victims.Add(Steps[i] == SecurityStage
                    ? HelperProcess.StartHelper("login-hold", LoginVm.InitiatorName, targets[i].Iqn, Steps[i], Chap.UserId, Chap.Password)
                    : HelperProcess.StartHelper("login-hold", LoginVm.InitiatorName, targets[i].Iqn, Steps[i]));
                sids[i] = await HeldAtAsync(victims[^1]);
            }

            victims.Insert(0, HelperProcess.StartHelper("login-hold", LoginVm.InitiatorName, targets[0].Iqn, Steps[0]));
            sids[0] = await HeldAtAsync(victims[0]);
            foreach (HelperProcess victim in victims)
            {
                victim.KillNine();
            }

            // What each step left in the kernel once its creator was gone.
            string[] left = [.. Steps.Select((step, i) => $"'{step}': session{sids[i]} {State("iscsi_session", "session" + sids[i])}, connection {State("iscsi_connection", $"connection{sids[i]}:0")}")];
            Assert.All(sids, sid => Assert.True(Directory.Exists("/sys/class/iscsi_session/session" + sid), $"session{sid} vanished with its creator"));

            await using (var next = new IscsiInitiator())
            {
                bool[] answered = await Task.WhenAll(sids.Select(sid => next.LogoutAsync(sid, TimeSpan.FromSeconds(5), ct)));
                left = [.. left.Select((l, i) => l + (answered[i] ? ", logout answered" : ", torn down without a logout answer"))];
            }

            Assert.True(Wait.Until(() => before.Equals(LoginVm.KernelObjects()), TimeSpan.FromSeconds(30)), $"left behind: {LoginVm.KernelObjects()}; {string.Join("; ", left)}");
            Assert.True(Wait.Until(() => InitiatorConnections() <= tcpBefore, TimeSpan.FromSeconds(30)), $"{InitiatorConnections()} TCP connections to port 3260 left, {tcpBefore} before");
            LoginVm.Report("kill -9 at each login step, cleaned up by the next process: " + string.Join("; ", left));
        }
        finally
        {
            foreach (HelperProcess victim in victims)
            {
                victim.Dispose();
            }

            foreach (LioTarget t in targets)
            {
                t.Dispose();
            }
        }
    }

    private static async Task<int> HeldAtAsync(HelperProcess victim)
    {
        List<string> lines = await victim.ReadUntilPrefixAsync("at ", Bounded);
        return int.Parse(lines[^1].AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static string State(string cls, string name) =>
        File.Exists($"/sys/class/{cls}/{name}/state") ? File.ReadAllText($"/sys/class/{cls}/{name}/state").Trim() : "(none)";

    /// <summary>Established TCP connections whose remote port is 3260 (the initiator ends on loopback).</summary>
    private static int InitiatorConnections() =>
        File.ReadLines("/proc/net/tcp").Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Count(f => f.Length > 3 && f[2].EndsWith(":0CBC", StringComparison.Ordinal) && f[3] == "01");
}
