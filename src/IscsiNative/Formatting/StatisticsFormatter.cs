using System.Buffers;
using System.Globalization;
using System.Text;
using IscsiNative.Netlink;

namespace IscsiNative.Formatting;

/// <summary>
/// Writes session statistics exactly as <c>iscsiadm -m session -r SID -s</c> prints them (open-iscsi
/// <c>session_stats</c>): a header with the persistent portal, the SNMP counters in <c>struct iscsi_stats</c> order,
/// then the driver's custom counters under <c>iSCSI Extended:</c> when there are any. Lines end in '\n', values are
/// indented with a TAB.
/// </summary>
internal static class StatisticsFormatter
{
    /// <summary>The whole text as a string.</summary>
    /// <param name="sid">The session id.</param>
    /// <param name="targetName">The session's target name.</param>
    /// <param name="persistentAddress">The connection's persistent_address (printed without IPv6 brackets, as iscsiadm does).</param>
    /// <param name="persistentPort">The connection's persistent_port.</param>
    /// <param name="statistics">The counters.</param>
    /// <returns>The iscsiadm text.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    public static string Format(int sid, string targetName, string persistentAddress, int persistentPort, IscsiStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(targetName);
        ArgumentNullException.ThrowIfNull(persistentAddress);
        ArgumentNullException.ThrowIfNull(statistics);
        var s = new StringBuilder(1024);
        CultureInfo c = CultureInfo.InvariantCulture;
        s.Append(c, $"Stats for session [sid: {sid}, target: {targetName}, portal: {persistentAddress},{persistentPort}]\n");
        s.Append("iSCSI SNMP:\n");
        s.Append(c, $"\ttxdata_octets: {statistics.TxDataOctets}\n");
        s.Append(c, $"\trxdata_octets: {statistics.RxDataOctets}\n");
        Counter(s, "noptx_pdus", statistics.NopTxPdus);
        Counter(s, "scsicmd_pdus", statistics.ScsiCmdPdus);
        Counter(s, "tmfcmd_pdus", statistics.TmfCmdPdus);
        Counter(s, "login_pdus", statistics.LoginPdus);
        Counter(s, "text_pdus", statistics.TextPdus);
        Counter(s, "dataout_pdus", statistics.DataOutPdus);
        Counter(s, "logout_pdus", statistics.LogoutPdus);
        Counter(s, "snack_pdus", statistics.SnackPdus);
        Counter(s, "noprx_pdus", statistics.NopRxPdus);
        Counter(s, "scsirsp_pdus", statistics.ScsiRspPdus);
        Counter(s, "tmfrsp_pdus", statistics.TmfRspPdus);
        Counter(s, "textrsp_pdus", statistics.TextRspPdus);
        Counter(s, "datain_pdus", statistics.DataInPdus);
        Counter(s, "logoutrsp_pdus", statistics.LogoutRspPdus);
        Counter(s, "r2t_pdus", statistics.R2tPdus);
        Counter(s, "async_pdus", statistics.AsyncPdus);
        Counter(s, "rjt_pdus", statistics.RjtPdus);
        Counter(s, "digest_err", statistics.DigestErr);
        Counter(s, "timeout_err", statistics.TimeoutErr);
        if (statistics.Custom.Count > 0)
        {
            s.Append("iSCSI Extended:\n");
            foreach ((string name, ulong value) in statistics.Custom)
            {
                s.Append(c, $"\t{name}: {value}\n");
            }
        }

        return s.ToString();
    }

    /// <summary>Writes the text as UTF-8.</summary>
    /// <param name="output">Destination.</param>
    /// <param name="sid">The session id.</param>
    /// <param name="targetName">The session's target name.</param>
    /// <param name="persistentAddress">The connection's persistent_address.</param>
    /// <param name="persistentPort">The connection's persistent_port.</param>
    /// <param name="statistics">The counters.</param>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    public static void Write(IBufferWriter<byte> output, int sid, string targetName, string persistentAddress, int persistentPort, IscsiStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(output);
        string text = Format(sid, targetName, persistentAddress, persistentPort, statistics);
        Span<byte> span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private static void Counter(StringBuilder s, string name, uint value) =>
        s.Append('\t').Append(name).Append(": ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
