using System.Text;
using IscsiNative.Cli;
using IscsiNative.Cli.Iscsiadm;
using IscsiNative.Nodes;
using IscsiNative.Tests.Sysfs;

namespace IscsiNative.Tests.Cli;

/// <summary>iscsinat with iscsiadm 2.1.8's command line, run in-process against a temporary node DB and sysfs tree.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class IscsiadmSyntaxTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("iscsinat-cli-").FullName;
    private readonly SysfsTreeBuilder _sysfs = new();

    public void Dispose()
    {
        _sysfs.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private IscsiNodeDatabaseOptions DbOptions => new()
    {
        Root = Path.Combine(_dir, "db"),
        ConfigDirectory = Path.Combine(_dir, "etc"),
        LockDirectory = Path.Combine(_dir, "lock"),
        SysfsRoot = _sysfs.Root,
    };

    private (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        int rc = CliApp.Run(args, new CliEnvironment(stdout, stderr) { DefaultSysfsRoot = _sysfs.Root, NodeDatabase = DbOptions });
        return (rc, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    [Theory]
    [InlineData("iscsiadm: No active sessions.\n", 21, "-m", "session")]
    [InlineData("iscsiadm: No active sessions.\n", 21, "-m", "session", "-P", "9")]
    [InlineData("iscsiadm: No active sessions.\n", 21, "--mo=session")]
    [InlineData("iscsiadm: mode -1 is not yet supported\n", 7, "-m", "sessions")]
    [InlineData("iscsiadm: session mode: option '-T' is not allowed/supported\n", 7, "-m", "session", "-T", "iqn.x")]
    [InlineData("iscsiadm: invalid option -- 'z'\niscsiadm: invalid option -- 'z'\niscsiadm: session mode: option '-?' is not allowed/supported\n", 7, "-z", "-m", "session")]
    [InlineData("iscsiadm: option requires an argument -- 'P'\niscsiadm: session mode: option '-?' is not allowed/supported\n", 7, "-m", "session", "-P")]
    [InlineData("iscsiadm: option '--s' is ambiguous; possibilities: '--sid' '--stats' '--show' '--submode'\nTry `iscsiadm --help' for more information.\n", 7, "--s")]
    [InlineData("iscsiadm: unrecognized option '--bogus'\nTry `iscsiadm --help' for more information.\n", 7, "--bogus")]
    [InlineData("iscsiadm: option '--login' doesn't allow an argument\niscsiadm: unrecognized character 'l'\n", 7, "--login=1")]
    [InlineData("Try `iscsiadm --help' for more information.\n", 7)]
    [InlineData("iscsiadm: can not recognize operation: 'frob'\n", 7, "-m", "node", "-o", "frob")]
    [InlineData("iscsiadm: Invalid info level 3. Try 0 or 1.\n", 7, "-m", "node", "-P", "3")]
    [InlineData("iscsiadm: No records found\n", 21, "-m", "node")]
    [InlineData("iscsiadm: Invalid loginall option sometimes.\nTry `iscsiadm --help' for more information.\n", 7, "-m", "node", "-L", "sometimes")]
    [InlineData("iscsiadm: Invalid logoutall option onboot.\nTry `iscsiadm --help' for more information.\n", 7, "-m", "node", "-U", "onboot")]
    [InlineData("iscsiadm: session mode: Operation 'new' only allowed with specific session IDs\n", 7, "-m", "session", "-o", "new")]
    [InlineData("iscsiadm: No session found.\n", 21, "-m", "session", "-s")]
    [InlineData("iscsiadm: Please specify portal as <ipaddr>[:<ipport>]\n", 7, "-m", "discovery", "-t", "st")]
    [InlineData("iscsiadm: discovery mode: option '-u' is not allowed/supported\n", 7, "-m", "discovery", "-u")]
    [InlineData("iscsiadm: No iSCSI hosts.\n", 21, "-m", "host")]
    public void Rejects_and_reports_like_iscsiadm(string stderr, int exitCode, params string[] args)
    {
        (int rc, string stdout, string err) = Run(args);
        Assert.Equal(stderr, err);
        Assert.Equal(exitCode, rc);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void Version_and_help_go_to_stdout()
    {
        Assert.Equal((0, "iscsiadm version 2.1.8\n", ""), Run("--version"));
        (int rc, string stdout, _) = Run("-h");
        Assert.Equal(0, rc);
        Assert.StartsWith("iscsiadm -m discoverydb [-hV]", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.1", -1, -1)]
    [InlineData("10.0.0.1:3261", "10.0.0.1", 3261, -1)]
    [InlineData("10.0.0.1:3261,7", "10.0.0.1", 3261, 7)]
    [InlineData("10.0.0.1,7", "10.0.0.1", -1, 7)]
    [InlineData("[fe80::1]:3262,2", "fe80::1", 3262, 2)]
    [InlineData("fe80::1", "fe80::1", -1, -1)]
    [InlineData("host:3263", "host", 3263, -1)]
    public void Portal_is_split_like_str_to_ipport(string text, string ip, int port, int tpgt) =>
        Assert.Equal((ip, port, tpgt), IscsiadmCommand.ParseIpPort(text, -1));

    [Fact]
    public void Node_new_show_update_list_delete_round_trip()
    {
        (int rc, string stdout, string stderr) = Run("-m", "node", "-o", "new", "-T", "iqn.2003-01.org.example:t1", "-p", "10.0.0.1:3260,1");
        Assert.Equal((0, "New iSCSI node [tcp:[hw=,ip=,net_if=,iscsi_if=default] 10.0.0.1,3260,1 iqn.2003-01.org.example:t1] added\n", ""), (rc, stdout, stderr));

        Assert.Equal((0, "10.0.0.1:3260,1 iqn.2003-01.org.example:t1\n", ""), Run("-m", "node"));
        Assert.Equal((0, "Target: iqn.2003-01.org.example:t1\n\tPortal: 10.0.0.1:3260,1\n\t\tIface Name: default\n", ""), Run("-m", "node", "-P", "1"));

        Assert.Equal((0, "", ""), Run("-m", "node", "-T", "iqn.2003-01.org.example:t1", "-p", "10.0.0.1", "-o", "update", "-n", "node.startup", "-v", "automatic"));
        Assert.Equal((0, "", ""), Run("-m", "node", "-T", "iqn.2003-01.org.example:t1", "-o", "update", "-n", "node.session.auth.password", "-v", "s3cret-pass"));
        (rc, stdout, _) = Run("-m", "node", "-T", "iqn.2003-01.org.example:t1", "-p", "10.0.0.1");
        Assert.Equal(0, rc);
        Assert.Contains("node.startup = automatic\n", stdout, StringComparison.Ordinal);
        Assert.Contains("node.session.auth.password = ********\n", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pass", stdout, StringComparison.Ordinal);
        (_, stdout, _) = Run("-m", "node", "-T", "iqn.2003-01.org.example:t1", "-o", "show", "-S");
        Assert.Contains("node.session.auth.password = s3cret-pass\n", stdout, StringComparison.Ordinal);

        Assert.Equal((7, "", "iscsiadm: Cannot modify node.bogus. Invalid param name.\niscsiadm: Could not execute operation on all records: invalid parameter\n"),
            Run("-m", "node", "-o", "update", "-n", "node.bogus", "-v", "1"));
        Assert.Equal((7, "", "iscsiadm: Cannot modify iface.ipaddress. Use iface mode to update this value.\n"),
            Run("-m", "node", "-o", "update", "-n", "iface.ipaddress", "-v", "1.2.3.4"));
        Assert.Equal((7, "", "iscsiadm: update requires name and value\n"), Run("-m", "node", "-o", "update"));
        Assert.Equal((21, "", "iscsiadm: No records found\n"), Run("-m", "node", "-T", "iqn.other", "-o", "show"));
        Assert.Equal((7, "", "iscsiadm: Invalid parameters. Both login and logout passed in\n"), Run("-m", "node", "-l", "-u"));
        Assert.Equal((7, "", "iscsiadm: Invalid parameters. Login/logout and op passed in\n"), Run("-m", "node", "-l", "-o", "show"));
        Assert.Equal((21, "", "iscsiadm: No matching sessions found\n"), Run("-m", "node", "-U", "all"));
        Assert.Equal((21, "", "iscsiadm: No records found\n"), Run("-m", "node", "-L", "onboot"));

        Assert.Equal((0, "", ""), Run("-m", "node", "-o", "delete", "-T", "iqn.2003-01.org.example:t1"));
        Assert.Equal((21, "", "iscsiadm: No records found\n"), Run("-m", "node"));
    }

    [Fact]
    public void Node_json_lists_records_with_the_documented_keys()
    {
        Run("-m", "node", "-o", "new", "-T", "iqn.2003-01.org.example:t2", "-p", "10.0.0.2");
        (int rc, string stdout, string stderr) = Run("-m", "node", "--json");
        Assert.Equal((0, ""), (rc, stderr));
        using var doc = System.Text.Json.JsonDocument.Parse(stdout);
        System.Text.Json.JsonElement n = Assert.Single(doc.RootElement.EnumerateArray().ToList());
        Assert.Equal("iqn.2003-01.org.example:t2", n.GetProperty("targetName").GetString());
        Assert.Equal("10.0.0.2", n.GetProperty("address").GetString());
        Assert.Equal(3260, n.GetProperty("port").GetInt32());
        Assert.Equal(-1, n.GetProperty("tpgt").GetInt32());
        Assert.Equal("default", n.GetProperty("iface").GetString());
        Assert.Equal("manual", n.GetProperty("startup").GetString());
        Assert.Equal("static", n.GetProperty("discoveryType").GetString());
    }

    [Fact]
    public void Iface_lists_the_default_ifaces()
    {
        Assert.Equal((0, "default tcp,<empty>,<empty>,<empty>,<empty>\niser iser,<empty>,<empty>,<empty>,<empty>\n", ""), Run("-m", "iface"));
        Assert.Equal((7, "", "iscsiadm: Invalid info level 5. Try 0 - 1.\n"), Run("-m", "iface", "-P", "5"));
    }

    [Fact]
    public void Iface_records_come_before_the_defaults_and_the_tree_lists_bound_nodes()
    {
        new IscsiNodeDatabase(DbOptions).SaveIface(new IscsiIfaceRecord("eth9") { TransportName = "tcp", NetworkDevice = "eth9" }, TestContext.Current.CancellationToken);
        Run("-m", "node", "-o", "new", "-T", "iqn.2003-01.org.example:t1", "-p", "10.0.0.1:3260,1");
        Run("-m", "node", "-o", "new", "-T", "iqn.2003-01.org.example:t1", "-p", "10.0.0.2:3260,1");
        Assert.Equal((0, "eth9 tcp,<empty>,<empty>,eth9,<empty>\ndefault tcp,<empty>,<empty>,<empty>,<empty>\niser iser,<empty>,<empty>,<empty>,<empty>\n", ""), Run("-m", "iface", "-o", "show"));
        Assert.Equal((0, "Iface: eth9\nIface: default\n\tTarget: iqn.2003-01.org.example:t1\n\t\tPortal: 10.0.0.1:3260,1\n\t\tPortal: 10.0.0.2:3260,1\nIface: iser\n", ""), Run("-m", "iface", "-P", "1"));
        Assert.Equal((0, "Iface: iser\n", ""), Run("-m", "iface", "-I", "iser", "-P", "1"));
        Assert.Equal((6, "", $"iSCSI ERROR: Failed to open {Path.Combine(DbOptions.Root, "ifaces", "nosuch")} using read mode: 2 No such file or directory # idbm.c:_idbm_recs_read():834\n"), Run("-m", "iface", "-I", "nosuch", "-o", "show"));
        (int rc, string stdout, _) = Run("-m", "iface", "-I", "eth9", "-o", "show");
        Assert.Equal(0, rc);
        Assert.Contains("iface.net_ifacename = eth9\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_tree_prints_each_host_and_from_level_2_its_sessions_indented()
    {
        _sysfs.AddSession(new SessionSpec { Sid = 1, Host = 3, TargetName = "iqn.2003-01.org.example:t1" });
        Assert.Equal((0, "tcp: [3] 10.0.0.254,[<empty>],<empty> <empty>\n", ""), Run("-m", "host"));
        string host = "Host Number: 3\n\tState: running\n\tTransport: tcp\n\tInitiatorname: <empty>\n\tIPaddress: 10.0.0.254\n\tHWaddress: <empty>\n\tNetdev: <empty>\n";
        Assert.Equal((0, host, ""), Run("-m", "host", "-P", "1"));
        Assert.Equal((0, host, ""), Run("-m", "host", "-H", "9", "-P", "1"));
        (int rc, string stdout, _) = Run("-m", "host", "-P", "2");
        Assert.Equal(0, rc);
        Assert.StartsWith(host + "\t*********\n\tSessions:\n\t*********\n\tTarget: iqn.2003-01.org.example:t1 (non-flash)\n\t\tCurrent Portal: 127.0.0.1:3260,1\n", stdout, StringComparison.Ordinal);
        Assert.Contains("\t\t\tSID: 1\n", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Negotiated", stdout, StringComparison.Ordinal);
        (_, stdout, _) = Run("-m", "host", "-P", "4");
        Assert.Contains("\t\t\tNegotiated iSCSI params:\n", stdout, StringComparison.Ordinal);
        Assert.Contains("\t\t\tAttached SCSI devices:\n", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Timeouts:", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Host Number: 3\tState", stdout, StringComparison.Ordinal);
        Assert.Equal((7, "", "iscsiadm: Invalid info level 5. Try 0 - 4.\n"), Run("-m", "host", "-P", "5"));
    }

    [Fact]
    public void Discoverydb_new_show_update_delete_round_trip()
    {
        string[] db = ["-m", "discoverydb", "-t", "st", "-p", "10.0.0.1"];
        Assert.Equal((6, "", "iscsiadm: Discovery record [10.0.0.1,3260] not found.\n"), Run([.. db, "-o", "show"]));
        Assert.Equal((0, "New discovery record for [10.0.0.1,3260] added.\n", ""), Run([.. db, "-o", "new"]));
        (int rc, string stdout, _) = Run([.. db, "-o", "show"]);
        Assert.Equal(0, rc);
        Assert.Contains("discovery.sendtargets.address = 10.0.0.1\n", stdout, StringComparison.Ordinal);
        Assert.Equal((0, "", ""), Run([.. db, "-o", "update", "-n", "discovery.sendtargets.auth.password", "-v", "s3cret-pass"]));
        (_, stdout, _) = Run([.. db, "-o", "show"]);
        Assert.Contains("discovery.sendtargets.auth.password = ********\n", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pass", stdout, StringComparison.Ordinal);
        Assert.Equal((7, "", "iscsiadm: Cannot modify discovery.bogus. Invalid param name.\n"), Run([.. db, "-o", "update", "-n", "discovery.bogus", "-v", "1"]));
        Assert.Equal((7, "", "iscsiadm: Cannot modify discovery.sendtargets.port. It is used to look up the record and cannot be changed.\n"), Run([.. db, "-o", "update", "-n", "discovery.sendtargets.port", "-v", "1"]));
        Assert.Equal((7, "", "iscsiadm: Update requires name and value.\n"), Run([.. db, "-o", "update"]));
        Assert.Equal((0, "10.0.0.1:3260 via sendtargets\n", ""), Run("-m", "discoverydb"));
        Assert.Equal((0, "", ""), Run([.. db, "-o", "delete"]));
        Assert.Equal((21, "", ""), Run("-m", "discoverydb"));
    }
}
