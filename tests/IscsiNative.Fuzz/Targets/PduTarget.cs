using IscsiNative.Protocol;

namespace IscsiNative.Fuzz;

/// <summary>
/// BHS/PDU decoding: byte 0 chooses header/data digests and the receive limit, the rest is a byte stream that
/// <see cref="PduFraming.TryRead"/> splits into PDUs (as the managed transport does); every header field is read.
/// Documented: <see cref="IscsiProtocolException"/> (oversized segment, digest mismatch).
/// </summary>
public static class PduTarget
{
    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        bool headerDigest = (input[0] & 1) != 0;
        bool dataDigest = (input[0] & 2) != 0;
        int maxData = (input[0] & 4) != 0 ? 8192 : Bhs.MaxDataSegmentLength;
        ReadOnlySpan<byte> stream = input[1..];
        try
        {
            for (int pdus = 0; pdus < 64; pdus++)
            {
                if (!PduFraming.TryRead(stream, headerDigest, dataDigest, maxData, out ReadOnlySpan<byte> bhs, out ReadOnlySpan<byte> data, out int needed))
                {
                    FuzzInvariantException.Check(needed > stream.Length, "TryRead asked for no more bytes than it had");
                    if (stream.Length >= Bhs.Size)
                    {
                        // Header alone is always readable once 48 bytes are there.
                        ReadAll(new PduHeader(stream));
                    }

                    return;
                }

                var h = new PduHeader(bhs);
                FuzzInvariantException.Check(bhs.Length == Bhs.Size, "BHS is not 48 bytes");
                FuzzInvariantException.Check(data.Length == h.DataSegmentLength, "data length differs from DataSegmentLength");
                FuzzInvariantException.Check(data.Length <= maxData, "data beyond the receive limit");
                FuzzInvariantException.Check(needed <= stream.Length && needed >= Bhs.Size + data.Length, "wire length out of range");
                ReadAll(h);
                stream = stream[needed..];
            }
        }
        catch (IscsiProtocolException)
        {
        }
    }

    private static void ReadAll(PduHeader h)
    {
        ulong sink = (ulong)h.Opcode + (h.IsImmediate ? 1UL : 0) + h.Flags + (h.IsFinal ? 1UL : 0) + (h.IsContinue ? 1UL : 0)
            + (h.IsTransit ? 1UL : 0) + (ulong)h.CurrentStage + (ulong)h.NextStage + h.Byte2 + h.Byte3 + (ulong)h.TotalAhsLength
            + (ulong)h.DataSegmentLength + h.Lun + h.Isid + h.Tsih + h.InitiatorTaskTag + h.TargetTransferTag + h.Cid + h.CmdSN
            + h.StatSN + h.ExpStatSN + h.ExpCmdSN + h.MaxCmdSN + h.StatusClass + h.StatusDetail + h.AsyncEvent + h.AsyncVCode
            + h.ReadUInt16(40) + h.ReadUInt32(44);
        FuzzInvariantException.Check(h.DataSegmentLength <= Bhs.MaxDataSegmentLength && h.TotalAhsLength <= 1020, "header field out of range");
        GC.KeepAlive(sink);
    }
}
