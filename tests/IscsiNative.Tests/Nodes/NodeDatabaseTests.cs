using System.Text;
using IscsiNative.Initiator;
using IscsiNative.Nodes;
using IscsiNative.Protocol;
using IscsiNative.Tests.Interop;

namespace IscsiNative.Tests.Nodes;

// The DB API is synchronous file I/O; its CancellationToken only stops a lock wait, which these tests never hit.
#pragma warning disable xUnit1051

/// <summary>The node DB against files the real iscsiadm 2.1.8 wrote (tests/fixtures/nodes, see its README).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class NodeDatabaseTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nodedb-").FullName;

    public NodeDatabaseTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "etc"));
        File.Copy(Fixture("iscsid.conf"), Path.Combine(_dir, "etc", "iscsid.conf"));
    }

    private string Root => Path.Combine(_dir, "db");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void New_record_with_unknown_tpgt_is_the_old_style_file_iscsiadm_writes()
    {
        IscsiNodeRecord r = Db().Create("iqn.2001-04.com.example:static1", new IscsiPortal("127.0.0.1", 3260));
        string path = Path.Combine(Root, "nodes", "iqn.2001-04.com.example:static1", "127.0.0.1,3260");
        Assert.Equal(path, r.FilePath);
        Assert.Equal(File.ReadAllText(Fixture("static1-tpgt-unknown.record")), File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Equal(File.ReadAllText(Fixture("static1.show")), r.Format());
    }

    [Theory]
    [InlineData("iqn.2001-04.com.example:static2", "127.0.0.2", 3261, 5, "static2-tpgt5.record")]
    [InlineData("iqn.2001-04.com.example:v6", "::1", 3260, 1, "v6.record")]
    public void New_record_with_tpgt_is_byte_identical_in_its_portal_directory(string target, string address, int port, int tpgt, string fixture)
    {
        Db().Create(target, new IscsiPortal(address, port), tpgt);
        string path = Path.Combine(Root, "nodes", target, $"{address},{port},{tpgt}", "default");
        Assert.Equal(File.ReadAllText(Fixture(fixture)), File.ReadAllText(path));
    }

    [Fact]
    public void Chap_and_startup_update_matches_iscsiadm_file_and_show_output()
    {
        IscsiNodeDatabase db = Db();
        var portal = new IscsiPortal("127.0.0.2", 3261);
        db.Create("iqn.2001-04.com.example:static2", portal, 5);
        IscsiNodeRecord r = db.Update("iqn.2001-04.com.example:static2", portal, "default", n =>
        {
            n.AuthMethod = IscsiNodeAuthMethod.Chap;
            n.Username = "user1";
            n.Password = "secretpass1";
            n.UsernameIn = "muser";
            n.PasswordIn = "mutualpass";
            n.ChapAlgorithms = [ChapAlgorithm.Sha256, ChapAlgorithm.Md5];
            n.Startup = IscsiNodeStartup.Automatic;
            n.ConnectionStartup = IscsiNodeStartup.Automatic;
            n.Scan = IscsiNodeScanMode.Manual;
        });
        Assert.Equal(File.ReadAllText(Fixture("static2-chap.record")), File.ReadAllText(r.FilePath!));
        Assert.Equal(File.ReadAllText(Fixture("static2-chap.show")), r.Format());
        Assert.Equal(File.ReadAllText(Fixture("static2-chap.show-secrets")), r.Format(showSecrets: true));
        Assert.DoesNotContain("secretpass1", r.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("mutualpass", r.Format(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "lock", "lock.write")));
    }

    [Fact]
    public void Records_iscsiadm_wrote_are_read_typed_and_rewritten_unchanged()
    {
        string dir = Path.Combine(Root, "nodes", "iqn.2001-04.com.example:static2", "127.0.0.2,3261,5");
        Directory.CreateDirectory(dir);
        File.Copy(Fixture("static2-chap.record"), Path.Combine(dir, "default"));
        IscsiNodeRecord r = Assert.Single(Db().Query().Nodes);
        Assert.Equal(("iqn.2001-04.com.example:static2", "127.0.0.2", 3261, 5, "default"), (r.TargetName, r.Portal.Address, r.Portal.Port, r.Tpgt, r.IfaceName));
        Assert.Equal((IscsiNodeStartup.Automatic, IscsiNodeScanMode.Manual, "user1", "secretpass1", "muser", "mutualpass"), (r.Startup, r.Scan, r.Username, r.Password, r.UsernameIn, r.PasswordIn));
        Assert.Equal([ChapAlgorithm.Sha256, ChapAlgorithm.Md5], r.ChapAlgorithms);
        Assert.Equal((15, 120, 128, 32, 262144), (r.LoginTimeout, r.ReplacementTimeout, r.CmdsMax, r.QueueDepth, r.MaxRecvDataSegmentLength));
        Assert.Equal(File.ReadAllText(Fixture("static2-chap.record")), r.ToFileText());
    }

    [Fact]
    public void Unknown_keys_survive_a_rewrite_in_their_place()
    {
        string path = WriteRaw(File.ReadAllText(Fixture("static2-tpgt5.record"))
            .Replace("node.session.scan = auto\n", "node.session.scan = auto\nnode.session.future_key = 42\n", StringComparison.Ordinal));
        IscsiNodeDatabase db = Db();
        db.Update("iqn.2001-04.com.example:static2", new IscsiPortal("127.0.0.2", 3261), "default", n => n.CmdsMax = 64);
        string text = File.ReadAllText(path);
        Assert.Contains("node.session.scan = auto\nnode.session.future_key = 42\nnode.session.reopen_max = 0\n", text, StringComparison.Ordinal);
        Assert.Contains("node.session.cmds_max = 64\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Latin1_bytes_in_a_password_and_an_unknown_key_survive_an_update_of_another_key_byte_for_byte()
    {
        // A hand-edited record: 0xE9 (Latin-1 'é', not valid UTF-8) in the password and in an unknown key, next to a
        // line that is valid UTF-8 ("é" as C3 A9). An update of cmds_max must leave every other byte as it was.
        byte[] original = Latin1Record(out string path);
        IscsiNodeDatabase db = Db();
        IscsiNodeRecord read = Assert.Single(db.Query().Nodes);
        Assert.Equal("secretpass\u00e9", read.Password);
        Assert.Equal("caf\u00e9", read.GetValue("node.session.future_alias"));
        Assert.Equal("caf\u00e9", read.GetValue("node.session.future_utf8"));

        db.Update("iqn.2001-04.com.example:static2", new IscsiPortal("127.0.0.2", 3261), "default", n => n.CmdsMax = 64);

        byte[] expected = Replace(original, "node.session.cmds_max = 128\n"u8, "node.session.cmds_max = 64\n"u8);
        Assert.Equal(expected, File.ReadAllBytes(path));

        // Read again and rewritten with no change: still the same bytes.
        db.Update("iqn.2001-04.com.example:static2", new IscsiPortal("127.0.0.2", 3261), "default", _ => { });
        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_latin1_value_set_through_the_api_is_written_as_utf8_and_the_other_raw_lines_keep_their_bytes()
    {
        byte[] original = Latin1Record(out string path);
        Db().Update("iqn.2001-04.com.example:static2", new IscsiPortal("127.0.0.2", 3261), "default", n => n.Password = "n\u00e9w");
        byte[] expected = Replace(original, Latin1("node.session.auth.password = secretpass\u00e9\n"), "node.session.auth.password = n\u00e9w\n"u8);
        Assert.Equal(expected, File.ReadAllBytes(path));
        Assert.Equal("n\u00e9w", Db().Find("iqn.2001-04.com.example:static2", new IscsiPortal("127.0.0.2", 3261))!.Password);
    }

    [Fact]
    public void A_latin1_password_is_masked_and_not_in_a_format_error()
    {
        byte[] original = Latin1Record(out string path);
        File.WriteAllBytes(path, Replace(original, "node.session.cmds_max = 128\n"u8, "node.session.cmds_max = lots\n"u8));
        IscsiNodeRecord r = Assert.Single(Db().Query().Nodes);
        IscsiNodeRecordFormatException e = Assert.Throws<IscsiNodeRecordFormatException>(() => r.CmdsMax);
        Assert.DoesNotContain("secretpass", e.Message, StringComparison.Ordinal);
        Assert.Contains("node.session.auth.password = ********\n", r.Format(), StringComparison.Ordinal);
        Assert.DoesNotContain("secretpass", r.Format() + r.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_latin1_default_in_iscsid_conf_reaches_new_records_with_its_bytes()
    {
        string conf = Path.Combine(_dir, "etc", "iscsid.conf");
        File.WriteAllBytes(conf, [.. File.ReadAllBytes(conf), .. Latin1("node.session.auth.username = jos\u00e9\n")]);
        IscsiNodeRecord r = Db().Create("iqn.2001-04.com.example:static2", new IscsiPortal("127.0.0.2", 3261), 5);
        Assert.Equal("jos\u00e9", r.Username);
        byte[] written = File.ReadAllBytes(r.FilePath!);
        Assert.Equal(-1, written.AsSpan().IndexOf("jos\u00e9"u8));
        Assert.True(written.AsSpan().IndexOf(Latin1("node.session.auth.username = jos\u00e9\n")) > 0);
    }

    [Fact]
    public void A_record_with_a_utf8_byte_order_mark_is_read_as_without_it()
    {
        string path = WriteRaw("");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. File.ReadAllBytes(Fixture("static2-chap.record"))]);
        IscsiNodeRecord r = Assert.Single(Db().Query().Nodes);
        Assert.Equal(File.ReadAllText(Fixture("static2-chap.record")), r.ToFileText());
        Assert.Empty(r.UnknownKeys);
    }

    private byte[] Latin1Record(out string path)
    {
        string text = File.ReadAllText(Fixture("static2-chap.record"));
        byte[] bytes = Replace(Encoding.UTF8.GetBytes(text), "node.session.auth.password = secretpass1\n"u8, Latin1("node.session.auth.password = secretpass\u00e9\n"));
        bytes = Replace(bytes, "node.session.scan = manual\n"u8,
            [.. "node.session.scan = manual\n"u8, .. Latin1("node.session.future_alias = caf\u00e9\n"), .. "node.session.future_utf8 = caf\u00e9\n"u8]);
        path = WriteRaw("");
        File.WriteAllBytes(path, bytes);
        return bytes;
    }

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    private static byte[] Replace(byte[] data, ReadOnlySpan<byte> what, ReadOnlySpan<byte> with)
    {
        int i = data.AsSpan().IndexOf(what);
        Assert.True(i >= 0);
        return [.. data.AsSpan(0, i), .. with, .. data.AsSpan(i + what.Length)];
    }

    [Fact]
    public void Malformed_line_names_file_and_line_and_breaks_no_other_record()
    {
        string bad = WriteRaw(File.ReadAllText(Fixture("static2-tpgt5.record")).Replace("node.session.scan = auto\n", "node.session.scan = auto\nthis line is garbage\n", StringComparison.Ordinal));
        IscsiNodeDatabase db = Db();
        db.Create("iqn.2001-04.com.example:static1", new IscsiPortal("127.0.0.1", 3260));
        IscsiNodeQueryResult result = db.Query();
        Assert.Equal("iqn.2001-04.com.example:static1", Assert.Single(result.Nodes).TargetName);
        IscsiNodeRecordFormatException e = Assert.Single(result.Errors);
        Assert.Equal((bad, 50), (e.FilePath, e.LineNumber));
        IscsiNodeRecordFormatException direct = Assert.Throws<IscsiNodeRecordFormatException>(() => db.Find("iqn.2001-04.com.example:static2", new IscsiPortal("127.0.0.2", 3261)));
        Assert.Contains(bad + ":50:", direct.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_value_is_a_typed_error_without_the_secret()
    {
        WriteRaw(File.ReadAllText(Fixture("static2-chap.record")).Replace("node.session.cmds_max = 128", "node.session.cmds_max = lots", StringComparison.Ordinal));
        IscsiNodeRecord r = Assert.Single(Db().Query().Nodes);
        IscsiNodeRecordFormatException e = Assert.Throws<IscsiNodeRecordFormatException>(() => r.CmdsMax);
        Assert.Equal(29, e.LineNumber);
        Assert.DoesNotContain("secretpass1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Discovery_writes_st_config_records_and_links_like_iscsiadm()
    {
        var portal = new IscsiPortal("127.0.0.1", 3260);
        Db().SaveSendTargetsDiscovery(portal, [new("iqn.2003-01.org.linux-iscsi.cap:t1", portal, 1), new("iqn.2003-01.org.linux-iscsi.cap:t2", portal, 1)]);
        string st = Path.Combine(Root, "send_targets", "127.0.0.1,3260");
        Assert.Equal(File.ReadAllText(Fixture("st_config")), File.ReadAllText(Path.Combine(st, "st_config")));
        Assert.Equal(File.ReadAllText(Fixture("discovered-t1.record")), File.ReadAllText(Path.Combine(Root, "nodes", "iqn.2003-01.org.linux-iscsi.cap:t1", "127.0.0.1,3260,1", "default")));
        var link = new FileInfo(Path.Combine(st, "iqn.2003-01.org.linux-iscsi.cap:t2,127.0.0.1,3260,1,default"));
        Assert.Equal(Path.Combine(Root, "nodes", "iqn.2003-01.org.linux-iscsi.cap:t2", "127.0.0.1,3260,1"), link.LinkTarget);
        Assert.Equal(File.ReadAllText(Fixture("st_config.show")), Db().FindSendTargetsDiscovery(portal)!.Format());

        // Rediscovery without t2 removes its record and link (iscsiadm's default new+delete+update).
        Db().SaveSendTargetsDiscovery(portal, [new("iqn.2003-01.org.linux-iscsi.cap:t1", portal, 1)]);
        Assert.Equal("iqn.2003-01.org.linux-iscsi.cap:t1", Assert.Single(Db().Query().Nodes).TargetName);
        Assert.False(File.Exists(link.FullName) || link.Exists);
    }

    [Fact]
    public void Iface_record_matches_iscsiadm()
    {
        var iface = new IscsiIfaceRecord("if0") { NetworkDevice = "lo" };
        Db().SaveIface(iface);
        Assert.Equal(File.ReadAllText(Fixture("iface-if0.record")), File.ReadAllText(Path.Combine(Root, "ifaces", "if0")));
        Assert.Equal(File.ReadAllText(Fixture("iface-if0.show")), Assert.Single(Db().GetIfaces()).Format());
    }

    [Fact]
    public void Stale_lock_fails_with_a_clear_error_when_take_over_is_off_and_is_taken_over_otherwise()
    {
        string lockDir = Path.Combine(_dir, "lock");
        Directory.CreateDirectory(lockDir);
        File.WriteAllText(Path.Combine(lockDir, "lock"), "");
        File.WriteAllText(Path.Combine(lockDir, "lock.write"), "");
        var strict = new IscsiNodeDatabase(Options() with { TakeOverStaleLock = false, LockTimeout = TimeSpan.FromMilliseconds(200) });
        IscsiNodeDatabaseException e = Assert.Throws<IscsiNodeDatabaseException>(() => strict.Query());
        Assert.Contains("lock.write", e.Message, StringComparison.Ordinal);
        Assert.Equal(6, e.IscsiadmErrorCode);

        var lenient = new IscsiNodeDatabase(Options() with { LockTimeout = TimeSpan.FromMilliseconds(200) });
        Assert.Empty(lenient.Query().Nodes);
        Assert.False(File.Exists(Path.Combine(lockDir, "lock.write")));
    }

    [Fact]
    public void Delete_refuses_a_node_with_a_session_like_iscsiadm_error_15()
    {
        string sys = Path.Combine(_dir, "sys");
        string s = Path.Combine(sys, "class", "iscsi_session", "session3");
        string c = Path.Combine(sys, "class", "iscsi_connection", "connection3:0");
        Directory.CreateDirectory(s);
        Directory.CreateDirectory(c);
        File.WriteAllText(Path.Combine(s, "targetname"), "iqn.2001-04.com.example:static2\n");
        File.WriteAllText(Path.Combine(s, "ifacename"), "default\n");
        File.WriteAllText(Path.Combine(c, "persistent_address"), "127.0.0.2\n");
        File.WriteAllText(Path.Combine(c, "persistent_port"), "3261\n");
        var db = new IscsiNodeDatabase(Options() with { SysfsRoot = sys });
        var portal = new IscsiPortal("127.0.0.2", 3261);
        db.Create("iqn.2001-04.com.example:static2", portal, 5);
        IscsiNodeDatabaseException e = Assert.Throws<IscsiNodeDatabaseException>(() => db.Delete("iqn.2001-04.com.example:static2", portal));
        Assert.Equal(15, e.IscsiadmErrorCode);
        Assert.NotNull(db.Find("iqn.2001-04.com.example:static2", portal));

        File.WriteAllText(Path.Combine(c, "persistent_port"), "3262\n");
        Assert.True(db.Delete("iqn.2001-04.com.example:static2", portal));
        Assert.False(Directory.Exists(Path.Combine(Root, "nodes", "iqn.2001-04.com.example:static2")));
    }

    [Fact]
    public void Old_style_record_is_migrated_on_rewrite()
    {
        IscsiNodeDatabase db = Db();
        var portal = new IscsiPortal("127.0.0.9", 3260);
        IscsiNodeRecord r = db.Create("iqn.2001-04.com.example:old", portal);
        r.SetValue("node.startup", "automatic");
        IscsiNodeRecord moved = new IscsiNodeRecord("iqn.2001-04.com.example:old", portal, 1);
        moved.Startup = IscsiNodeStartup.Automatic;
        db.Save(moved);
        Assert.False(File.Exists(Path.Combine(Root, "nodes", "iqn.2001-04.com.example:old", "127.0.0.9,3260")));
        Assert.Equal(IscsiNodeStartup.Automatic, db.Find("iqn.2001-04.com.example:old", portal)!.Startup);
    }

    [Fact]
    public void Unknown_and_lookup_keys_cannot_be_set()
    {
        var r = new IscsiNodeRecord("iqn.x:y", new IscsiPortal("127.0.0.1"));
        Assert.Throws<ArgumentException>(() => r.SetValue("node.bogus", "1"));
        Assert.Throws<ArgumentException>(() => r.SetValue("node.name", "iqn.z:w"));
        Assert.Throws<ArgumentException>(() => r.SetValue("node.session.auth.username", "a\nnode.startup = automatic"));
        Assert.Throws<ArgumentException>(() => new IscsiNodeRecord("../etc", new IscsiPortal("127.0.0.1")));
    }

    [Theory]
    [InlineData(IscsiNodeStartup.Automatic, IscsiNodeStartup.Manual, IscsiNodeStartupFilter.Automatic, true)]
    [InlineData(IscsiNodeStartup.Manual, IscsiNodeStartup.Manual, IscsiNodeStartupFilter.Automatic, false)]
    [InlineData(IscsiNodeStartup.Manual, IscsiNodeStartup.Automatic, IscsiNodeStartupFilter.Automatic, true)]
    [InlineData(IscsiNodeStartup.Automatic, IscsiNodeStartup.Manual, IscsiNodeStartupFilter.Manual, true)]
    [InlineData(IscsiNodeStartup.OnBoot, IscsiNodeStartup.OnBoot, IscsiNodeStartupFilter.Automatic, false)]
    [InlineData(IscsiNodeStartup.OnBoot, IscsiNodeStartup.OnBoot, IscsiNodeStartupFilter.OnBoot, true)]
    [InlineData(IscsiNodeStartup.OnBoot, IscsiNodeStartup.OnBoot, IscsiNodeStartupFilter.All, true)]
    public void Startup_matching_is_iscsiadms_node_or_conn0(IscsiNodeStartup node, IscsiNodeStartup conn, IscsiNodeStartupFilter filter, bool expected)
    {
        var r = new IscsiNodeRecord("iqn.x:y", new IscsiPortal("127.0.0.1")) { Startup = node, ConnectionStartup = conn };
        Assert.Equal(expected, IscsiNodeLogins.Matches(r, filter));
    }

    [Fact]
    public void Login_options_carry_every_login_key_of_the_record()
    {
        var r = new IscsiNodeRecord("iqn.x:y", new IscsiPortal("127.0.0.1"), 1)
        {
            DefaultTime2Wait = 4,
            DefaultTime2Retain = 17,
            MaxOutstandingR2T = 8,
            TcpWindowSize = 131072,
            FirstBurstLength = 65536,
            MaxBurstLength = 131072,
            InitialR2T = true,
            ImmediateData = false,
            ReplacementTimeout = 33,
            NoopOutInterval = 7,
            NoopOutTimeout = 9,
            CmdsMax = 64,
            QueueDepth = 16,
            Scan = IscsiNodeScanMode.Manual,
        };
        LoginOptions o = IscsiNodeLogins.ToLoginOptions(r);
        Assert.Equal((4, 17, 8, 131072), (o.DefaultTime2Wait, o.DefaultTime2Retain, o.MaxOutstandingR2T, o.TcpWindowSize));
        Assert.Equal((65536, 131072, true, false), (o.FirstBurstLength, o.MaxBurstLength, o.InitialR2T, o.ImmediateData));
        Assert.Equal((33, 7, 9, (ushort)64, (ushort)16, false), (o.RecoveryTimeout, o.NoopOutInterval, o.NoopOutTimeout, o.CmdsMax, o.QueueDepth, o.ScanLuns));

        // A new record has iscsid's defaults: the 512 KiB window iscsid sets on its sockets, MaxOutstandingR2T 1.
        LoginOptions d = IscsiNodeLogins.ToLoginOptions(new IscsiNodeRecord("iqn.x:y", new IscsiPortal("127.0.0.1"), 1));
        Assert.Equal((2, 0, 1, 524288), (d.DefaultTime2Wait, d.DefaultTime2Retain, d.MaxOutstandingR2T, d.TcpWindowSize));
    }

    [Fact]
    public void Iface_binding_follows_open_iscsi_for_iscsi_tcp()
    {
        string sys = Path.Combine(_dir, "sys");
        Directory.CreateDirectory(Path.Combine(sys, "class", "net", "lo"));
        Directory.CreateDirectory(Path.Combine(sys, "class", "net", "eth7"));
        File.WriteAllText(Path.Combine(sys, "class", "net", "lo", "address"), "00:00:00:00:00:00\n");
        File.WriteAllText(Path.Combine(sys, "class", "net", "eth7", "address"), "52:54:00:12:34:56\n");
        IscsiNodeRecord R() => new("iqn.x:y", new IscsiPortal("127.0.0.1"), 1);

        Assert.Null(IscsiNodeLogins.BindingDevice(R(), sys));
        IscsiNodeRecord byDev = R();
        byDev.IfaceNetworkDevice = "eth3";
        Assert.Equal("eth3", IscsiNodeLogins.BindingDevice(byDev, sys));
        IscsiNodeRecord byHw = R();
        byHw.IfaceHardwareAddress = "52:54:00:12:34:56".ToUpperInvariant();
        byHw.IfaceNetworkDevice = "eth3";
        Assert.Equal("eth7", IscsiNodeLogins.BindingDevice(byHw, sys));

        IscsiNodeRecord unknownHw = R();
        unknownHw.IfaceHardwareAddress = "52:54:00:ff:ff:ff";
        Assert.Equal(7, Assert.Throws<IscsiNodeDatabaseException>(() => IscsiNodeLogins.BindingDevice(unknownHw, sys)).IscsiadmErrorCode);
        IscsiNodeRecord byIp = R();
        byIp.IfaceIpAddress = "10.0.0.5";
        IscsiNodeDatabaseException ip = Assert.Throws<IscsiNodeDatabaseException>(() => IscsiNodeLogins.BindingDevice(byIp, sys));
        Assert.Equal(14, ip.IscsiadmErrorCode);
        Assert.Contains("10.0.0.5", ip.Message, StringComparison.Ordinal);
        IscsiNodeRecord iser = R();
        iser.TransportName = "iser";
        Assert.Equal(14, Assert.Throws<IscsiNodeDatabaseException>(() => IscsiNodeLogins.BindingDevice(iser, sys)).IscsiadmErrorCode);
    }

    [Fact]
    public void Sessions_of_a_node_are_counted_by_target_persistent_portal_and_iface()
    {
        var node = new IscsiNodeRecord("iqn.x:y", new IscsiPortal("127.0.0.1", 3260), 1);
        IscsiNative.Sysfs.IscsiSession S(string target, int port, string iface) =>
            new() { Sid = 1, TargetName = target, Portal = new IscsiPortal("127.0.0.1", port), IfaceName = iface };
        Assert.Equal(2, IscsiNodeLogins.CountSessions([S("iqn.x:y", 3260, "default"), S("iqn.x:y", 3260, ""), S("iqn.x:y", 3261, "default"), S("iqn.x:z", 3260, "default"), S("iqn.x:y", 3260, "eth")], node));
    }

    private IscsiNodeDatabaseOptions Options() => new()
    {
        Root = Root,
        ConfigDirectory = Path.Combine(_dir, "etc"),
        LockDirectory = Path.Combine(_dir, "lock"),
        SysfsRoot = Path.Combine(_dir, "nosys"),
    };

    private IscsiNodeDatabase Db() => new(Options());

    private string WriteRaw(string text)
    {
        string dir = Path.Combine(Root, "nodes", "iqn.2001-04.com.example:static2", "127.0.0.2,3261,5");
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "default");
        File.WriteAllText(path, text);
        return path;
    }

    private static string Fixture(string name) => Path.Combine(BindingRulesTests.RepoRoot, "tests", "fixtures", "nodes", name);
}
