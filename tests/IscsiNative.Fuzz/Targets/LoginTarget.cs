using IscsiNative.TestShared;
using IscsiNative.Protocol;

namespace IscsiNative.Fuzz;

/// <summary>
/// The login state machine driven by a fuzzed target. Byte 0 configures the initiator (bits 0-1: no CHAP, one-way,
/// mutual; bit 2: discovery; bits 3-4 and 5-6: header and data digest preference; bit 7: kernel path, no ITT check).
/// Then each response is <c>[control][length:2 BE][text]</c>: control bits 0/1 are T/C, 2-3 NSG, bits 6-7 pick a
/// status class (0 success, 1 redirect, 2 initiator error, 3 target error; the detail is the first text byte);
/// bit 4 sends the record raw (its first 48 bytes are the BHS as-is), bit 5 puts a wrong CSG in the header. Otherwise
/// the BHS carries the ISID/ITT the initiator expects, so the fuzzer reaches the key negotiation.
/// Documented: <see cref="IscsiProtocolException"/>, <see cref="IscsiLoginException"/> (and its
/// <see cref="IscsiAuthenticationException"/>). Successful logins are checked against the offered values.
/// </summary>
public static class LoginTarget
{
    private const string InitiatorName = "iqn.2016-04.com.open-iscsi:fuzz";

    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        byte config = input[0];
        using ChapCredentials? chap = (config & 3) switch
        {
            1 or 3 => ChapCredentials.OneWay("fuzz-user", "fuzz-secret-12"u8),
            2 => ChapCredentials.Mutual("fuzz-user", "fuzz-secret-12"u8, "fuzz-target", "fuzz-target-secret"u8),
            _ => null,
        };
        bool discovery = (config & 4) != 0;
        var settings = new LoginSettings
        {
            InitiatorName = InitiatorName,
            TargetName = discovery ? null : "iqn.2003-01.org.example:fuzz",
            SessionType = discovery ? IscsiSessionType.Discovery : IscsiSessionType.Normal,
            Isid = LoginSettings.IsidFor(7),
            InitiatorTaskTag = 0x11,
            HeaderDigest = (IscsiDigest)((config >> 3) & 3),
            DataDigest = (IscsiDigest)((config >> 5) & 3),
            VerifyTaskTag = (config & 0x80) == 0,
            Credentials = chap,
            ChapAlgorithms = [ChapAlgorithm.Md5, ChapAlgorithm.Sha1, ChapAlgorithm.Sha256],
        };

        using var machine = new LoginStateMachine(settings);
        byte[] request = new byte[LoginStateMachine.RequestBufferSize];
        byte[] bhs = new byte[Bhs.Size];
        ReadOnlySpan<byte> rest = input[1..];
        uint statSN = 1;
        try
        {
            while (!machine.IsComplete && rest.Length >= 3)
            {
                int written = machine.WriteRequest(request);
                FuzzInvariantException.Check(written >= Bhs.Size && written <= request.Length && written % 4 == 0, "request length");
                FuzzInvariantException.Check(new PduHeader(request).DataSegmentLength <= LoginStateMachine.MaxRequestDataLength, "request text too long");

                byte control = rest[0];
                int length = Math.Min((rest[1] << 8) | rest[2], rest.Length - 3);
                ReadOnlySpan<byte> record = rest.Slice(3, length);
                rest = rest[(3 + length)..];

                ReadOnlySpan<byte> header;
                ReadOnlySpan<byte> data;
                if ((control & 0x10) != 0)
                {
                    if (record.Length < Bhs.Size)
                    {
                        return;
                    }

                    header = record[..Bhs.Size];
                    data = record[Bhs.Size..];
                }
                else
                {
                    LoginStage csg = (control & 0x20) != 0 ? (LoginStage)(((int)machine.Stage + 1) & 3) : machine.Stage;
                    byte statusClass = (byte)(control >> 6);
                    byte statusDetail = record.IsEmpty ? (byte)0 : record[0];
                    TargetPduWriter.WriteLoginResponse(
                        bhs, (control & 1) != 0, (control & 2) != 0, csg, (LoginStage)((control >> 2) & 3), settings.Isid, 0x1234,
                        settings.InitiatorTaskTag, statSN++, 1, 2, statusClass, statusDetail, record.Length);
                    header = bhs;
                    data = record;
                }

                machine.ProcessResponse(header, data);
            }
        }
        catch (IscsiProtocolException)
        {
            return;
        }
        catch (IscsiLoginException)
        {
            return;
        }

        if (machine.IsComplete)
        {
            Check(machine.Result, settings.Normalize());
        }
    }

    private static void Check(NegotiatedParameters p, LoginSettings s)
    {
        FuzzInvariantException.Check(p.MaxConnections == 1 && p.MaxOutstandingR2T == 1 && p.ErrorRecoveryLevel == 0, "min() keys above the offered 1/1/0");
        FuzzInvariantException.Check(p.DataPduInOrder && p.DataSequenceInOrder, "OR keys offered Yes ended No");
        FuzzInvariantException.Check(!p.IFMarker && !p.OFMarker, "AND markers offered No ended Yes");
        FuzzInvariantException.Check(p.FirstBurstLength <= p.MaxBurstLength, "FirstBurstLength > MaxBurstLength");
        FuzzInvariantException.Check(p.MaxBurstLength is >= LoginSettings.MinLength and <= LoginSettings.MaxLength, "MaxBurstLength out of range");
        FuzzInvariantException.Check(p.MaxXmitDataSegmentLength is >= LoginSettings.MinLength and <= LoginSettings.MaxLength, "MaxXmitDataSegmentLength out of range");
        FuzzInvariantException.Check(p.MaxRecvDataSegmentLength == s.MaxRecvDataSegmentLength, "MaxRecvDataSegmentLength changed");
        FuzzInvariantException.Check(p.DefaultTime2Wait is >= 0 and <= 3600 && p.DefaultTime2Retain is >= 0 and <= 3600, "time keys out of range");
        FuzzInvariantException.Check(s.HeaderDigest != IscsiDigest.None || p.HeaderDigest == IscsiDigest.None, "HeaderDigest not offered");
        FuzzInvariantException.Check(s.DataDigest != IscsiDigest.None || p.DataDigest == IscsiDigest.None, "DataDigest not offered");
        FuzzInvariantException.Check(s.HeaderDigest != IscsiDigest.Crc32C || p.HeaderDigest == IscsiDigest.Crc32C, "required HeaderDigest dropped");
        FuzzInvariantException.Check(s.DataDigest != IscsiDigest.Crc32C || p.DataDigest == IscsiDigest.Crc32C, "required DataDigest dropped");
        FuzzInvariantException.Check(s.Credentials is null || p.ChapAlgorithm is not null || !s.Credentials.IsMutual, "mutual CHAP login completed without CHAP");
    }
}
