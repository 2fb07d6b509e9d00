using System.Buffers;
using System.Text;
using IscsiNative.Formatting;
using IscsiNative.Initiator;
using IscsiNative.Sysfs;
using IscsiNative.Tests.Sysfs;

namespace IscsiNative.Tests.Formatting;

/// <summary>The public <see cref="IscsiadmText"/> gives the same bytes as the writers behind it (pinned by their golden tests).</summary>
public sealed class IscsiadmTextTests
{
    [Theory]
    [InlineData(-1, "session.txt")]
    [InlineData(0, "session-P0.txt")]
    public void Flat_session_listing_of_an_initiator_is_what_iscsiadm_printed(int level, string capture)
    {
        using var initiator = new IscsiInitiator(new IscsiInitiatorOptions { SysfsRoot = Fixtures.CapturedRoot });
        var output = new ArrayBufferWriter<byte>();

        Assert.Equal(4, IscsiadmText.WriteSessions(initiator, output, level));

        Assert.Equal(Fixtures.Capture(capture), output.WrittenSpan.ToArray());
        Assert.Equal(Encoding.UTF8.GetString(Fixtures.Capture(capture)), IscsiadmText.FormatSessions(initiator, level));
    }

    [Fact]
    public void Tree_without_iscsid_reads_Unknown_for_its_two_lines_and_one_sid_lists_one_session()
    {
        using var initiator = new IscsiInitiator(new IscsiInitiatorOptions { SysfsRoot = Fixtures.CapturedRoot });

        string text = IscsiadmText.FormatSessions(initiator, 3, sid: 2);

        Assert.StartsWith("iSCSI Transport Class version ", text, StringComparison.Ordinal);
        Assert.Contains("\nversion " + IscsiadmText.OpenIscsiVersion + "\n", text, StringComparison.Ordinal);
        Assert.Single(text.Split("\t\tSID: ")[1..]);
        Assert.Contains("\t\tiSCSI Connection State: Unknown\n", text, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => IscsiadmText.FormatSessions(initiator, 4));
    }

    [Fact]
    public void Statistics_of_a_session_name_its_sid_target_and_persistent_portal()
    {
        using var initiator = new IscsiInitiator(new IscsiInitiatorOptions { SysfsRoot = Fixtures.CapturedRoot });
        Assert.True(initiator.TryGetSession(1, out IscsiSession? session));
        var statistics = new IscsiStatistics { NopTxPdus = 4, Custom = [new("eh_abort_cnt", 2)] };
        var output = new ArrayBufferWriter<byte>();

        IscsiadmText.WriteStatistics(session!, statistics, output);

        string expected = StatisticsFormatter.Format(1, session!.TargetName, "127.0.0.1", 3260, statistics);
        Assert.Equal(expected, IscsiadmText.FormatStatistics(session, statistics));
        Assert.Equal(expected, Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.StartsWith($"Stats for session [sid: 1, target: {session.TargetName}, portal: 127.0.0.1,3260]\n", expected, StringComparison.Ordinal);
    }

    [Fact]
    public void Discovery_results_print_one_line_per_portal()
    {
        DiscoveredTarget[] targets =
        [
            new("iqn.t:a", [new DiscoveredPortal(new IscsiPortal("10.0.0.1"), 1), new DiscoveredPortal(new IscsiPortal("fe80::1", 3261), 2)]),
        ];
        var output = new ArrayBufferWriter<byte>();

        IscsiadmText.WriteDiscovery(targets, output);

        const string Expected = "10.0.0.1:3260,1 iqn.t:a\n[fe80::1]:3261,2 iqn.t:a\n";
        Assert.Equal(Expected, IscsiadmText.FormatDiscovery(targets));
        Assert.Equal(Expected, Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
