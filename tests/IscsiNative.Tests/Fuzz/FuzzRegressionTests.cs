using IscsiNative.TestShared;
using IscsiNative.Sysfs;

namespace IscsiNative.Tests.Fuzz;

/// <summary>Every input a fuzz target crashed on, pinned with the behaviour the fix gives it.</summary>
public sealed class FuzzRegressionTests
{
    /// <summary>
    /// sysfs-value corpus seed "big": 18446744073709551616 wrapped the ulong accumulator to 0 before the overflow
    /// check saw it, so strtoll emulation returned 0 instead of saturating at LLONG_MAX like glibc.
    /// </summary>
    [Theory]
    [InlineData("18446744073709551616", long.MaxValue)]
    [InlineData("92233720368547758080", long.MaxValue)]
    [InlineData("-18446744073709551616", long.MinValue)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("9223372036854775808", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("-9223372036854775809", long.MinValue)]
    [InlineData("184467440737095516160000", long.MaxValue)]
    public void StrToLL_saturates_numbers_that_would_wrap_a_ulong(string text, long expected)
    {
        Assert.Equal(expected, SysfsNumber.StrToLL(System.Text.Encoding.ASCII.GetBytes(text)));
        Assert.Equal(expected > 0 ? int.MaxValue : int.MinValue, SysfsNumber.StrToI32Clamped(System.Text.Encoding.ASCII.GetBytes(text)));
    }
}

/// <summary>Login target regressions.</summary>
public sealed class LoginFuzzRegressionTests
{
    /// <summary>
    /// Found while writing the login target and confirmed by replaying a crafted input through it (afl had not
    /// reached it in 60 s): 700 unknown keys make 700 NotUnderstood replies, more than the 8192-byte request holds,
    /// and WriteRequest threw an undocumented InvalidOperationException out of the login.
    /// </summary>
    [Fact]
    public void Too_many_keys_needing_an_answer_is_a_protocol_error()
    {
        string text = string.Concat(Enumerable.Range(0, 700).Select(i => $"k{i}=v\0"));
        byte[] input = [0, 0x00, (byte)(text.Length >> 8), (byte)text.Length, .. System.Text.Encoding.ASCII.GetBytes(text), 0x0D, 0, 0];
        IscsiNative.Fuzz.LoginTarget.Run(input);

        using var m = new IscsiNative.Protocol.LoginStateMachine(new IscsiNative.Protocol.LoginSettings { InitiatorName = "iqn.i:1", TargetName = "iqn.t:1" });
        byte[] buf = new byte[IscsiNative.Protocol.LoginStateMachine.RequestBufferSize];
        m.WriteRequest(buf);
        byte[] data = System.Text.Encoding.ASCII.GetBytes(text);
        byte[] bhs = new byte[48];
        TargetPduWriter.WriteLoginResponse(bhs, false, false, IscsiNative.Protocol.LoginStage.LoginOperationalNegotiation,
            IscsiNative.Protocol.LoginStage.LoginOperationalNegotiation, IscsiNative.Protocol.LoginSettings.IsidFor(0), 0, 0, 1, 1, 1, 0, 0, data.Length);
        m.ProcessResponse(bhs, data);
        Assert.Throws<IscsiProtocolException>(() => m.WriteRequest(buf));
    }
}

/// <summary>
/// Node record and iscsid.conf regressions, found by the node-record and iscsid-conf targets' first in-process replay
/// (3000 mutations each). Each broke "a record the library writes reads back unchanged", and each was also a place
/// where the library read a file differently from iscsiadm 2.1.8 (usr/idbm.c: fgets lines, C isspace, "key =" skipped).
/// </summary>
public sealed class NodeRecordFuzzRegressionTests
{
    private const string Head = "# BEGIN RECORD 2.1.8\nnode.name = iqn.2001-04.com.example:t\nnode.tpgt = 1\n";

    /// <summary>"key =" with no value set the key to empty; the file form omits empty values, so a rewrite then read the default.</summary>
    [Fact]
    public void A_key_with_no_value_keeps_its_default_as_iscsiadm_reads_it()
    {
        IscsiNative.Nodes.RecordFields fields = IscsiNative.Nodes.RecordFields.Parse(IscsiNative.Nodes.RecordKind.Node, Head + "node.session.timeo.replacement_timeout =\n# END RECORD\n", "t");
        Assert.Equal("120", fields.Get("node.session.timeo.replacement_timeout"));
        IscsiNative.Fuzz.NodeRecordTarget.CheckRoundTrip(fields);
    }

    /// <summary>A '\r' inside a value split the line in two on reading back (lines ended at any Unicode line break).</summary>
    [Fact]
    public void Only_newline_ends_a_line_and_only_C_white_space_is_trimmed()
    {
        string conf = "node.session.auth.username = a\rb\nnode.session.auth.password = p\u00a0\n";
        var node = new IscsiNative.Nodes.RecordFields(IscsiNative.Nodes.RecordKind.Node);
        foreach ((string key, string value, bool raw) in IscsiNative.Nodes.IscsidConf.Parse(System.Text.Encoding.UTF8.GetBytes(conf)))
        {
            node.SetFromFile(key, value, raw);
        }

        Assert.Equal("a\rb", node.Get("node.session.auth.username"));
        Assert.Equal("p\u00a0", node.Get("node.session.auth.password"));
        IscsiNative.Fuzz.NodeRecordTarget.CheckRoundTrip(node);
    }

    /// <summary>iscsiadm skips a line holding a NUL (fgets + strlen sees no newline); the library reports it with its line.</summary>
    [Fact]
    public void A_NUL_byte_is_a_format_error_naming_the_line()
    {
        var e = Assert.Throws<IscsiNative.Nodes.IscsiNodeRecordFormatException>(
            () => IscsiNative.Nodes.RecordFields.Parse(IscsiNative.Nodes.RecordKind.Node, Head + "node.startup = auto\0matic\n", "nodes/x"));
        Assert.Equal(("nodes/x", 4), (e.FilePath, e.LineNumber));
    }
}

/// <summary>
/// sysfs directory walk regressions (the sysfs-tree target: a fake tree in a temporary directory). Each input is also
/// replayed through the target itself.
/// </summary>
public sealed class SysfsTreeFuzzRegressionTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("iscsinative-sysfs-regression-").FullName;

    private string Sys => Path.Combine(_root, "sys");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>
    /// Found while writing the sysfs-tree target, confirmed by replaying the crafted input through it: a class link
    /// <c>../../iscsi_session/session1</c> (no device directory between <c>../../</c> and <c>/iscsi_session/</c>) made
    /// the enumeration cut the connection's path at a negative length, an ArgumentOutOfRangeException out of
    /// GetSessions. Such a link is now read through the class path, as any link not of the kernel's form.
    /// </summary>
    [Fact]
    public void A_class_link_without_a_device_directory_is_read_through_the_class_path()
    {
        IscsiNative.Fuzz.SysfsTreeTarget.Run("l sys/class/iscsi_session/session1>../../iscsi_session/session1\nf sys/iscsi_session/session1/targetname=x\n"u8);

        Directory.CreateDirectory(Path.Combine(Sys, "class", "iscsi_session"));
        Directory.CreateDirectory(Path.Combine(Sys, "iscsi_session", "session1"));
        File.WriteAllText(Path.Combine(Sys, "iscsi_session", "session1", "targetname"), "iqn.x:short-link\n");
        File.CreateSymbolicLink(Path.Combine(Sys, "class", "iscsi_session", "session1"), "../../iscsi_session/session1");
        using var reader = new SysfsSessionReader(Sys);
        IscsiSession session = Assert.Single(reader.GetSessions());
        Assert.Equal(1, session.Sid);
        Assert.Equal("iqn.x:short-link", session.TargetName);
        Assert.Null(session.HostNumber);
    }

    /// <summary>
    /// Found by the sysfs-tree seed "odd-shapes" on its first replay: the LUN probe of login and rescan parsed H:C:T:L
    /// with int.TryParse's default style, so a directory named <c>-1:0:0:1</c> (or <c> 0:0:0:1</c>) became a device with
    /// a negative host, while the enumeration's parse (digits only) skips it. Both now take digits only.
    /// </summary>
    [Fact]
    public void The_lun_probe_takes_only_digit_names_like_the_enumeration()
    {
        string session = Path.Combine(Sys, "devices", "platform", "host0", "session1");
        string target = Path.Combine(session, "target0:0:0");
        foreach (string name in new[] { "-1:0:0:1", "0:0:0:+2", " 0:0:0:3", "0:0:0:4" })
        {
            Directory.CreateDirectory(Path.Combine(target, name));
            File.WriteAllText(Path.Combine(target, name, "type"), "13\n");
        }

        Directory.CreateDirectory(Path.Combine(session, "iscsi_session", "session1"));
        File.CreateSymbolicLink(Path.Combine(session, "iscsi_session", "session1", "device"), "../../../session1");
        Directory.CreateDirectory(Path.Combine(Sys, "class", "iscsi_session"));
        File.CreateSymbolicLink(Path.Combine(Sys, "class", "iscsi_session", "session1"), "../../devices/platform/host0/session1/iscsi_session/session1");
        using var reader = new SysfsSessionReader(Sys);
        Assert.True(reader.TryProbe(1, out List<IscsiDevice> devices));
        IscsiDevice device = Assert.Single(devices);
        Assert.Equal((0, 0, 0, 4), (device.HostNumber, device.Channel, device.Target, device.Lun));
    }

    /// <summary>
    /// Found while writing the sysfs-tree target, confirmed by replaying the crafted input through it: a transport
    /// handle that cannot be read for another reason than its absence (here ELOOP, a link to itself) let the
    /// IOException out of IscsiTransportHandle.Read, whose documented failures are IscsiKernelException and
    /// UnauthorizedAccessException. It is now an IscsiKernelException with the errno.
    /// </summary>
    [Fact]
    public void An_unreadable_transport_handle_is_a_kernel_exception_with_its_errno()
    {
        IscsiNative.Fuzz.SysfsTreeTarget.Run("l sys/class/iscsi_transport/tcp/handle>handle\n"u8);

        string tcp = Path.Combine(Sys, "class", "iscsi_transport", "tcp");
        Directory.CreateDirectory(tcp);
        File.CreateSymbolicLink(Path.Combine(tcp, "handle"), "handle");
        var e = Assert.Throws<IscsiKernelException>(() => IscsiNative.Netlink.IscsiTransportHandle.Read(Sys));
        Assert.Equal(40, e.Errno); // ELOOP
    }
}

/// <summary>
/// Found by the afl campaign of 2026-12-03 (node-record: 8 crash inputs, portal: 3); each input reduced to what it
/// needed.
/// </summary>
public sealed class Campaign20261203FuzzRegressionTests
{
    /// <summary>
    /// node-record: a password key the record kind does not know (node.session.auth.password in a discovery or iface
    /// record, as a hand edit may leave it) was kept as an unknown line and shown in clear by <c>-o show</c>: unknown
    /// lines bypassed the masking.
    /// </summary>
    [Theory]
    [InlineData("Discovery", "node.session.auth.password")]
    [InlineData("Iface", "node.session.auth.password")]
    [InlineData("Iface", "node.session.auth.password_in")]
    [InlineData("Iface", "discovery.sendtargets.auth.password")]
    public void A_password_line_a_record_kind_does_not_know_is_masked_by_show(string kind, string key)
    {
        var fields = IscsiNative.Nodes.RecordFields.Parse(Enum.Parse<IscsiNative.Nodes.RecordKind>(kind), $"{key} = Zq9secret\n", "fuzz");
        string shown = fields.ToShowText(showSecrets: false);
        Assert.DoesNotContain("Zq9secret", shown, StringComparison.Ordinal);
        Assert.Contains($"{key} = ********\n", shown, StringComparison.Ordinal);
        Assert.Contains($"{key} = Zq9secret\n", fields.ToShowText(showSecrets: true), StringComparison.Ordinal);
        Assert.Contains($"{key} = Zq9secret\n", fields.ToFileText(), StringComparison.Ordinal);
    }

    /// <summary>
    /// portal: a vertical tab or form feed (whitespace that was not in the rejected set) or another control character
    /// was accepted as an address; its ToString then did not parse back to the same portal (TryParse trims).
    /// </summary>
    [Theory]
    [InlineData("[\v]")]
    [InlineData("[\f\u0019]")]
    [InlineData(" [\v]:30")]
    [InlineData("10.0.\u00850.1")]
    [InlineData("host\u0001:3260")]
    public void An_address_with_whitespace_or_control_characters_is_not_a_portal(string text)
    {
        Assert.False(IscsiPortal.TryParse(text, out _));
        Assert.Throws<FormatException>(() => IscsiPortal.Parse(text));
    }

    [Theory]
    [InlineData("\v")]
    [InlineData("a\u007fb")]
    public void The_constructor_refuses_the_same_addresses(string address) =>
        Assert.Throws<ArgumentException>(() => new IscsiPortal(address));

    /// <summary>
    /// node-record (afl, 2026-12-03 second campaign, 4.6 M executions in): an unknown line <c>KEY =VALUE</c> one byte under
    /// iscsiadm's 2047-byte line limit was kept and written back as <c>KEY = VALUE</c>, one byte over it, so the record the
    /// library wrote did not parse back. Such a line is now dropped on rewrite (iscsiadm drops every unknown key); one that
    /// still fits is kept.
    /// </summary>
    [Theory]
    [InlineData(2046, false)]
    [InlineData(2043, true)]
    public void An_unknown_line_that_would_not_fit_iscsiadms_line_once_rewritten_is_dropped(int lineBytes, bool kept)
    {
        string key = "x.unknown.key";
        string value = new('v', lineBytes - key.Length - 2);
        string line = $"{key} ={value}";
        Assert.Equal(lineBytes, System.Text.Encoding.UTF8.GetByteCount(line));

        var fields = IscsiNative.Nodes.RecordFields.Parse(IscsiNative.Nodes.RecordKind.Node, line + "\n", "fuzz");
        string file = fields.ToFileText();
        var again = IscsiNative.Nodes.RecordFields.Parse(IscsiNative.Nodes.RecordKind.Node, file, "rewrite");

        Assert.Equal(file, again.ToFileText());
        Assert.Equal(kept, file.Contains($"{key} = {value}\n", StringComparison.Ordinal));
    }

    /// <summary>The afl input itself: U+FFFD bytes (3 each in UTF-8) making a key just under the limit.</summary>
    [Fact]
    public void The_afl_input_parses_and_its_rewrite_parses_back()
    {
        string text = new string('\uFFFD', 679) + "sword =ae";
        var fields = IscsiNative.Nodes.RecordFields.Parse(IscsiNative.Nodes.RecordKind.Discovery, text, "fuzz");
        string file = fields.ToFileText();
        Assert.Equal(file, IscsiNative.Nodes.RecordFields.Parse(IscsiNative.Nodes.RecordKind.Discovery, file, "rewrite").ToFileText());
    }

    /// <summary>The same for a key the schema knows: its line, however long iscsiadm reads it, is rewritten so it parses back.</summary>
    [Fact]
    public void A_known_key_line_just_under_the_limit_rewrites_to_a_record_that_parses_back()
    {
        string key = "node.session.auth.username";
        string line = $"{key} ={new string('u', 2046 - key.Length - 2)}";
        var fields = IscsiNative.Nodes.RecordFields.Parse(IscsiNative.Nodes.RecordKind.Node, line + "\n", "fuzz");
        string file = fields.ToFileText();
        Assert.Equal(file, IscsiNative.Nodes.RecordFields.Parse(IscsiNative.Nodes.RecordKind.Node, file, "rewrite").ToFileText());

        // Cut to fit "key = value\n" in 2047 bytes: still far more than iscsiadm keeps (its username field is 256 bytes).
        Assert.Equal(2047 - key.Length - 4, fields.Get(key)!.Length);
    }
}
