using System.Buffers.Binary;
using System.Text;

namespace IscsiNative.Netlink;

/// <summary>
/// Per-connection counters of <c>struct iscsi_stats</c> (the iSCSI MIB as iscsi_tcp fills it), as returned by
/// ISCSI_UEVENT_GET_STATS. Names follow the kernel fields (and <c>iscsiadm -m session -s</c>).
/// </summary>
public sealed record IscsiStatistics
{
    /// <summary>Data bytes sent.</summary>
    public ulong TxDataOctets { get; init; }

    /// <summary>Data bytes received.</summary>
    public ulong RxDataOctets { get; init; }

    /// <summary>NOP-Out PDUs sent.</summary>
    public uint NopTxPdus { get; init; }

    /// <summary>SCSI Command PDUs sent.</summary>
    public uint ScsiCmdPdus { get; init; }

    /// <summary>Task Management Function Request PDUs sent.</summary>
    public uint TmfCmdPdus { get; init; }

    /// <summary>Login Request PDUs sent.</summary>
    public uint LoginPdus { get; init; }

    /// <summary>Text Request PDUs sent.</summary>
    public uint TextPdus { get; init; }

    /// <summary>SCSI Data-Out PDUs sent.</summary>
    public uint DataOutPdus { get; init; }

    /// <summary>Logout Request PDUs sent.</summary>
    public uint LogoutPdus { get; init; }

    /// <summary>SNACK PDUs sent.</summary>
    public uint SnackPdus { get; init; }

    /// <summary>NOP-In PDUs received.</summary>
    public uint NopRxPdus { get; init; }

    /// <summary>SCSI Response PDUs received.</summary>
    public uint ScsiRspPdus { get; init; }

    /// <summary>Task Management Function Response PDUs received.</summary>
    public uint TmfRspPdus { get; init; }

    /// <summary>Text Response PDUs received.</summary>
    public uint TextRspPdus { get; init; }

    /// <summary>SCSI Data-In PDUs received.</summary>
    public uint DataInPdus { get; init; }

    /// <summary>Logout Response PDUs received.</summary>
    public uint LogoutRspPdus { get; init; }

    /// <summary>R2T PDUs received.</summary>
    public uint R2tPdus { get; init; }

    /// <summary>Asynchronous Message PDUs received.</summary>
    public uint AsyncPdus { get; init; }

    /// <summary>Reject PDUs received.</summary>
    public uint RjtPdus { get; init; }

    /// <summary>Digest errors.</summary>
    public uint DigestErr { get; init; }

    /// <summary>Timeouts.</summary>
    public uint TimeoutErr { get; init; }

    /// <summary>Driver-specific counters, in the kernel's order.</summary>
    public IReadOnlyList<IscsiCustomStatistic> Custom { get; init; } = [];

    /// <summary>
    /// Decodes <c>struct iscsi_stats</c> and its <c>custom_length</c> entries from the payload that follows the
    /// event of a GET_STATS message.
    /// </summary>
    /// <param name="payload">The bytes after the 56-byte event.</param>
    /// <param name="statistics">The counters, when the payload is complete.</param>
    /// <returns>False when the payload is shorter than 96 + 72·custom_length bytes or custom_length exceeds 32.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> payload, out IscsiStatistics? statistics)
    {
        statistics = null;
        if (payload.Length < IscsiStatsLayout.Size)
        {
            return false;
        }

        uint customLength = U32(payload, IscsiStatsLayout.CustomLength);
        if (customLength > IscsiStatsLayout.CustomMax
            || payload.Length < IscsiStatsLayout.Custom + ((int)customLength * IscsiStatsLayout.CustomSize))
        {
            return false;
        }

        var custom = new IscsiCustomStatistic[customLength];
        for (int i = 0; i < custom.Length; i++)
        {
            ReadOnlySpan<byte> entry = payload.Slice(IscsiStatsLayout.Custom + (i * IscsiStatsLayout.CustomSize), IscsiStatsLayout.CustomSize);
            ReadOnlySpan<byte> desc = entry.Slice(IscsiStatsLayout.CustomDesc, IscsiStatsLayout.CustomDescMax);
            int nul = desc.IndexOf((byte)0);

            // Bytes after the NUL are uninitialised (strcpy); a missing NUL means the kernel filled all 64.
            custom[i] = new IscsiCustomStatistic(
                Encoding.ASCII.GetString(nul >= 0 ? desc[..nul] : desc),
                BinaryPrimitives.ReadUInt64LittleEndian(entry[IscsiStatsLayout.CustomValue..]));
        }

        statistics = new IscsiStatistics
        {
            TxDataOctets = BinaryPrimitives.ReadUInt64LittleEndian(payload[IscsiStatsLayout.TxDataOctets..]),
            RxDataOctets = BinaryPrimitives.ReadUInt64LittleEndian(payload[IscsiStatsLayout.RxDataOctets..]),
            NopTxPdus = U32(payload, IscsiStatsLayout.NoptxPdus),
            ScsiCmdPdus = U32(payload, IscsiStatsLayout.ScsicmdPdus),
            TmfCmdPdus = U32(payload, IscsiStatsLayout.TmfcmdPdus),
            LoginPdus = U32(payload, IscsiStatsLayout.LoginPdus),
            TextPdus = U32(payload, IscsiStatsLayout.TextPdus),
            DataOutPdus = U32(payload, IscsiStatsLayout.DataoutPdus),
            LogoutPdus = U32(payload, IscsiStatsLayout.LogoutPdus),
            SnackPdus = U32(payload, IscsiStatsLayout.SnackPdus),
            NopRxPdus = U32(payload, IscsiStatsLayout.NoprxPdus),
            ScsiRspPdus = U32(payload, IscsiStatsLayout.ScsirspPdus),
            TmfRspPdus = U32(payload, IscsiStatsLayout.TmfrspPdus),
            TextRspPdus = U32(payload, IscsiStatsLayout.TextrspPdus),
            DataInPdus = U32(payload, IscsiStatsLayout.DatainPdus),
            LogoutRspPdus = U32(payload, IscsiStatsLayout.LogoutrspPdus),
            R2tPdus = U32(payload, IscsiStatsLayout.R2tPdus),
            AsyncPdus = U32(payload, IscsiStatsLayout.AsyncPdus),
            RjtPdus = U32(payload, IscsiStatsLayout.RjtPdus),
            DigestErr = U32(payload, IscsiStatsLayout.DigestErr),
            TimeoutErr = U32(payload, IscsiStatsLayout.TimeoutErr),
            Custom = custom,
        };
        return true;
    }

    private static uint U32(ReadOnlySpan<byte> payload, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(payload[offset..]);
}
