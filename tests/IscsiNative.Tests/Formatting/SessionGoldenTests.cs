using IscsiNative.Iscsid;
using System.Buffers;
using System.Text;
using IscsiNative.Formatting;
using IscsiNative.Sysfs;
using IscsiNative.Tests.Sysfs;

namespace IscsiNative.Tests.Formatting;

/// <summary>The writer's text against real iscsiadm 2.1.8 output captured on the VM, byte for byte.</summary>
public sealed class SessionGoldenTests
{
    private static string Format(string root, int level, IIscsidStateSource? states)
    {
        using var reader = new SysfsSessionReader(root);
        var output = new ArrayBufferWriter<byte>();
        IscsiadmSessionWriter.WriteSessions(reader, output, level, states);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static void AssertSameText(string captureName, string actual)
    {
        string expected = Encoding.UTF8.GetString(Fixtures.Capture(captureName));
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(-1, "session.txt")]
    [InlineData(0, "session-P0.txt")]
    [InlineData(1, "session-P1.txt")]
    [InlineData(2, "session-P2.txt")]
    [InlineData(3, "session-P3.txt")]
    public void Captured_tree_prints_exactly_what_iscsiadm_printed(int level, string capture)
    {
        AssertSameText(capture, Format(Fixtures.CapturedRoot, level, FakeIscsidStateSource.AllLoggedIn(1, 2, 3, 4)));
    }

    [Theory]
    [InlineData(1, "session-P1-failed.txt")]
    [InlineData(3, "session-P3-failed.txt")]
    public void Failed_session_prints_exactly_what_iscsiadm_printed(int level, string capture)
    {
        FakeIscsidStateSource states = FakeIscsidStateSource.AllLoggedIn(1, 2, 4).Set(3, 1, 2);
        AssertSameText(capture, Format(Fixtures.CapturedFailedRoot, level, states));
    }

    [Fact]
    public void Without_iscsid_both_iscsid_lines_read_Unknown()
    {
        string text = Format(Fixtures.CapturedRoot, 1, null);
        Assert.Equal(4, CountOccurrences(text, "\t\tiSCSI Connection State: Unknown\n"));
        Assert.Equal(4, CountOccurrences(text, "\t\tInternal iscsid Session State: Unknown\n"));
        Assert.Equal(4, CountOccurrences(text, "\t\tiSCSI Session State: LOGGED_IN\n"));
    }

    [Fact]
    public void Out_of_range_iscsid_states_read_Unknown()
    {
        FakeIscsidStateSource states = new FakeIscsidStateSource().Set(1, 7, 4);
        string text = Format(Fixtures.CapturedRoot, 1, states);
        Assert.Contains("SID: 1\n\t\tiSCSI Connection State: Unknown\n\t\tiSCSI Session State: LOGGED_IN\n\t\tInternal iscsid Session State: Unknown\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void No_sessions_write_nothing_and_report_zero()
    {
        string empty = Directory.CreateTempSubdirectory("iscsinat-empty").FullName;
        try
        {
            using var reader = new SysfsSessionReader(empty);
            var output = new ArrayBufferWriter<byte>();
            Assert.Equal(0, IscsiadmSessionWriter.WriteSessions(reader, output, 3));
            Assert.Equal(0, output.WrittenCount);
        }
        finally
        {
            Directory.Delete(empty, true);
        }
    }

    [Fact]
    public void Invalid_info_level_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IscsiadmSessionWriter(new ArrayBufferWriter<byte>(), 4));
        Assert.False(IscsiadmSessionWriter.IsValidInfoLevel(-2));
    }

    private static int CountOccurrences(string text, string value)
    {
        int count = 0;
        for (int i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
