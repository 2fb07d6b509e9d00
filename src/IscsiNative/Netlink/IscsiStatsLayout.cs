using System.Buffers.Binary;
using System.Text;

namespace IscsiNative.Netlink;

/// <summary>Offsets inside <c>struct iscsi_stats</c> (96 bytes + custom[]) and <c>struct iscsi_stats_custom</c> (72 bytes).</summary>
internal static class IscsiStatsLayout
{
    /// <summary><c>sizeof(struct iscsi_stats)</c> without the custom entries.</summary>
    internal const int Size = 96;

    /// <summary><c>sizeof(struct iscsi_stats_custom)</c>.</summary>
    internal const int CustomSize = 72;

    /// <summary><c>ISCSI_STATS_CUSTOM_MAX</c>.</summary>
    internal const int CustomMax = 32;

    /// <summary><c>ISCSI_STATS_CUSTOM_DESC_MAX</c>.</summary>
    internal const int CustomDescMax = 64;

    /// <summary><c>txdata_octets</c> (8 bytes).</summary>
    internal const int TxDataOctets = 0;

    /// <summary><c>rxdata_octets</c> (8 bytes).</summary>
    internal const int RxDataOctets = 8;

    /// <summary><c>noptx_pdus</c> (4 bytes).</summary>
    internal const int NoptxPdus = 16;

    /// <summary><c>scsicmd_pdus</c> (4 bytes).</summary>
    internal const int ScsicmdPdus = 20;

    /// <summary><c>tmfcmd_pdus</c> (4 bytes).</summary>
    internal const int TmfcmdPdus = 24;

    /// <summary><c>login_pdus</c> (4 bytes).</summary>
    internal const int LoginPdus = 28;

    /// <summary><c>text_pdus</c> (4 bytes).</summary>
    internal const int TextPdus = 32;

    /// <summary><c>dataout_pdus</c> (4 bytes).</summary>
    internal const int DataoutPdus = 36;

    /// <summary><c>logout_pdus</c> (4 bytes).</summary>
    internal const int LogoutPdus = 40;

    /// <summary><c>snack_pdus</c> (4 bytes).</summary>
    internal const int SnackPdus = 44;

    /// <summary><c>noprx_pdus</c> (4 bytes).</summary>
    internal const int NoprxPdus = 48;

    /// <summary><c>scsirsp_pdus</c> (4 bytes).</summary>
    internal const int ScsirspPdus = 52;

    /// <summary><c>tmfrsp_pdus</c> (4 bytes).</summary>
    internal const int TmfrspPdus = 56;

    /// <summary><c>textrsp_pdus</c> (4 bytes).</summary>
    internal const int TextrspPdus = 60;

    /// <summary><c>datain_pdus</c> (4 bytes).</summary>
    internal const int DatainPdus = 64;

    /// <summary><c>logoutrsp_pdus</c> (4 bytes).</summary>
    internal const int LogoutrspPdus = 68;

    /// <summary><c>r2t_pdus</c> (4 bytes).</summary>
    internal const int R2tPdus = 72;

    /// <summary><c>async_pdus</c> (4 bytes).</summary>
    internal const int AsyncPdus = 76;

    /// <summary><c>rjt_pdus</c> (4 bytes).</summary>
    internal const int RjtPdus = 80;

    /// <summary><c>digest_err</c> (4 bytes).</summary>
    internal const int DigestErr = 84;

    /// <summary><c>timeout_err</c> (4 bytes).</summary>
    internal const int TimeoutErr = 88;

    /// <summary><c>custom.custom_length</c> (4 bytes).</summary>
    internal const int CustomLength = 92;

    /// <summary><c>custom.custom</c> (0 bytes).</summary>
    internal const int Custom = 96;

    /// <summary><c>custom.desc</c> (64 bytes).</summary>
    internal const int CustomDesc = 0;

    /// <summary><c>custom.value</c> (8 bytes).</summary>
    internal const int CustomValue = 64;

    /// <summary>
    /// Decodes <c>struct iscsi_stats</c> and its <c>custom_length</c> entries from the payload that follows the
    /// event of a GET_STATS message.
    /// </summary>
    /// <param name="payload">The bytes after the 56-byte event.</param>
    /// <param name="statistics">The counters, when the payload is complete.</param>
    /// <returns>False when the payload is shorter than 96 + 72·custom_length bytes or custom_length exceeds 32.</returns>
    internal static bool TryDecode(ReadOnlySpan<byte> payload, out IscsiStatistics? statistics)
    {
        statistics = null;
        if (payload.Length < Size)
        {
            return false;
        }

        uint customLength = U32(payload, CustomLength);
        if (customLength > CustomMax
            || payload.Length < Custom + ((int)customLength * CustomSize))
        {
            return false;
        }

        var custom = new KeyValuePair<string, ulong>[customLength];
        for (int i = 0; i < custom.Length; i++)
        {
            ReadOnlySpan<byte> entry = payload.Slice(Custom + (i * CustomSize), CustomSize);
            ReadOnlySpan<byte> desc = entry.Slice(CustomDesc, CustomDescMax);
            int nul = desc.IndexOf((byte)0);

            // Bytes after the NUL are uninitialised (strcpy); a missing NUL means the kernel filled all 64.
            custom[i] = new KeyValuePair<string, ulong>(
                Encoding.ASCII.GetString(nul >= 0 ? desc[..nul] : desc),
                BinaryPrimitives.ReadUInt64LittleEndian(entry[CustomValue..]));
        }

        statistics = new IscsiStatistics
        {
            TxDataOctets = BinaryPrimitives.ReadUInt64LittleEndian(payload[TxDataOctets..]),
            RxDataOctets = BinaryPrimitives.ReadUInt64LittleEndian(payload[RxDataOctets..]),
            NopTxPdus = U32(payload, NoptxPdus),
            ScsiCmdPdus = U32(payload, ScsicmdPdus),
            TmfCmdPdus = U32(payload, TmfcmdPdus),
            LoginPdus = U32(payload, LoginPdus),
            TextPdus = U32(payload, TextPdus),
            DataOutPdus = U32(payload, DataoutPdus),
            LogoutPdus = U32(payload, LogoutPdus),
            SnackPdus = U32(payload, SnackPdus),
            NopRxPdus = U32(payload, NoprxPdus),
            ScsiRspPdus = U32(payload, ScsirspPdus),
            TmfRspPdus = U32(payload, TmfrspPdus),
            TextRspPdus = U32(payload, TextrspPdus),
            DataInPdus = U32(payload, DatainPdus),
            LogoutRspPdus = U32(payload, LogoutrspPdus),
            R2tPdus = U32(payload, R2tPdus),
            AsyncPdus = U32(payload, AsyncPdus),
            RjtPdus = U32(payload, RjtPdus),
            DigestErr = U32(payload, DigestErr),
            TimeoutErr = U32(payload, TimeoutErr),
            Custom = custom,
        };
        return true;
    }

    private static uint U32(ReadOnlySpan<byte> payload, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(payload[offset..]);
}
