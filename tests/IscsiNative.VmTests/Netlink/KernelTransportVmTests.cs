using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using IscsiNative.Netlink;
using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Netlink;

/// <summary>
/// NETLINK_ISCSI against the real kernel (Debian 6.1 in the VM stage) and an LIO target on 127.0.0.1:3260 that the
/// login test creates for itself (one LUN, open ACLs). The Login PDU is hand-built here until the protocol layer lands.
/// </summary>
[Collection(VmCollection.Name)]
public sealed class KernelTransportVmTests
{
    private const string Initiator = "iqn.2004-10.org.iscsinative:netlink-vmtest";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static void RequireVm() => VmStage.Require();

    private static string SessionDir(uint sid) => $"/sys/class/iscsi_session/session{sid}";

    private static string ConnDir(uint sid, uint cid) => $"/sys/class/iscsi_connection/connection{sid}:{cid}";

    private static string ReadSysfs(string path) => File.ReadAllText(path).TrimEnd('\n');

    [VmFact]
    public async Task Full_login_through_netlink_reaches_LOGGED_IN_reports_stats_and_tears_down_clean()
    {
        RequireVm();
        using LioTarget lio = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn("netlink-login")));
        string target = lio.Iqn;
        var timings = new StringBuilder();
        var clock = Stopwatch.StartNew();
        await using IscsiKernelTransport transport = IscsiKernelTransport.Open();
        timings.AppendLine($"open: {clock.Elapsed.TotalMilliseconds:0.00} ms");
        Assert.NotEqual(0u, transport.PortId);
        Channel<IscsiKernelEvent> events = transport.SubscribeEvents();

        clock.Restart();
        (uint sid, uint hostNumber) = await transport.CreateSessionAsync(1, 128, 32, TestContext.Current.CancellationToken);
        timings.AppendLine($"create_session: {clock.Elapsed.TotalMilliseconds:0.00} ms");
        Assert.True(Directory.Exists(SessionDir(sid)), "sysfs session appears");
        Assert.Equal(transport.PortId.ToString(System.Globalization.CultureInfo.InvariantCulture), ReadSysfs(SessionDir(sid) + "/creator"));
        Assert.Equal("FREE", ReadSysfs(SessionDir(sid) + "/state"));
        Assert.True(Directory.Exists($"/sys/class/scsi_host/host{hostNumber}"));
        IscsiKernelEvent created = await NextEventAsync(events, e => e.Type == IscsiUeventType.KernelCreateSession && e.Sid == sid);
        Assert.Equal(hostNumber, created.HostNumber);

        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        clock.Restart();
        await tcp.ConnectAsync(new IPEndPoint(IPAddress.Loopback, 3260), TestContext.Current.CancellationToken);
        uint cid = await transport.CreateConnectionAsync(sid, 0, TestContext.Current.CancellationToken);
        Assert.Equal(0u, cid);
        Assert.Equal("down", ReadSysfs(ConnDir(sid, 0) + "/state"));

        // SET_PARAM before BIND is refused with ENOTCONN (except SESS_RECOVERY_TMO).
        IscsiKernelException early = await Assert.ThrowsAsync<IscsiKernelException>(
            () => transport.SetParamAsync(sid, 0, IscsiParam.TargetName, target, TestContext.Current.CancellationToken));
        Assert.Equal(107, early.Errno);

        await transport.BindConnectionAsync(sid, 0, tcp, isLeading: true, TestContext.Current.CancellationToken);
        timings.AppendLine($"connect+create_conn+bind: {clock.Elapsed.TotalMilliseconds:0.00} ms");
        Assert.Equal("bound", ReadSysfs(ConnDir(sid, 0) + "/state"));

        clock.Restart();
        await transport.SetParamAsync(sid, 0, IscsiParam.TargetName, target, TestContext.Current.CancellationToken);
        await transport.SetParamAsync(sid, 0, IscsiParam.PersistentAddress, "127.0.0.1", TestContext.Current.CancellationToken);
        await transport.SetParamAsync(sid, 0, IscsiParam.PersistentPort, "3260", TestContext.Current.CancellationToken);
        await transport.SetParamAsync(sid, 0, IscsiParam.SessRecoveryTmo, "120", TestContext.Current.CancellationToken);
        await transport.SetParamAsync(sid, 0, IscsiParam.IfaceName, "default", TestContext.Current.CancellationToken);
        await transport.SetParamAsync(sid, 0, IscsiParam.InitiatorName, Initiator, TestContext.Current.CancellationToken);
        timings.AppendLine($"6 set_param: {clock.Elapsed.TotalMilliseconds:0.00} ms");
        Assert.Equal(target, ReadSysfs(SessionDir(sid) + "/targetname"));
        Assert.Equal(Initiator, ReadSysfs(SessionDir(sid) + "/initiatorname"));
        Assert.Equal("127.0.0.1", ReadSysfs(ConnDir(sid, 0) + "/persistent_address"));

        // Login: one PDU straight into the operational stage, final.
        clock.Restart();
        byte[] data = LoginKeys(target);
        byte[] bhs = LoginRequestHeader(sid, data.Length);
        await transport.SendPduAsync(sid, 0, bhs, data, TestContext.Current.CancellationToken);
        uint statSn;
        Dictionary<string, string> answer;
        using (IscsiReceivedPdu response = await transport.ReceivePduAsync(sid, 0, Wait, TestContext.Current.CancellationToken))
        {
            timings.AppendLine($"login round trip: {clock.Elapsed.TotalMilliseconds:0.00} ms");
            Assert.Equal(0x23, response.Opcode);
            Assert.Equal(0, response.Header[36]); // status class
            Assert.Equal(0, response.Header[37]); // status detail
            Assert.Equal(0x80, response.Header[1] & 0x80); // T
            Assert.Equal(3, response.Header[1] & 0x03); // NSG = full feature phase
            Assert.NotEqual(0, BinaryPrimitives.ReadUInt16BigEndian(response.Header[14..])); // TSIH assigned by the target
            statSn = BinaryPrimitives.ReadUInt32BigEndian(response.Header[24..]);
            answer = ParseKeys(response.Data);
        }

        clock.Restart();
        await SetNegotiatedAsync(transport, sid, answer, statSn);
        timings.AppendLine($"13 set_param (negotiated): {clock.Elapsed.TotalMilliseconds:0.00} ms");
        Assert.Equal((statSn + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), ReadSysfs(ConnDir(sid, 0) + "/exp_statsn"));

        clock.Restart();
        await transport.StartConnectionAsync(sid, 0, TestContext.Current.CancellationToken);
        timings.AppendLine($"start_conn: {clock.Elapsed.TotalMilliseconds:0.00} ms");
        Assert.Equal("LOGGED_IN", ReadSysfs(SessionDir(sid) + "/state"));
        Assert.Equal("up", ReadSysfs(ConnDir(sid, 0) + "/state"));

        clock.Restart();
        IscsiStatistics stats = await transport.GetStatisticsAsync(sid, 0, TestContext.Current.CancellationToken);
        timings.AppendLine($"get_stats: {clock.Elapsed.TotalMilliseconds:0.00} ms");
        Assert.Equal(["tx_sendpage_failures", "rx_discontiguous_hdr", "eh_abort_cnt"], stats.Custom.Select(c => c.Key).ToArray());

        // Netlink round trip, measured on a cheap request the kernel answers synchronously.
        clock.Restart();
        const int Rounds = 200;
        for (int i = 0; i < Rounds; i++)
        {
            _ = await transport.GetStatisticsAsync(sid, 0, TestContext.Current.CancellationToken);
        }

        timings.AppendLine($"get_stats round trip (mean of {Rounds}): {clock.Elapsed.TotalMicroseconds / Rounds:0.0} us");

        clock.Restart();
        await transport.StopConnectionAsync(sid, 0, IscsiStopConnFlag.Terminate, TestContext.Current.CancellationToken);
        Assert.Equal("down", ReadSysfs(ConnDir(sid, 0) + "/state"));
        tcp.Dispose();
        await transport.DestroyConnectionAsync(sid, 0, TestContext.Current.CancellationToken);
        Assert.False(Directory.Exists(ConnDir(sid, 0)));
        await transport.DestroySessionAsync(sid, cancellationToken: TestContext.Current.CancellationToken);
        timings.AppendLine($"stop+destroy_conn+destroy_session: {clock.Elapsed.TotalMilliseconds:0.00} ms");
        Assert.False(Directory.Exists(SessionDir(sid)), "sysfs session removed");
        Assert.False(Directory.Exists($"/sys/class/scsi_host/host{hostNumber}"), "SCSI host removed");

        IscsiKernelEvent destroyed = await NextEventAsync(events, e => e.Type == IscsiUeventType.KernelDestroySession && e.Sid == sid);
        Assert.Equal(hostNumber, destroyed.HostNumber);
        transport.UnsubscribeEvents(events);
        Report("netlink-timings.txt", timings.ToString());
    }

    [VmFact]
    public async Task Destroying_a_session_that_still_has_a_connection_fails_with_EBUSY_naming_the_operation()
    {
        RequireVm();
        await using IscsiKernelTransport transport = IscsiKernelTransport.Open();
        (uint sid, _) = await transport.CreateSessionAsync(cancellationToken: TestContext.Current.CancellationToken);
        try
        {
            await transport.CreateConnectionAsync(sid, 0, TestContext.Current.CancellationToken);
            IscsiKernelException e = await Assert.ThrowsAsync<IscsiKernelException>(
                () => transport.DestroySessionAsync(sid, cancellationToken: TestContext.Current.CancellationToken));
            Assert.Equal(16, e.Errno);
            Assert.Equal("ISCSI_UEVENT_DESTROY_SESSION", e.Operation);
            Assert.Equal((int)sid, e.Sid);
            Assert.Contains("EBUSY (16)", e.Message, StringComparison.Ordinal);
            Assert.True(Directory.Exists(SessionDir(sid)));
        }
        finally
        {
            await transport.DestroyConnectionAsync(sid, 0, TestContext.Current.CancellationToken);
            await transport.DestroySessionAsync(sid, cancellationToken: TestContext.Current.CancellationToken);
        }

        Assert.False(Directory.Exists(SessionDir(sid)));
    }

    [VmFact]
    public async Task Requests_for_an_unknown_session_fail_with_typed_errors_naming_the_operation()
    {
        RequireVm();
        await using IscsiKernelTransport transport = IscsiKernelTransport.Open();
        const uint Unknown = 987654;

        IscsiKernelException create = await Assert.ThrowsAsync<IscsiKernelException>(
            () => transport.CreateConnectionAsync(Unknown, 0, TestContext.Current.CancellationToken));
        Assert.Equal(("ISCSI_UEVENT_CREATE_CONN", 22, (int?)Unknown), (create.Operation, create.Errno, create.Sid));

        IscsiKernelException destroy = await Assert.ThrowsAsync<IscsiKernelException>(
            () => transport.DestroySessionAsync(Unknown, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(("ISCSI_UEVENT_DESTROY_SESSION", 22), (destroy.Operation, destroy.Errno));

        IscsiKernelException stats = await Assert.ThrowsAsync<IscsiKernelException>(
            () => transport.GetStatisticsAsync(Unknown, 0, TestContext.Current.CancellationToken));
        Assert.Equal(("ISCSI_UEVENT_GET_STATS", 17), (stats.Operation, stats.Errno));

        IscsiKernelException bind = await Assert.ThrowsAsync<IscsiKernelException>(
            () => transport.BindConnectionAsync(Unknown, 0, 0, true, TestContext.Current.CancellationToken));
        Assert.Equal("ISCSI_UEVENT_BIND_CONN", bind.Operation);
        Assert.Contains("ISCSI_UEVENT_BIND_CONN (sid 987654, cid 0) failed:", bind.Message, StringComparison.Ordinal);
        Report("netlink-errors.txt", string.Join('\n', create.Message, destroy.Message, stats.Message, bind.Message) + "\n");
    }

    [VmFact]
    public async Task Bind_with_a_descriptor_that_is_not_a_socket_fails_with_the_retcode_errno()
    {
        RequireVm();
        await using IscsiKernelTransport transport = IscsiKernelTransport.Open();
        (uint sid, _) = await transport.CreateSessionAsync(cancellationToken: TestContext.Current.CancellationToken);
        try
        {
            await transport.CreateConnectionAsync(sid, 0, TestContext.Current.CancellationToken);
            using FileStream notASocket = File.OpenRead("/proc/self/status");
            IscsiKernelException e = await Assert.ThrowsAsync<IscsiKernelException>(
                () => transport.BindConnectionAsync(sid, 0, (int)notASocket.SafeFileHandle.DangerousGetHandle(), true, TestContext.Current.CancellationToken));
            Assert.Equal(("ISCSI_UEVENT_BIND_CONN", 17, (int?)sid, (int?)0), (e.Operation, e.Errno, e.Sid, e.Cid));
        }
        finally
        {
            await transport.DestroyConnectionAsync(sid, 0, TestContext.Current.CancellationToken);
            await transport.DestroySessionAsync(sid, cancellationToken: TestContext.Current.CancellationToken);
        }
    }

    private static async Task SetNegotiatedAsync(IscsiKernelTransport transport, uint sid, Dictionary<string, string> answer, uint statSn)
    {
        static string YesNo(string v) => v == "Yes" ? "1" : "0";
        CancellationToken ct = TestContext.Current.CancellationToken;
        await transport.SetParamAsync(sid, 0, IscsiParam.MaxRecvDlength, "262144", ct);
        await transport.SetParamAsync(sid, 0, IscsiParam.MaxXmitDlength, answer.GetValueOrDefault("MaxRecvDataSegmentLength", "8192"), ct);
        await transport.SetParamAsync(sid, 0, IscsiParam.HdrdgstEn, "0", ct);
        await transport.SetParamAsync(sid, 0, IscsiParam.DatadgstEn, "0", ct);
        await transport.SetParamAsync(sid, 0, IscsiParam.InitialR2tEn, YesNo(answer["InitialR2T"]), ct);
        await transport.SetParamAsync(sid, 0, IscsiParam.MaxR2t, answer.GetValueOrDefault("MaxOutstandingR2T", "1"), ct);
        await transport.SetParamAsync(sid, 0, IscsiParam.ImmDataEn, YesNo(answer["ImmediateData"]), ct);
        await transport.SetParamAsync(sid, 0, IscsiParam.FirstBurst, answer["FirstBurstLength"], ct);
        await transport.SetParamAsync(sid, 0, IscsiParam.MaxBurst, answer["MaxBurstLength"], ct);
        await transport.SetParamAsync(sid, 0, IscsiParam.PduInorderEn, "1", ct);
        await transport.SetParamAsync(sid, 0, IscsiParam.DataseqInorderEn, "1", ct);
        await transport.SetParamAsync(sid, 0, IscsiParam.Erl, "0", ct);
        await transport.SetParamAsync(sid, 0, IscsiParam.ExpStatsn, (statSn + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
        await transport.SetParamAsync(sid, 0, IscsiParam.Tpgt, answer.GetValueOrDefault("TargetPortalGroupTag", "1"), ct);
    }

    private static byte[] LoginKeys(string target)
    {
        string[] keys =
        [
            "InitiatorName=" + Initiator, "TargetName=" + target, "SessionType=Normal",
            "HeaderDigest=None", "DataDigest=None", "DefaultTime2Wait=2", "DefaultTime2Retain=0", "IFMarker=No", "OFMarker=No",
            "ErrorRecoveryLevel=0", "InitialR2T=No", "ImmediateData=Yes", "MaxBurstLength=16776192", "FirstBurstLength=262144",
            "MaxOutstandingR2T=1", "MaxConnections=1", "DataPDUInOrder=Yes", "DataSequenceInOrder=Yes", "MaxRecvDataSegmentLength=262144",
        ];
        return Encoding.ASCII.GetBytes(string.Concat(keys.Select(k => k + "\0")));
    }

    private static byte[] LoginRequestHeader(uint sid, int dataLength)
    {
        var bhs = new byte[48];
        bhs[0] = 0x43; // Login Request, immediate
        bhs[1] = 0x80 | (1 << 2) | 3; // T, CSG operational, NSG full feature
        bhs[5] = (byte)(dataLength >> 16);
        bhs[6] = (byte)(dataLength >> 8);
        bhs[7] = (byte)dataLength;
        bhs[8] = 0x00; // ISID: OUI format, 00 02 3D + sid (as iscsid)
        bhs[9] = 0x02;
        bhs[10] = 0x3D;
        bhs[11] = (byte)(sid >> 16);
        bhs[12] = (byte)(sid >> 8);
        bhs[13] = (byte)sid;
        BinaryPrimitives.WriteUInt32BigEndian(bhs.AsSpan(24), 1); // CmdSN (the kernel rewrites it)
        return bhs;
    }

    private static Dictionary<string, string> ParseKeys(ReadOnlySpan<byte> data)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in Encoding.ASCII.GetString(data).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                keys[pair[..eq]] = pair[(eq + 1)..];
            }
        }

        return keys;
    }

    private static async Task<IscsiKernelEvent> NextEventAsync(Channel<IscsiKernelEvent> events, Func<IscsiKernelEvent, bool> match)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(Wait);
        while (true)
        {
            IscsiKernelEvent e = await events.Reader.ReadAsync(cts.Token);
            if (match(e))
            {
                return e;
            }
        }
    }

    private static void Report(string name, string text)
    {
        if (Directory.Exists("/vmout"))
        {
            File.WriteAllText(Path.Combine("/vmout", name), text);
        }
    }
}
