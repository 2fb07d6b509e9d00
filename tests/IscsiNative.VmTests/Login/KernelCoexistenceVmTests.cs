using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using IscsiNative.Formatting;
using IscsiNative.Initiator;
using IscsiNative.Netlink;
using IscsiNative.Sysfs;
using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Login;

/// <summary>iscsiadm (the oracle) sees the library's sessions; statistics agree; iscsid running does not disturb them.</summary>
public sealed class KernelCoexistenceVmTests
{
    private readonly Iscsiadm _iscsiadm = new();

    [VmFact]
    public async Task Iscsiadm_session_P3_shows_the_library_session_exactly_as_the_library_formatter()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LoginVm.Target(nameof(Iscsiadm_session_P3_shows_the_library_session_exactly_as_the_library_formatter), luns: 2);
        // Without iscsid both sides print "Unknown" for the two lines only iscsid knows: the whole text can be compared.
        using IDisposable noIscsid = IscsidProcess.EnsureStopped();
        using var initiator = new IscsiInitiator();
        IscsiSession session = await initiator.LoginAsync(target.Iqn, LoginVm.Portal, LoginVm.Options(), ct);
        try
        {
            ProcessResult oracle = _iscsiadm.Run("-m", "session", "-P", "3");
            Assert.Equal(0, oracle.ExitCode);
            string sid = session.Sid.ToString(CultureInfo.InvariantCulture);
            Assert.Contains($"Target: {target.Iqn} (non-flash)", oracle.StdOut, StringComparison.Ordinal);
            Assert.Contains("Current Portal: 127.0.0.1:3260,1", oracle.StdOut, StringComparison.Ordinal);
            Assert.Contains("SID: " + sid + "\n", oracle.StdOut, StringComparison.Ordinal);
            foreach (IscsiDevice d in session.Devices)
            {
                Assert.Contains($"Attached scsi disk {d.BlockDevice}\t", oracle.StdOut, StringComparison.Ordinal);
            }

            // Byte for byte against the library's own formatter.
            using var reader = new SysfsSessionReader("/sys");
            var ours = new ArrayBufferWriter<byte>();
            IscsiadmSessionWriter.WriteSessions(reader, ours, 3);
            Assert.Equal(oracle.StdOut, Encoding.UTF8.GetString(ours.WrittenSpan));

            ProcessResult flat = _iscsiadm.Run("-m", "session");
            Assert.Contains($"tcp: [{sid}] 127.0.0.1:3260,1 {target.Iqn} (non-flash)", flat.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            await initiator.LogoutAsync(session, ct);
        }
    }

    [VmFact]
    public async Task Statistics_grow_with_io_on_a_library_session()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LoginVm.Target(nameof(Statistics_grow_with_io_on_a_library_session));
        using var initiator = new IscsiInitiator();
        IscsiSession session = await initiator.LoginAsync(target.Iqn, LoginVm.Portal, LoginVm.Options(), ct);
        try
        {
            IscsiStatistics first = await initiator.GetStatisticsAsync(session.Sid, ct);
            await WriteAsync(LoginVm.AssertDisk(session), ct);
            IscsiStatistics after = await initiator.GetStatisticsAsync(session.Sid, ct);
            Assert.True(after.ScsiCmdPdus > first.ScsiCmdPdus, "scsicmd_pdus grew");
            Assert.True(after.ScsiRspPdus > first.ScsiRspPdus, "scsirsp_pdus grew");
            Assert.True(after.TxDataOctets >= first.TxDataOctets + (1 << 20), "txdata_octets grew by the data written");
            Assert.Equal(["tx_sendpage_failures", "rx_discontiguous_hdr", "eh_abort_cnt"], after.Custom.Select(c => c.Key));
        }
        finally
        {
            await initiator.LogoutAsync(session, ct);
        }
    }

    [VmFact]
    public async Task Statistics_text_matches_iscsiadm_s_within_the_counters_that_moved_in_between()
    {
        // iscsiadm -s asks iscsid, which only answers for sessions it manages: compare on an iscsiadm session.
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LoginVm.Target(nameof(Statistics_text_matches_iscsiadm_s_within_the_counters_that_moved_in_between));
        using IscsidProcess iscsid = IscsidProcess.EnsureRunning();
        _iscsiadm.Discover(target.Portal);
        try
        {
            ProcessResult login = ProcessRunner.Run(Iscsiadm.LoginTimeout, "iscsiadm", "-m", "node", "-T", target.Iqn, "-p", target.Portal, "--login");
            Assert.Equal(0, login.ExitCode);
            int sid = Assert.Single(SysfsProbe.SessionsTo(target.Iqn)).Sid;
            using var initiator = new IscsiInitiator();
            string? disk = null;
            for (int i = 0; i < 200 && disk is null; i++)
            {
                disk = SysfsProbe.BlockDevices(sid).FirstOrDefault(d => File.Exists("/dev/" + d));
                await Task.Delay(50, ct);
            }

            Assert.NotNull(disk);
            IscsiStatistics first = await initiator.GetStatisticsAsync(sid, ct);
            await WriteAsync("/dev/" + disk, ct);
            IscsiStatistics ours1 = await initiator.GetStatisticsAsync(sid, ct);
            ProcessResult oracle = _iscsiadm.SessionStats(sid);
            IscsiStatistics ours2 = await initiator.GetStatisticsAsync(sid, ct);
            Assert.True(oracle.ExitCode == 0, oracle.ToString());
            Assert.True(ours1.ScsiCmdPdus > first.ScsiCmdPdus, "scsicmd_pdus grew");

            string text1 = StatisticsFormatter.Format(sid, target.Iqn, "127.0.0.1", 3260, ours1);
            string text2 = StatisticsFormatter.Format(sid, target.Iqn, "127.0.0.1", 3260, ours2);
            // Every counter line compares as a range: iscsiadm read the kernel between our two reads, so each of its
            // counters lies between ours (equal bounds for a counter that did not move); every other line is equal.
            Assert.Equal(Skeleton(text1), Skeleton(oracle.StdOut));
            Assert.Equal(Skeleton(text2), Skeleton(oracle.StdOut));
            ulong[] low = Counters(text1);
            ulong[] high = Counters(text2);
            ulong[] theirs = Counters(oracle.StdOut);
            Assert.Equal(low.Length, theirs.Length);
            Assert.True(low.Length > 10, $"only {low.Length} counters in the output");
            for (int i = 0; i < theirs.Length; i++)
            {
                Assert.InRange(theirs[i], low[i], high[i]);
            }
        }
        finally
        {
            ProcessRunner.Run(Iscsiadm.LoginTimeout, "iscsiadm", "-m", "node", "-T", target.Iqn, "-p", target.Portal, "--logout");
            _iscsiadm.Run("-m", "node", "-T", target.Iqn, "-o", "delete");
        }
    }

    [VmFact]
    public async Task Iscsid_started_after_a_library_login_adopts_the_session_and_logout_by_sid_still_removes_it()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using IDisposable noIscsidAtStart = IscsidProcess.EnsureStopped();
        using LioTarget target = LoginVm.Target(nameof(Iscsid_started_after_a_library_login_adopts_the_session_and_logout_by_sid_still_removes_it));
        using var initiator = new IscsiInitiator();
        IscsiSession session = await initiator.LoginAsync(target.Iqn, LoginVm.Portal, LoginVm.Options(), ct);
        string sid = session.Sid.ToString(CultureInfo.InvariantCulture);
        using (IscsidProcess iscsid = IscsidProcess.EnsureRunning())
        {
            // iscsid's startup sync_session: a user-created session (creator != -1) is synced with MGMT_IPC_SESSION_SYNC,
            // i.e. STOP_CONN(RECOVER), its own reconnect and re-login. Wait until iscsid reports it as its own.
            string p1 = string.Empty;
            for (int i = 0; i < 100 && !p1.Contains("iSCSI Connection State: LOGGED IN", StringComparison.Ordinal); i++)
            {
                await Task.Delay(100, ct);
                p1 = _iscsiadm.Run("-m", "session", "-r", sid, "-P", "1").StdOut;
            }

            LoginVm.Report($"iscsid started after a library login; iscsiadm -P 1 then:\n{p1}\niscsid log:\n{iscsid.RecentLog}");
            Assert.Contains("iSCSI Connection State: LOGGED IN", p1, StringComparison.Ordinal);
            Assert.Equal("LOGGED_IN", File.ReadAllText($"/sys/class/iscsi_session/session{sid}/state").TrimEnd());
        }

        await initiator.LogoutAsync(session, ct);
        LoginVm.AssertGone(session.Sid, session.HostNumber);
    }

    [VmFact]
    public async Task Library_login_and_logout_work_while_iscsid_runs_and_iscsid_ignores_the_session()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LoginVm.Target(nameof(Library_login_and_logout_work_while_iscsid_runs_and_iscsid_ignores_the_session));
        using var initiator = new IscsiInitiator();

        // iscsid re-logs-in every session that exists when it starts (its sync child walks sysfs a moment after the
        // socket listens). A session left by an earlier test would make it sync — and catch ours too if ours is there
        // by then. So: no iscsid, no session (every test leaves none: [assembly: LeavesNoSession]), then a fresh
        // iscsid, then our login.
        using IDisposable noIscsid = IscsidProcess.EnsureStopped();
        Assert.Empty(SysfsProbe.Sessions());
        using IscsidProcess iscsid = IscsidProcess.EnsureRunning();
        IscsiSession session = await initiator.LoginAsync(target.Iqn, LoginVm.Portal, LoginVm.Options(), ct);
        LoginVm.AssertDisk(session);

        // iscsid saw CREATE_SESSION; for iscsi_tcp (no CAP_FW_DB) it does nothing, so the session stays ours and healthy.
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        Assert.Equal("LOGGED_IN", File.ReadAllText($"/sys/class/iscsi_session/session{session.Sid}/state").TrimEnd());
        Assert.Equal("up", File.ReadAllText($"/sys/class/iscsi_connection/connection{session.Sid}:0/state").TrimEnd());
        ProcessResult p1 = _iscsiadm.Run("-m", "session", "-r", session.Sid.ToString(CultureInfo.InvariantCulture), "-P", "1");
        LoginVm.Report("iscsiadm -P 1 of a library session with iscsid running:\n" + p1.StdOut + p1.StdErr);
        Assert.Equal(0, p1.ExitCode);

        Assert.True(await initiator.LogoutAsync(session, ct));
        LoginVm.AssertGone(session.Sid, session.HostNumber);
        Assert.False(iscsid.RecentLog.Contains("error", StringComparison.OrdinalIgnoreCase) && iscsid.RecentLog.Contains("session" + session.Sid, StringComparison.Ordinal), iscsid.RecentLog);
    }

    [VmFact]
    public async Task Logout_by_sid_tears_down_a_session_iscsid_created()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LoginVm.Target(nameof(Logout_by_sid_tears_down_a_session_iscsid_created));
        int sid;
        int host;
        using (IscsidProcess iscsid = IscsidProcess.EnsureRunning())
        {
            File.WriteAllText("/etc/iscsi/initiatorname.iscsi", $"InitiatorName={IscsidProcess.InitiatorName}\n");
            _iscsiadm.Discover(target.Portal);
            ProcessResult login = ProcessRunner.Run(Iscsiadm.LoginTimeout, "iscsiadm", "-m", "node", "-T", target.Iqn, "-p", target.Portal, "--login");
            Assert.Equal(0, login.ExitCode);
            sid = Assert.Single(SysfsProbe.SessionsTo(target.Iqn)).Sid;
            host = int.Parse(Path.GetFileName(Directory.GetDirectories($"/sys/class/iscsi_session/session{sid}/device", "target*")[0]).AsSpan(6).ToString().Split(':')[0], CultureInfo.InvariantCulture);
            _iscsiadm.Run("-m", "node", "-T", target.Iqn, "-o", "delete");
        }

        // iscsid is gone (this run started it) or never managed our socket: the library has no fd of this session.
        using var initiator = new IscsiInitiator();
        await initiator.LogoutAsync(sid, TimeSpan.FromSeconds(5), ct);
        LoginVm.AssertGone(sid, host);
    }

    private static async Task WriteAsync(string disk, CancellationToken ct)
    {
        using var stream = new FileStream(disk, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 0, FileOptions.WriteThrough);
        byte[] block = new byte[1 << 20];
        Random.Shared.NextBytes(block);
        await stream.WriteAsync(block, ct);
        stream.Flush(flushToDisk: true);
    }

    private static readonly Regex CounterLine = new(@"^(\t+[A-Za-z0-9_]+: )(\d+)$", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>The statistics text with every counter value replaced by N.</summary>
    private static string Skeleton(string text) => CounterLine.Replace(text, "${1}N");

    private static ulong[] Counters(string text) =>
        CounterLine.Matches(text).Select(m => ulong.Parse(m.Groups[2].ValueSpan, CultureInfo.InvariantCulture)).ToArray();
}
