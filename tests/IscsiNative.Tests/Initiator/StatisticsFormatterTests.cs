using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using IscsiNative.Formatting;
using IscsiNative.Netlink;
using IscsiNative.Tests.Interop;

namespace IscsiNative.Tests.Initiator;

/// <summary><see cref="StatisticsFormatter"/> against the captured <c>iscsiadm -m session -r 1 -s</c> output.</summary>
public sealed class StatisticsFormatterTests
{
    private const string Target = "iqn.2003-01.org.linux-iscsi.stage:t4";

    private static string Capture() =>
        File.ReadAllText(Path.Combine(BindingRulesTests.RepoRoot, "tests", "fixtures", "iscsiadm-captures", "stats.txt"));

    /// <summary>The GET_STATS payload (struct iscsi_stats + 3 custom entries) carrying the captured counters.</summary>
    private static byte[] CapturedPayload()
    {
        byte[] p = new byte[96 + (3 * 72)];
        BinaryPrimitives.WriteUInt64LittleEndian(p, 2320);
        BinaryPrimitives.WriteUInt64LittleEndian(p.AsSpan(8), 27652);
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(20), 38); // scsicmd
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(52), 38); // scsirsp
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(64), 31); // datain
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(92), 3);
        string[] names = ["tx_sendpage_failures", "rx_discontiguous_hdr", "eh_abort_cnt"];
        for (int i = 0; i < names.Length; i++)
        {
            Span<byte> entry = p.AsSpan(96 + (72 * i), 72);
            entry[..64].Fill(0xEE); // bytes after the NUL are uninitialised in the kernel's message
            Encoding.ASCII.GetBytes(names[i]).CopyTo(entry);
            entry[names[i].Length] = 0;
        }

        return p;
    }

    [Fact]
    public void Decoded_kernel_statistics_print_byte_identical_to_iscsiadm_s()
    {
        Assert.True(IscsiStatsLayout.TryDecode(CapturedPayload(), out IscsiStatistics? stats));

        string text = StatisticsFormatter.Format(1, Target, "127.0.0.1", 3260, stats!);

        Assert.Equal(Capture(), text);
    }

    [Fact]
    public void Buffer_writer_output_is_the_same_utf8_bytes()
    {
        Assert.True(IscsiStatsLayout.TryDecode(CapturedPayload(), out IscsiStatistics? stats));
        var output = new ArrayBufferWriter<byte>();

        StatisticsFormatter.Write(output, 1, Target, "127.0.0.1", 3260, stats!);

        Assert.Equal(Encoding.UTF8.GetBytes(Capture()), output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Without_custom_counters_there_is_no_extended_section()
    {
        string text = StatisticsFormatter.Format(7, "iqn.x", "fe80::1", 3261, new IscsiStatistics { NopTxPdus = 4 });

        Assert.StartsWith("Stats for session [sid: 7, target: iqn.x, portal: fe80::1,3261]\niSCSI SNMP:\n", text, StringComparison.Ordinal);
        Assert.Contains("\tnoptx_pdus: 4\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\ttimeout_err: 0\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Extended", text, StringComparison.Ordinal);
    }
}
