using IscsiNative.TestShared;
using System.Text;
using IscsiNative.Protocol;

namespace IscsiNative.Tests.Protocol;

/// <summary>The login state machine without any transport: exact request bytes and RFC 7143 result functions.</summary>
public sealed class LoginStateMachineTests
{
    private const string Iqn = "iqn.2016-04.com.open-iscsi:abc";

    [Fact]
    public void First_normal_login_pdu_has_open_iscsi_key_order_and_header()
    {
        using var m = new LoginStateMachine(new LoginSettings { InitiatorName = Iqn, TargetName = "iqn.t:1", Isid = LoginSettings.IsidFor(1) });
        byte[] buf = new byte[LoginStateMachine.RequestBufferSize];
        int n = m.WriteRequest(buf);
        var h = new PduHeader(buf);
        Assert.Equal(0x43, buf[0]);
        Assert.Equal(0x87, buf[1]);
        Assert.Equal("00023d000001", Convert.ToHexStringLower(buf.AsSpan(8, 6)));
        Assert.Equal(1u, h.CmdSN);
        Assert.Equal(0, n % 4);
        Assert.Equal(
            "InitiatorName=" + Iqn + "\0TargetName=iqn.t:1\0SessionType=Normal\0HeaderDigest=None\0DataDigest=None\0" +
            "DefaultTime2Wait=2\0DefaultTime2Retain=0\0IFMarker=No\0OFMarker=No\0ErrorRecoveryLevel=0\0InitialR2T=No\0" +
            "ImmediateData=Yes\0MaxBurstLength=16776192\0FirstBurstLength=262144\0MaxOutstandingR2T=1\0MaxConnections=1\0" +
            "DataPDUInOrder=Yes\0DataSequenceInOrder=Yes\0MaxRecvDataSegmentLength=262144\0",
            Encoding.ASCII.GetString(buf, 48, h.DataSegmentLength));
    }

    [Fact]
    public void Discovery_login_sends_only_discovery_keys()
    {
        using var m = new LoginStateMachine(new LoginSettings { InitiatorName = Iqn, SessionType = IscsiSessionType.Discovery, MaxRecvDataSegmentLength = 32768, HeaderDigest = IscsiDigest.Crc32C });
        byte[] buf = new byte[LoginStateMachine.RequestBufferSize];
        m.WriteRequest(buf);
        Assert.Equal(
            "InitiatorName=" + Iqn + "\0SessionType=Discovery\0HeaderDigest=None\0DataDigest=None\0DefaultTime2Wait=2\0" +
            "DefaultTime2Retain=0\0IFMarker=No\0OFMarker=No\0ErrorRecoveryLevel=0\0MaxRecvDataSegmentLength=32768\0",
            Encoding.ASCII.GetString(buf, 48, new PduHeader(buf).DataSegmentLength));
    }

    [Theory]
    [InlineData(false, "AuthMethod=CHAP,None")]
    [InlineData(true, "AuthMethod=CHAP")]
    public void Chap_login_starts_in_the_security_stage_without_transit(bool mutual, string offer)
    {
        using ChapCredentials c = mutual ? ChapCredentials.Mutual("u", "s1-secret", "t", "s2-secret") : ChapCredentials.OneWay("u", "s1-secret");
        using var m = new LoginStateMachine(new LoginSettings { InitiatorName = Iqn, TargetName = "iqn.t:1", Credentials = c });
        byte[] buf = new byte[LoginStateMachine.RequestBufferSize];
        m.WriteRequest(buf);
        Assert.Equal(0x00, buf[1]);
        Assert.EndsWith("SessionType=Normal\0" + offer + "\0", Encoding.ASCII.GetString(buf, 48, new PduHeader(buf).DataSegmentLength), StringComparison.Ordinal);
    }

    [Fact]
    public void Final_response_applies_result_functions_and_sequence_numbers()
    {
        using var m = new LoginStateMachine(new LoginSettings { InitiatorName = Iqn, TargetName = "iqn.t:1", MaxXmitDataSegmentLength = 0 });
        byte[] buf = new byte[LoginStateMachine.RequestBufferSize];
        m.WriteRequest(buf);
        Respond(m, buf, true, LoginStage.FullFeaturePhase,
            "HeaderDigest=None\0DataDigest=None\0DefaultTime2Wait=5\0DefaultTime2Retain=0\0IFMarker=No\0OFMarker=No\0ErrorRecoveryLevel=0\0" +
            "InitialR2T=Yes\0ImmediateData=No\0MaxBurstLength=262144\0FirstBurstLength=65536\0MaxOutstandingR2T=1\0MaxConnections=1\0" +
            "DataPDUInOrder=Yes\0DataSequenceInOrder=Yes\0MaxRecvDataSegmentLength=65536\0TargetAlias=tgt\0TargetPortalGroupTag=3\0",
            statSN: 41, tsih: 9);
        Assert.True(m.IsComplete);
        NegotiatedParameters p = m.Result;
        Assert.Equal(5, p.DefaultTime2Wait);
        Assert.True(p.InitialR2T);
        Assert.False(p.ImmediateData);
        Assert.Equal(262144, p.MaxBurstLength);
        Assert.Equal(65536, p.FirstBurstLength);
        Assert.Equal(65536, p.MaxXmitDataSegmentLength);
        Assert.Equal(262144, p.MaxRecvDataSegmentLength);
        Assert.Equal("tgt", p.TargetAlias);
        Assert.Equal(3, p.TargetPortalGroupTag);
        Assert.Equal((ushort)9, p.Tsih);
        Assert.Equal(41u, p.StatSN);
        Assert.Equal(42u, p.ExpStatSN);
    }

    [Fact]
    public void Record_time2wait_time2retain_and_max_r2t_are_offered_and_negotiated()
    {
        using var m = new LoginStateMachine(new LoginSettings
        {
            InitiatorName = Iqn,
            TargetName = "iqn.t:1",
            DefaultTime2Wait = 7,
            DefaultTime2Retain = 11,
            MaxOutstandingR2T = 4,
        });
        byte[] buf = new byte[LoginStateMachine.RequestBufferSize];
        m.WriteRequest(buf);
        string offer = Encoding.ASCII.GetString(buf, 48, new PduHeader(buf).DataSegmentLength);
        Assert.Contains("\0DefaultTime2Wait=7\0DefaultTime2Retain=11\0", offer, StringComparison.Ordinal);
        Assert.Contains("\0MaxOutstandingR2T=4\0MaxConnections=1\0", offer, StringComparison.Ordinal);

        // Time2Wait: the larger; Time2Retain and MaxOutstandingR2T: the smaller of both sides.
        Respond(m, buf, true, LoginStage.FullFeaturePhase,
            "HeaderDigest=None\0DataDigest=None\0DefaultTime2Wait=7\0DefaultTime2Retain=9\0IFMarker=No\0OFMarker=No\0ErrorRecoveryLevel=0\0" +
            "InitialR2T=No\0ImmediateData=Yes\0MaxBurstLength=262144\0FirstBurstLength=65536\0MaxOutstandingR2T=2\0MaxConnections=1\0" +
            "DataPDUInOrder=Yes\0DataSequenceInOrder=Yes\0MaxRecvDataSegmentLength=65536\0");
        NegotiatedParameters p = m.Result;
        Assert.Equal((7, 9, 2), (p.DefaultTime2Wait, p.DefaultTime2Retain, p.MaxOutstandingR2T));
    }

    [Theory]
    [InlineData("MaxOutstandingR2T=5\0")]
    [InlineData("DefaultTime2Wait=6\0")]
    public void Answers_beyond_the_record_offer_are_protocol_errors(string answer)
    {
        using var m = new LoginStateMachine(new LoginSettings { InitiatorName = Iqn, TargetName = "iqn.t:1", DefaultTime2Wait = 7, MaxOutstandingR2T = 4 });
        byte[] buf = new byte[LoginStateMachine.RequestBufferSize];
        m.WriteRequest(buf);
        Assert.Throws<IscsiProtocolException>(() => Respond(m, buf, true, LoginStage.FullFeaturePhase, answer));
    }

    [Theory]
    [InlineData("MaxBurstLength=99999999\0")]
    [InlineData("MaxBurstLength=20000000\0")]
    [InlineData("ErrorRecoveryLevel=1\0")]
    [InlineData("MaxConnections=2\0")]
    [InlineData("DataPDUInOrder=No\0")]
    [InlineData("HeaderDigest=CRC32C\0")]
    [InlineData("IFMarker=Yes\0")]
    [InlineData("DefaultTime2Retain=20\0")]
    public void Answers_outside_the_result_function_are_protocol_errors(string answer)
    {
        using var m = new LoginStateMachine(new LoginSettings { InitiatorName = Iqn, TargetName = "iqn.t:1" });
        byte[] buf = new byte[LoginStateMachine.RequestBufferSize];
        m.WriteRequest(buf);
        Assert.Throws<IscsiProtocolException>(() => Respond(m, buf, true, LoginStage.FullFeaturePhase, answer));
    }

    [Fact]
    public void Target_proposals_and_unknown_keys_are_answered_in_the_next_request()
    {
        using var m = new LoginStateMachine(new LoginSettings { InitiatorName = Iqn, SessionType = IscsiSessionType.Discovery });
        byte[] buf = new byte[LoginStateMachine.RequestBufferSize];
        m.WriteRequest(buf);
        Respond(m, buf, false, LoginStage.LoginOperationalNegotiation, "X-Vendor=1\0InitialR2T=Yes\0OFMarkInt=2048~8192\0");
        m.WriteRequest(buf);
        Assert.Equal(0x87, buf[1]);
        Assert.Equal("X-Vendor=NotUnderstood\0InitialR2T=Irrelevant\0OFMarkInt=Irrelevant\0", Encoding.ASCII.GetString(buf, 48, new PduHeader(buf).DataSegmentLength));
    }

    [Fact]
    public void Continued_response_is_acknowledged_with_an_empty_request()
    {
        using var m = new LoginStateMachine(new LoginSettings { InitiatorName = Iqn, SessionType = IscsiSessionType.Discovery });
        byte[] buf = new byte[LoginStateMachine.RequestBufferSize];
        m.WriteRequest(buf);
        Respond(m, buf, false, LoginStage.LoginOperationalNegotiation, "TargetAl", cont: true);
        Assert.Equal(48, m.WriteRequest(buf));
        Assert.Equal(0x04, buf[1]);
        Respond(m, buf, false, LoginStage.LoginOperationalNegotiation, "ias=joined\0");
        Assert.False(m.IsComplete);
        m.WriteRequest(buf);
        Assert.Equal(0x87, buf[1]);
        Respond(m, buf, true, LoginStage.FullFeaturePhase, "");
        Assert.Equal("joined", m.Result.TargetAlias);
    }

    [Fact]
    public void Not_found_status_is_a_typed_login_exception()
    {
        using var m = new LoginStateMachine(new LoginSettings { InitiatorName = Iqn, TargetName = "iqn.t:1" });
        byte[] buf = new byte[LoginStateMachine.RequestBufferSize];
        m.WriteRequest(buf);
        var e = Assert.Throws<IscsiLoginException>(() => Respond(m, buf, false, LoginStage.LoginOperationalNegotiation, "", statusClass: 2, statusDetail: 3));
        Assert.Equal(LoginFailureKind.NotFound, e.Kind);
        Assert.Contains("target not found", e.Message, StringComparison.Ordinal);
        Assert.Contains("0x03", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transit_to_a_stage_not_requested_is_refused()
    {
        using ChapCredentials c = ChapCredentials.OneWay("u", "s1-secret");
        using var m = new LoginStateMachine(new LoginSettings { InitiatorName = Iqn, TargetName = "iqn.t:1", Credentials = c });
        byte[] buf = new byte[LoginStateMachine.RequestBufferSize];
        m.WriteRequest(buf);
        Assert.Throws<IscsiProtocolException>(() => Respond(m, buf, true, LoginStage.LoginOperationalNegotiation, "AuthMethod=None\0"));
    }

    [Fact]
    public void Open_iscsi_isid_layout_and_length_sanitizing()
    {
        Assert.Equal(0x00023D123456UL, LoginSettings.IsidFor(0x99123456));
        LoginSettings s = new LoginSettings { InitiatorName = Iqn, MaxRecvDataSegmentLength = 100, FirstBurstLength = 70001, MaxBurstLength = 65539 }.Normalize();
        Assert.Equal(262144, s.MaxRecvDataSegmentLength);
        Assert.Equal(65536, s.MaxBurstLength);
        Assert.Equal(65536, s.FirstBurstLength);
    }

    private static void Respond(
        LoginStateMachine m, byte[] request, bool transit, LoginStage nsg, string text, bool cont = false, uint statSN = 1, ushort tsih = 0,
        byte statusClass = 0, byte statusDetail = 0)
    {
        var req = new PduHeader(request);
        byte[] data = Encoding.ASCII.GetBytes(text);
        byte[] bhs = new byte[48];
        TargetPduWriter.WriteLoginResponse(bhs, transit, cont, req.CurrentStage, nsg, req.Isid, tsih, req.InitiatorTaskTag, statSN, 1, 1, statusClass, statusDetail, data.Length);
        m.ProcessResponse(bhs, data);
    }
}
