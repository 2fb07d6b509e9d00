using System.Buffers.Binary;
using IscsiNative.Netlink;

namespace IscsiNative.Tests.Netlink;

public sealed class IscsiStatisticsTests
{
    private static byte[] Payload(params (string, ulong)[] custom) => KernelMessages.Stats(3, 0, custom).AsSpan(72).ToArray();

    [Fact]
    public void Decodes_every_counter_in_kernel_field_order_and_the_custom_entries()
    {
        byte[] p = Payload(("tx_sendpage_failures", 1), ("rx_discontiguous_hdr", 2), ("eh_abort_cnt", 3));
        Assert.True(IscsiStatsLayout.TryDecode(p, out IscsiStatistics? s));
        Assert.Equal(1_000_000_000_001ul, s!.TxDataOctets);
        Assert.Equal(2_000_000_000_002ul, s.RxDataOctets);
        uint[] expected = Enumerable.Range(100, 19).Select(i => (uint)i).ToArray();
        uint[] actual =
        [
            s.NopTxPdus, s.ScsiCmdPdus, s.TmfCmdPdus, s.LoginPdus, s.TextPdus, s.DataOutPdus, s.LogoutPdus, s.SnackPdus,
            s.NopRxPdus, s.ScsiRspPdus, s.TmfRspPdus, s.TextRspPdus, s.DataInPdus, s.LogoutRspPdus, s.R2tPdus, s.AsyncPdus, s.RjtPdus,
            s.DigestErr, s.TimeoutErr,
        ];
        Assert.Equal(expected, actual);
        Assert.Equal(
            [new KeyValuePair<string, ulong>("tx_sendpage_failures", 1), new("rx_discontiguous_hdr", 2), new("eh_abort_cnt", 3)],
            s.Custom);
    }

    [Fact]
    public void A_payload_cut_inside_the_fixed_part_or_the_custom_entries_is_rejected()
    {
        byte[] p = Payload(("a", 1), ("b", 2));
        for (int length = 0; length < p.Length; length += 7)
        {
            Assert.False(IscsiStatsLayout.TryDecode(p.AsSpan(0, length), out _));
        }

        Assert.False(IscsiStatsLayout.TryDecode(p.AsSpan(0, p.Length - 1), out _));
        Assert.True(IscsiStatsLayout.TryDecode(p, out _));
    }

    [Fact]
    public void A_custom_length_beyond_the_kernel_maximum_is_rejected()
    {
        byte[] p = new byte[96 + (72 * 40)];
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(92), 33);
        Assert.False(IscsiStatsLayout.TryDecode(p, out _));
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(92), uint.MaxValue);
        Assert.False(IscsiStatsLayout.TryDecode(p, out _));
    }

    [Fact]
    public void A_description_that_fills_all_64_bytes_is_read_without_overrun()
    {
        byte[] p = Payload(("x", 5));
        p.AsSpan(96, 64).Fill((byte)'d');
        Assert.True(IscsiStatsLayout.TryDecode(p, out IscsiStatistics? s));
        Assert.Equal(new string('d', 64), s!.Custom[0].Key);
        Assert.Equal(5ul, s.Custom[0].Value);
    }
}
