using System.Globalization;
using IscsiNative.Initiator;
using IscsiNative.Nodes;
using IscsiNative.Sysfs;
using IscsiNative.VmTests.Infrastructure;
using IscsiNative.VmTests.Login;

namespace IscsiNative.VmTests.Nodes;

/// <summary>
/// Login from a node record against iscsiadm as the oracle: the same record (non-default values for every key the
/// login path uses) logged in by iscsiadm and by the library must leave the same values in the kernel's sysfs, and
/// nr_sessions decides how many sessions either makes.
/// </summary>
[Collection(VmCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class NodeLoginVmTests(VmFixture vm)
{
    // Per-session identity (ids, ISID, TSIH, the creating pid, sequence numbers, the local port), not settings.
    private static readonly HashSet<string> Identity =
    [
        "uevent", "isid", "tsih", "tsid", "creator", "target_id", "exp_statsn", "statsn", "local_port", "sid",
    ];

    /// <summary>
    /// The one attribute where the library deliberately differs from iscsid: with this record LIO leaves DataPDUInOrder
    /// unanswered, and RFC 7143 then gives the key its default (Yes), which the library sets (PDU_INORDER_EN 1); iscsid
    /// sets 0 (its session struct starts zeroed and usr/login.c sets the value only from an answer). The library's value
    /// is asserted on its own (1); every other attribute must equal iscsiadm's.
    /// </summary>
    private const string RfcDefaultNotIscsid = "session/data_pdu_in_order";

    /// <summary>The same for DataSequenceInOrder (also left unanswered by LIO here; RFC default Yes, iscsid 0).</summary>
    private const string RfcDefaultNotIscsidSeq = "session/data_seq_in_order";

    [VmFact]
    public async Task A_record_with_non_default_keys_reaches_the_kernel_as_iscsiadm_sets_it_and_nr_sessions_2_gives_two_sessions()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LoginVm.Target("nodelogin-keys");

        // LIO answers with its own values; raise its MaxOutstandingR2T so the record's 4 is the smaller (the result).
        File.WriteAllText(Path.Combine(target.TpgDirectory, "param", "MaxOutstandingR2T"), "16");
        var db = new IscsiNodeDatabase();
        IscsiNodeRecord record = db.NewRecord(target.Iqn, LoginVm.Portal, 1);
        record.SessionCount = 2;
        record.DefaultTime2Wait = 5;
        record.DefaultTime2Retain = 11;
        record.MaxOutstandingR2T = 4;
        record.FirstBurstLength = 65536;
        record.MaxBurstLength = 131072;
        record.InitialR2T = true;
        record.ImmediateData = false;
        record.FastAbort = false;
        record.MaxRecvDataSegmentLength = 65536;
        record.HeaderDigest = IscsiNative.Protocol.IscsiDigest.Crc32C;
        record.ReplacementTimeout = 33;
        record.AbortTimeout = 11;
        record.LunResetTimeout = 21;
        record.TargetResetTimeout = 23;
        record.NoopOutInterval = 7;
        record.NoopOutTimeout = 9;
        record.CmdsMax = 64;
        record.QueueDepth = 16;
        record.InitialLoginRetryMax = 2;
        record.TcpWindowSize = 131072;
        db.Save(record);
        using var initiator = new IscsiInitiator();
        IReadOnlyList<IscsiSession> ours = [];
        try
        {
            // The oracle: iscsiadm logs in the record (nr_sessions = 2: two sessions).
            ProcessResult login = vm.Iscsiadm.Run("-m", "node", "-T", target.Iqn, "-p", "127.0.0.1:3260", "--login");
            Assert.True(login.ExitCode == 0, login.ToString());
            int[] theirs = [.. SysfsProbe.SessionsTo(target.Iqn).Select(s => s.Sid)];
            Assert.Equal(2, theirs.Length);
            List<SortedDictionary<string, string>> expected = [.. theirs.Select(Snapshot)];
            Assert.Equal(0, vm.Iscsiadm.Run("-m", "node", "-T", target.Iqn, "-p", "127.0.0.1:3260", "--logout").ExitCode);
            Assert.True(Wait.Until(() => SysfsProbe.SessionsTo(target.Iqn).Count == 0, TimeSpan.FromSeconds(30)));

            // The library, same record.
            ours = await initiator.LoginNodeSessionsAsync(db.Find(target.Iqn, LoginVm.Portal)!, ct);
            Assert.Equal(2, ours.Count);
            Assert.Equal(2, SysfsProbe.SessionsTo(target.Iqn).Count);

            // Both stay logged in: the target saw two ISIDs (one ISID twice would have reinstated the first session).
            Assert.All(SysfsProbe.SessionsTo(target.Iqn), s => Assert.Equal("LOGGED_IN", s.State));
            foreach (IscsiSession session in ours)
            {
                LoginVm.AssertDisk(session);

                // The keys the kernel does not get (iscsid sends no DEF_TIME2*): negotiated with LIO as the record asks.
                Assert.Equal((5, 11, 4), (session.Parameters!.DefaultTime2Wait, session.Parameters.DefaultTime2Retain, session.Parameters.MaxOutstandingR2T));
            }

            SortedDictionary<string, string> actual0 = Snapshot(ours[0].Sid);
            Assert.Equal("4", actual0["session/max_outstanding_r2t"]);
            Assert.Equal("33", actual0["session/recovery_tmo"]);
            foreach (IscsiSession session in ours)
            {
                SortedDictionary<string, string> mine = Snapshot(session.Sid);
                Assert.Equal(("1", "1"), (mine[RfcDefaultNotIscsid], mine[RfcDefaultNotIscsidSeq]));
                Assert.Equal(Render(Without(Without(expected[0], RfcDefaultNotIscsid), RfcDefaultNotIscsidSeq)), Render(Without(Without(mine, RfcDefaultNotIscsid), RfcDefaultNotIscsidSeq)));
            }

            // A third login finds nr_sessions sessions: iscsiadm's error 15, and nothing new.
            IscsiNodeDatabaseException e = await Assert.ThrowsAsync<IscsiNodeDatabaseException>(() => initiator.LoginNodeSessionsAsync(record, ct));
            Assert.Equal(15, e.IscsiadmErrorCode);
            Assert.Equal(2, SysfsProbe.SessionsTo(target.Iqn).Count);
        }
        finally
        {
            foreach (IscsiSession s in ours)
            {
                await initiator.LogoutAsync(s, CancellationToken.None);
            }

            vm.Iscsiadm.Run("-m", "node", "-T", target.Iqn, "-p", "127.0.0.1:3260", "--logout");
            db.Delete(target.Iqn, LoginVm.Portal);
        }
    }

    [VmFact]
    public async Task Initial_login_retry_max_keeps_trying_until_the_portal_appears_and_zero_gives_up_at_once()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LoginVm.Target("nodelogin-retry");
        const int Port = 3268;
        string np = Path.Combine(target.TpgDirectory, "np", "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture));
        var db = new IscsiNodeDatabase();
        var portal = new IscsiPortal("127.0.0.1", Port);
        IscsiNodeRecord record = db.NewRecord(target.Iqn, portal, 1);
        record.LoginTimeout = 5;
        record.DefaultTime2Wait = 1;
        using var initiator = new IscsiInitiator();
        IscsiSession? session = null;
        try
        {
            // No listener on the port: with initial_login_retry_max 0 the first refused connect is final.
            record.InitialLoginRetryMax = 0;
            IscsiException refused = await Assert.ThrowsAnyAsync<IscsiException>(() => initiator.LoginNodeAsync(record, ct));
            Assert.IsType<System.Net.Sockets.SocketException>(refused.InnerException);

            // With 4 × 5 s the login outlasts the outage: the portal appears 2 s after the first attempt.
            record.InitialLoginRetryMax = 4;
            Task<IscsiSession> login = initiator.LoginNodeAsync(record, ct);
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            Assert.False(login.IsCompleted);
            Directory.CreateDirectory(np);
            session = await login.WaitAsync(TimeSpan.FromSeconds(60), ct);
            Assert.Equal(Port, session.Portal!.Port);
            LoginVm.AssertDisk(session);
        }
        finally
        {
            if (session is not null)
            {
                await initiator.LogoutAsync(session, CancellationToken.None);
            }

            if (Directory.Exists(np))
            {
                Directory.Delete(np);
            }
        }
    }

    /// <summary>Every readable attribute of the session, its connection, SCSI host and LUN 0 device, minus identity.</summary>
    private static SortedDictionary<string, string> Snapshot(int sid)
    {
        string s = sid.ToString(CultureInfo.InvariantCulture);
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Read(values, "session", "/sys/class/iscsi_session/session" + s);
        Read(values, "connection", $"/sys/class/iscsi_connection/connection{s}:0");
        string host = Directory.GetDirectories("/sys/class/scsi_host").Single(h => Directory.Exists(Path.Combine(h, "device", "session" + s)));
        Read(values, "host", host);
        string hostNo = Path.GetFileName(host)["host".Length..];
        Read(values, "iscsi_host", "/sys/class/iscsi_host/host" + hostNo);
        string lun0 = $"/sys/bus/scsi/devices/{hostNo}:0:0:0";
        Assert.True(Wait.Until(() => Directory.Exists(Path.Combine(lun0, "block")), TimeSpan.FromSeconds(30)), lun0 + " has no disk");
        foreach (string name in new[] { "queue_depth", "timeout", "eh_timeout", "state" })
        {
            values["lun0/" + name] = File.ReadAllText(Path.Combine(lun0, name)).Trim();
        }

        return values;
    }

    private static void Read(SortedDictionary<string, string> values, string prefix, string dir)
    {
        foreach (string file in Directory.GetFiles(dir))
        {
            string name = Path.GetFileName(file);
            if (Identity.Contains(name) || prefix == "host" && name is "host_busy" or "unique_id" or "scan" or "host_reset" or "state")
            {
                continue;
            }

            try
            {
                values[prefix + "/" + name] = File.ReadAllText(file).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                values[prefix + "/" + name] = "<" + e.GetType().Name + ">";
            }
        }
    }

    private static SortedDictionary<string, string> Without(SortedDictionary<string, string> values, string key)
    {
        var copy = new SortedDictionary<string, string>(values, StringComparer.Ordinal);
        copy.Remove(key);
        return copy;
    }

    private static string Render(SortedDictionary<string, string> values) => string.Join('\n', values.Select(kv => kv.Key + "=" + kv.Value));
}
