using IscsiNative.TestShared;
using System.Net.Sockets;
using System.Text;
using IscsiNative.Protocol;

namespace IscsiNative.Tests.Protocol;

/// <summary>The target end of one loopback connection, driven by a test script.</summary>
internal sealed class FakeTargetConnection
{
    public const string DiscoveryAnswer =
        "TargetPortalGroupTag=1\0MaxRecvDataSegmentLength=8192\0HeaderDigest=None\0DataDigest=None\0DefaultTime2Wait=2\0" +
        "DefaultTime2Retain=0\0IFMarker=No\0OFMarker=No\0ErrorRecoveryLevel=0\0";

    private readonly NetworkStream _stream;
    private uint _statSN = 100;

    public FakeTargetConnection(NetworkStream stream) => _stream = stream;

    public async Task<(byte[] Bhs, byte[] Data)> ReadPduAsync(CancellationToken ct)
    {
        byte[] bhs = new byte[48];
        await _stream.ReadExactlyAsync(bhs, ct);
        int length = new PduHeader(bhs).DataSegmentLength;
        byte[] data = new byte[Bhs.Pad4(length)];
        await _stream.ReadExactlyAsync(data, ct);
        return (bhs, data.AsSpan(0, length).ToArray());
    }

    public Task WriteAsync(byte[] bytes, CancellationToken ct) => _stream.WriteAsync(bytes, ct).AsTask();

    /// <summary>A Login Response to <paramref name="request"/> with the given flags, status and text.</summary>
    public byte[] LoginResponse(
        byte[] request, bool transit, LoginStage nsg, string text, byte statusClass = 0, byte statusDetail = 0, bool cont = false, int? forcedLength = null)
    {
        var req = new PduHeader(request);
        byte[] data = Encoding.UTF8.GetBytes(text);
        byte[] pdu = new byte[48 + Bhs.Pad4(data.Length)];
        TargetPduWriter.WriteLoginResponse(
            pdu, transit, cont, req.CurrentStage, nsg, req.Isid, (ushort)(transit && nsg == LoginStage.FullFeaturePhase ? 7 : 0),
            req.InitiatorTaskTag, _statSN++, req.CmdSN, req.CmdSN + 16, statusClass, statusDetail, data.Length);
        data.CopyTo(pdu, 48);
        if (forcedLength is int n)
        {
            pdu[5] = (byte)(n >> 16);
            pdu[6] = (byte)(n >> 8);
            pdu[7] = (byte)n;
        }

        return pdu;
    }

    /// <summary>Accepts a login without security stage, answering every operational key.</summary>
    public async Task AcceptLoginAsync(CancellationToken ct)
    {
        (byte[] bhs, _) = await ReadPduAsync(ct);
        await WriteAsync(LoginResponse(bhs, true, LoginStage.FullFeaturePhase, DiscoveryAnswer), ct);
    }

    /// <summary>Answers the next Text Request with <paramref name="text"/> (F=1).</summary>
    public async Task AnswerTextAsync(string text, CancellationToken ct)
    {
        (byte[] bhs, _) = await ReadPduAsync(ct);
        await WriteAsync(TextResponse(bhs, text), ct);
    }

    /// <summary>A final Text Response to <paramref name="request"/>.</summary>
    public byte[] TextResponse(byte[] request, string text)
    {
        var req = new PduHeader(request);
        byte[] data = Encoding.UTF8.GetBytes(text);
        byte[] pdu = new byte[48 + Bhs.Pad4(data.Length)];
        TargetPduWriter.WriteTextResponse(pdu, true, false, 0, req.InitiatorTaskTag, Bhs.ReservedTag, _statSN++, req.CmdSN + 1, req.CmdSN + 16, data.Length);
        data.CopyTo(pdu, 48);
        return pdu;
    }

    /// <summary>Answers text requests forever with F=0 continuations of <paramref name="chunk"/> bytes.</summary>
    public async Task EndlessTextAsync(int chunk, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            (byte[] bhs, _) = await ReadPduAsync(ct);
            var req = new PduHeader(bhs);
            byte[] pdu = new byte[48 + Bhs.Pad4(chunk)];
            TargetPduWriter.WriteTextResponse(pdu, false, true, 0, req.InitiatorTaskTag, 0x1234, _statSN, req.CmdSN + 1, req.CmdSN + 16, chunk);
            pdu.AsSpan(48, chunk).Fill((byte)'a');
            await WriteAsync(pdu, ct);
        }
    }

    /// <summary>Answers a Logout Request with success.</summary>
    public async Task AnswerLogoutAsync(CancellationToken ct)
    {
        (byte[] bhs, _) = await ReadPduAsync(ct);
        var req = new PduHeader(bhs);
        byte[] pdu = new byte[48];
        TargetPduWriter.WriteLogoutResponse(pdu, 0, req.InitiatorTaskTag, _statSN++, req.CmdSN, req.CmdSN + 16, 2, 0);
        await WriteAsync(pdu, ct);
    }
}
