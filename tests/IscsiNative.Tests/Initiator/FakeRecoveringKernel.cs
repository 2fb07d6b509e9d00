using IscsiNative.TestShared;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using IscsiNative.Netlink;
using IscsiNative.Protocol;
using IscsiNative.Tests.Netlink;
using IscsiNative.Tests.Protocol;

namespace IscsiNative.Tests.Initiator;

/// <summary>
/// A <see cref="FakeNetlinkSocket"/> playing iscsi_tcp for one session (sid 7, host 3): accepts every request,
/// answers Login PDUs (AuthMethod=None in the security stage; each transit the initiator asks for is granted) and
/// Logout PDUs. <see cref="RefuseLogins"/> makes the target answer logins with status 0x0301 (service unavailable,
/// what LIO answers while its TPG is disabled).
/// </summary>
internal sealed class FakeRecoveringKernel
{
    internal const uint Sid = 7;
    internal const uint Host = 3;
    internal const ushort Tsih = 0x0101;

    internal FakeRecoveringKernel()
    {
        Socket.OnSend = OnSend;
    }

    internal FakeNetlinkSocket Socket { get; } = new();

    /// <summary>Answer logins with status class 3 (target error) instead of success.</summary>
    internal volatile bool RefuseLogins;

    /// <summary>Runs when START_CONN arrives, before its reply (the kernel may fail the new connection right then).</summary>
    internal Action? OnStartConn { get; set; }

    /// <summary>Login PDUs seen (BHS + data), in order.</summary>
    internal ConcurrentQueue<byte[]> LoginPdus { get; } = new();

    internal IReadOnlyList<byte[]> Sent => [.. Socket.Sent];

    /// <summary>The kernel reports a failed connection (ISCSI_KEVENT_CONN_ERROR) of (sid, cid).</summary>
    internal void ConnectionError(uint sid, uint cid = 0, IscsiConnectionError error = IscsiConnectionError.TcpConnClose) =>
        Socket.Deliver(KernelMessages.Event(IscsiUeventType.KernelConnError, sid, cid, (uint)error), 1);

    private void OnSend(byte[] request)
    {
        IscsiUeventType type = KernelMessages.RequestType(request);
        switch (type)
        {
            case IscsiUeventType.CreateSession:
                Socket.Deliver(KernelMessages.Reply(request, r0: Sid, r1: Host), 0);
                break;
            case IscsiUeventType.CreateConn:
                Socket.Deliver(KernelMessages.Reply(request, r0: Sid, r1: 0), 0);
                break;
            case IscsiUeventType.StartConn:
                OnStartConn?.Invoke();
                Socket.Deliver(KernelMessages.Reply(request, r0: 0), 0);
                break;
            case IscsiUeventType.BindConn:
                Socket.Deliver(KernelMessages.Reply(request, r0: 0), 0);
                break;
            case IscsiUeventType.SendPdu:
                Socket.Deliver(KernelMessages.Reply(request, r0: 0), 0);
                AnswerPdu(request.AsSpan(72).ToArray());
                break;
            default:
                Socket.Deliver(KernelMessages.Reply(request), 0);
                break;
        }
    }

    private void AnswerPdu(byte[] pdu)
    {
        var request = new PduHeader(pdu);
        if ((pdu[0] & 0x3F) == 0x06)
        {
            // Logout Request -> Logout Response.
            Socket.Deliver(KernelMessages.RecvPdu(Sid, 0, 0x26, []), 1);
            return;
        }

        LoginPdus.Enqueue(pdu);
        bool security = request.CurrentStage == LoginStage.SecurityNegotiation;
        byte[] data = security ? "AuthMethod=None\0"u8.ToArray() : [];
        byte[] bhs = new byte[48];
        bool transit = (pdu[1] & 0x80) != 0 && !RefuseLogins;
        (byte statusClass, byte detail) = RefuseLogins ? ((byte)3, (byte)1) : ((byte)0, (byte)0);
        TargetPduWriter.WriteLoginResponse(
            bhs, transit, @continue: false, request.CurrentStage, transit ? request.NextStage : request.CurrentStage, request.Isid,
            RefuseLogins ? (ushort)0 : Tsih, request.InitiatorTaskTag, statSN: 41, expCmdSN: 1, maxCmdSN: 1, statusClass, detail, data.Length);
        byte[] message = KernelMessages.RecvPdu(Sid, 0, bhs[0], data);
        bhs.CopyTo(message, 72);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(56), Sid);
        Socket.Deliver(message, 1);
    }
}
