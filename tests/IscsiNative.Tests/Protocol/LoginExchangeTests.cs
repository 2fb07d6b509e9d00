using System.Text;
using IscsiNative.Protocol;
using IscsiNative.TestShared;

namespace IscsiNative.Tests.Protocol;

/// <summary>The exchange loop over a scripted target: the hook between the security and the operational stage.</summary>
public sealed class LoginExchangeTests
{
    private const string Operational =
        "HeaderDigest=None\0DataDigest=None\0DefaultTime2Wait=2\0DefaultTime2Retain=0\0IFMarker=No\0OFMarker=No\0ErrorRecoveryLevel=0\0" +
        "InitialR2T=Yes\0ImmediateData=Yes\0MaxBurstLength=262144\0FirstBurstLength=65536\0MaxOutstandingR2T=1\0MaxConnections=1\0" +
        "DataPDUInOrder=Yes\0DataSequenceInOrder=Yes\0MaxRecvDataSegmentLength=65536\0TargetPortalGroupTag=1\0";

    [Fact]
    public async Task Security_done_runs_once_after_the_transit_out_of_the_security_stage_and_before_the_first_operational_request()
    {
        var order = new List<string>();
        using ChapCredentials chap = ChapCredentials.OneWay("u", "s1-secret");
        using var machine = new LoginStateMachine(new LoginSettings { InitiatorName = "iqn.i:1", TargetName = "iqn.t:1", Isid = LoginSettings.IsidFor(1), Credentials = chap });
        await using var target = new ScriptedTarget(order);

        NegotiatedParameters result = await LoginExchange.RunAsync(target, machine, TimeSpan.FromSeconds(30), CancellationToken.None, () => order.Add("security done"));

        Assert.Equal(1, result.TargetPortalGroupTag);
        Assert.Equal(["request CSG 0", "request CSG 0", "request CSG 0", "security done", "request CSG 1"], order);
    }

    [Fact]
    public async Task Security_done_is_not_called_by_a_login_without_a_security_stage()
    {
        var order = new List<string>();
        using var machine = new LoginStateMachine(new LoginSettings { InitiatorName = "iqn.i:1", TargetName = "iqn.t:1", Isid = LoginSettings.IsidFor(1) });
        await using var target = new ScriptedTarget(order);

        await LoginExchange.RunAsync(target, machine, TimeSpan.FromSeconds(30), CancellationToken.None, () => order.Add("security done"));

        Assert.Equal(["request CSG 1"], order);
    }

    /// <summary>A target that answers each request in its stage: AuthMethod=CHAP, a CHAP challenge, the transit, then the operational keys.</summary>
    private sealed class ScriptedTarget(List<string> order) : IIscsiPduTransport
    {
        private byte[] _request = [];

        public ValueTask SendAsync(ReadOnlyMemory<byte> bhsAndData, CancellationToken cancellationToken)
        {
            _request = bhsAndData.ToArray();
            order.Add($"request CSG {(int)new PduHeader(_request).CurrentStage}");
            return ValueTask.CompletedTask;
        }

        public ValueTask<PduBuffer> ReceiveAsync(CancellationToken cancellationToken)
        {
            var request = new PduHeader(_request);
            string text = Encoding.ASCII.GetString(_request, 48, request.DataSegmentLength);
            string answer = request.CurrentStage != LoginStage.SecurityNegotiation ? Operational
                : text.Contains("AuthMethod=", StringComparison.Ordinal) ? "AuthMethod=CHAP\0"
                : text.Contains("CHAP_A=", StringComparison.Ordinal) ? "CHAP_A=5\0CHAP_I=1\0CHAP_C=0x0102030405060708\0"
                : string.Empty;
            byte[] data = Encoding.ASCII.GetBytes(answer);
            byte[] bhs = new byte[48];
            TargetPduWriter.WriteLoginResponse(bhs, request.IsTransit, false, request.CurrentStage, request.NextStage, request.Isid, 1, request.InitiatorTaskTag, 1, 1, 1, 0, 0, data.Length);
            return ValueTask.FromResult(new PduBuffer(bhs, data));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
