using IscsiNative.TestShared;
using System.Buffers.Binary;
using System.Text;
using IscsiNative.Netlink;
using IscsiNative.Protocol;

namespace IscsiNative.Fuzz;

/// <summary>
/// Writes the seed corpora (tests/fuzz/corpus/TARGET/NAME): PDUs and netlink messages made with the library's own
/// encoders from the values of the golden-byte tests, text from the login/discovery tests and the VM captures, sysfs
/// values from the captured fixture trees. Run by <c>tests/fuzz/make-corpus.sh</c>; the output is checked in.
/// </summary>
internal static class Seeds
{
    private static readonly byte[] LoginAnswer = Encoding.ASCII.GetBytes(
        "HeaderDigest=None\0DataDigest=None\0DefaultTime2Wait=5\0DefaultTime2Retain=0\0IFMarker=No\0OFMarker=No\0ErrorRecoveryLevel=0\0" +
        "InitialR2T=Yes\0ImmediateData=No\0MaxBurstLength=262144\0FirstBurstLength=65536\0MaxOutstandingR2T=1\0MaxConnections=1\0" +
        "DataPDUInOrder=Yes\0DataSequenceInOrder=Yes\0MaxRecvDataSegmentLength=65536\0TargetAlias=tgt\0TargetPortalGroupTag=3\0");

    private static readonly byte[] SendTargetsText = Encoding.ASCII.GetBytes(
        "TargetName=iqn.2003-01.org.linux-iscsi.stage:t1\0TargetAddress=127.0.0.1:3260,1\0" +
        "TargetName=iqn.2003-01.org.linux-iscsi.stage:t2\0TargetAddress=[fd00::1]:3261,2\0TargetAddress=10.0.0.2,3\0" +
        "TargetName=iqn.2003-01.org.linux-iscsi.stage:t3\0");

    internal static void Write(string root)
    {
        var seeds = new List<(string Target, string Name, byte[] Bytes)>();
        void Add(string target, string name, ReadOnlySpan<byte> bytes) => seeds.Add((target, name, bytes.ToArray()));

        // pdu: option byte + one or two PDUs.
        byte[] bhs = new byte[48];
        TargetPduWriter.WriteLoginResponse(bhs, true, false, LoginStage.LoginOperationalNegotiation, LoginStage.FullFeaturePhase, LoginSettings.IsidFor(1), 9, 0, 41, 1, 2, 0, 0, 8);
        Add("pdu", "login-response", [0, .. bhs, .. "Key=Val\0"u8]);
        TargetPduWriter.WriteTextResponse(bhs, true, false, 0, 1, 0xffffffff, 3, 4, 5, 4);
        byte[] text = [.. bhs, .. "A=B\0"u8];
        TargetPduWriter.WriteNopIn(bhs, 0, 0xffffffff, 0x77, 1, 2, 3, 0);
        Add("pdu", "text-then-nopin", [4, .. text, .. bhs]);
        TargetPduWriter.WriteAsyncMessage(bhs, 0, 1, 2, 3, 1, 0, 0, 2, 20, 0);
        byte[] framed = new byte[PduFraming.GetWireLength(0, 0, true, true)];
        PduFraming.Write(framed, bhs, default, true, true);
        Add("pdu", "async-header-digest", [3, .. framed]);
        TargetPduWriter.WriteReject(bhs, 0x09, 1, 2, 3, 4, 48);
        byte[] reject = new byte[PduFraming.GetWireLength(0, 48, true, true)];
        PduFraming.Write(reject, bhs, bhs, true, true);
        Add("pdu", "reject-digests", [3, .. reject]);
        TargetPduWriter.WriteLogoutResponse(bhs, 1, 9, 4, 5, 6, 2, 20);
        Add("pdu", "logout-response", [0, .. bhs]);

        // text: the login answer and a continued (0xFF split) sequence with binary values.
        Add("text", "login-answer", LoginAnswer);
        Add("text", "continued", [.. "CHAP_A=5\0CHAP_I=1\0CHAP_C=0x"u8, 0xFF, .. "0a0b0c0d\0CHAP_R=0bAAECAw==\0X=1~9\0L=a,b,c\0"u8]);

        // login: config byte, then [control][len BE][text] records.
        Add("login", "no-chap-one-step", Record(0, 0x01 | (3 << 2), LoginAnswer));
        Add("login", "discovery", Record(4, 0x01 | (3 << 2), "MaxRecvDataSegmentLength=8192\0TargetPortalGroupTag=1\0"u8));
        Add("login", "chap-md5", [1,
            .. Record(null, 0x00, "AuthMethod=CHAP\0"u8),
            .. Record(null, 0x00, "CHAP_A=5\0CHAP_I=7\0CHAP_C=0x0123456789abcdef0123456789abcdef\0"u8),
            .. Record(null, 0x01 | (1 << 2), ""u8),
            .. Record(null, 0x01 | (3 << 2), LoginAnswer)]);
        Add("login", "continue-then-redirect", [0, .. Record(null, 0x02, "TargetAlias=a\0"u8), .. Record(null, 0x40, "\u0001TargetAddress=10.0.0.9:3260,1\0"u8)]);
        Add("login", "auth-failure", [1, .. Record(null, 0x80, "\u0001"u8)]);

        // sendtargets: the capture of the VM stage, IPv6 and a target without address.
        Add("sendtargets", "capture-and-ipv6", SendTargetsText);

        // chap: mode byte, rounds separated by 0xFF.
        Add("chap", "one-way", [0, 0, .. "AuthMethod=CHAP\0"u8, 0xFF, 0, .. "CHAP_A=5\0CHAP_I=1\0CHAP_C=0xa1b2c3d4\0"u8, 0xFF, 1]);
        Add("chap", "mutual-sha256", [3, 0, .. "AuthMethod=CHAP\0"u8, 0xFF, 0, .. "CHAP_A=7\0CHAP_I=200\0CHAP_C=0bAQIDBAUGBwg=\0"u8, 0xFF, 1,
            .. "CHAP_N=fuzz-target\0CHAP_R=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\0"u8]);

        // netlink: a unicast reply, each event the reader decodes, a RECV_PDU and a GET_STATS answer.
        Add("netlink", "reply-create-session", Message((ushort)IscsiUeventType.CreateSession, IscsiUeventType.CreateSession, 1, 0, 0, []));
        Add("netlink", "if-error", Message((ushort)IscsiUeventType.BindConn, IscsiUeventType.KernelIfError, unchecked((uint)-22), 0, 0, []));
        Add("netlink", "conn-error", Message(0, IscsiUeventType.KernelConnError, 3, 0, 1011, []));
        Add("netlink", "destroy-session", Message(0, IscsiUeventType.KernelDestroySession, 5, 3, 0, []));
        TargetPduWriter.WriteLoginResponse(bhs, true, false, LoginStage.LoginOperationalNegotiation, LoginStage.FullFeaturePhase, LoginSettings.IsidFor(1), 9, 0, 41, 1, 2, 0, 0, 8);
        Add("netlink", "recv-pdu", Message(0, IscsiUeventType.KernelRecvPdu, 0, 0, 0, [.. bhs, .. "Key=Val\0"u8]));
        byte[] stats = Stats(2);
        Add("netlink", "get-stats", Message(0, IscsiUeventType.GetStats, 0, 0, 0, stats));

        // stats: the payload alone.
        Add("stats", "two-custom", stats);
        Add("stats", "no-custom", Stats(0));

        // sysfs-value: values from the captured trees.
        foreach ((string name, string value) in new[] { ("tpgt", "1\n"), ("recovery_tmo", "120\n"), ("negative", "-1\n"), ("null", "(null)\n"),
            ("state", "LOGGED_IN\n"), ("big", "18446744073709551616\n"), ("spaces", " \t+42abc") })
        {
            Add("sysfs-value", name, Encoding.ASCII.GetBytes(value));
        }

        Add("initiatorname", "debian", "## DO NOT EDIT OR REMOVE THIS FILE!\n## If you remove this file, the iSCSI daemon will not start.\nInitiatorName=iqn.1993-08.org.debian:01:abcdef123456\n"u8);
        Add("initiatorname", "spaces-and-comments", "# InitiatorName=iqn.bad\n  InitiatorName = iqn.2016-04.com.open-iscsi: a b\n"u8);
        Add("portal", "ipv4", "127.0.0.1:3260"u8);
        Add("portal", "ipv6", "[fd00::1]:3261"u8);
        Add("portal", "bare", "10.0.0.1"u8);

        // node-record: kind byte (0 node, 1 iface, 2 discovery) + a file iscsiadm 2.1.8 wrote (tests/fixtures/nodes,
        // captured in the VM), and one malformed line. iscsid-conf: Debian's shipped file.
        string fixtures = Path.Combine(root, "..", "..", "fixtures", "nodes");
        byte[] Fixture(byte? kind, string file) =>
            [.. kind is byte k ? new[] { k } : [], .. File.ReadAllBytes(Path.Combine(fixtures, file))];
        Add("node-record", "static2-chap", Fixture(0, "static2-chap.record"));
        Add("node-record", "v6", Fixture(0, "v6.record"));
        Add("node-record", "discovered-t1", Fixture(0, "discovered-t1.record"));
        Add("node-record", "iface-if0", Fixture(1, "iface-if0.record"));
        Add("node-record", "st_config", Fixture(2, "st_config"));
        Add("node-record", "malformed-line", "\0# BEGIN RECORD 2.1.8\nnode.name = iqn.x:y\nnode.startup automatic\n# END RECORD\n"u8);
        Add("iscsid-conf", "debian", Fixture(null, "iscsid.conf"));

        // Kernel uevents as a 6.1 kernel sends them for an iSCSI login and logout (udevadm monitor --kernel --property).
        Add("uevent", "add-scsi_host", Uevent("add@/devices/platform/host3/scsi_host/host3", "SUBSYSTEM=scsi_host", "SEQNUM=4101"));
        Add("uevent", "add-iscsi_session", Uevent("add@/devices/platform/host3/session2/iscsi_session/session2", "SUBSYSTEM=iscsi_session", "SEQNUM=4104"));
        Add("uevent", "change-iscsi_session", Uevent("change@/devices/platform/host3/session2/iscsi_session/session2", "SUBSYSTEM=iscsi_session", "SEQNUM=4120"));
        Add("uevent", "add-scsi_device", Uevent("add@/devices/platform/host3/session2/target3:0:0/3:0:0:1", "SUBSYSTEM=scsi", "DEVTYPE=scsi_device", "MODALIAS=scsi:t-0x00", "SEQNUM=4108"));
        Add("uevent", "add-block-disk", Uevent("add@/devices/platform/host3/session2/target3:0:0/3:0:0:1/block/sdb", "SUBSYSTEM=block", "MAJOR=8", "MINOR=16", "DEVNAME=sdb", "DEVTYPE=disk", "DISKSEQ=12", "SEQNUM=4112"));
        Add("uevent", "change-block-resize", Uevent("change@/devices/platform/host3/session2/target3:0:0/3:0:0:1/block/sdb", "SUBSYSTEM=block", "MAJOR=8", "MINOR=16", "DEVNAME=sdb", "DEVTYPE=disk", "RESIZE=1", "SEQNUM=4131"));
        Add("uevent", "add-partition", Uevent("add@/devices/platform/host3/session2/target3:0:0/3:0:0:1/block/sdb/sdb1", "SUBSYSTEM=block", "MAJOR=8", "MINOR=17", "DEVNAME=sdb1", "DEVTYPE=partition", "PARTN=1", "SEQNUM=4113"));
        Add("uevent", "remove-block-disk", Uevent("remove@/devices/platform/host3/session2/target3:0:0/3:0:0:1/block/sdb", "SUBSYSTEM=block", "MAJOR=8", "MINOR=16", "DEVNAME=sdb", "DEVTYPE=disk", "SEQNUM=4140"));
        Add("uevent", "remove-host", Uevent("remove@/devices/platform/host3", "SUBSYSTEM=scsi", "DEVTYPE=scsi_host", "SEQNUM=4151"));
        Add("uevent", "add-dm", Uevent("add@/devices/virtual/block/dm-0", "SUBSYSTEM=block", "MAJOR=254", "MINOR=0", "DEVNAME=dm-0", "DEVTYPE=disk", "DM_NAME=mpatha", "SEQNUM=4160"));
        Add("uevent", "libudev", [.. "libudev"u8, 0, 0xFE, 0xED, 0xCA, 0xFE, .. "\0\0\0\0SUBSYSTEM=block\0"u8]);

        // sysfs-tree: the captured trees (tests/fixtures/sysfs, rebuilt from the VM's sysfs dumps), one session of them
        // (a small seed afl mutates faster), and a tree of odd shapes: names that are not sessionN, huge and negative
        // numbers, missing attributes, dangling and looping links, a file where a directory belongs, an attribute
        // larger than a page.
        string trees = Path.Combine(root, "..", "..", "fixtures", "sysfs");
        byte[] captured = Tree(Path.Combine(trees, "captured-4", "sys"), _ => true);
        Add("sysfs-tree", "captured-4", captured);
        Add("sysfs-tree", "captured-4-failed", Tree(Path.Combine(trees, "captured-4-failed", "sys"), _ => true));
        Add("sysfs-tree", "one-session", Tree(Path.Combine(trees, "captured-4", "sys"), OneSession));
        Add("sysfs-tree", "odd-shapes", Encoding.ASCII.GetBytes(string.Join('\n',
            "l sys/class/iscsi_session/session1>../../devices/platform/host0/session1/iscsi_session/session1",
            "f sys/devices/platform/host0/session1/iscsi_session/session1/targetname=iqn.2003-01.org.linux-iscsi.vmtest:odd",
            "f sys/devices/platform/host0/session1/iscsi_session/session1/tpgt=99999999999999999999",
            "f sys/devices/platform/host0/session1/iscsi_session/session1/recovery_tmo=-2147483649",
            "f sys/devices/platform/host0/session1/iscsi_session/session1/state=(null)",
            "r sys/devices/platform/host0/session1/iscsi_session/session1/initiatorname=5000:i",
            "f sys/devices/platform/host0/session1/connection1:0/iscsi_connection/connection1:0/port=-1",
            "l sys/devices/platform/host0/session1/iscsi_session/session1/device>../../../session1",
            "l sys/devices/platform/host0/iscsi_host/host0/device>../../../host0",
            "d sys/devices/platform/host0/session1/target0:0:0/0:0:0:0/block/sda",
            "f sys/devices/platform/host0/session1/target0:0:0/0:0:0:0/state=running",
            "f sys/devices/platform/host0/session1/target0:0:0/0:0:0:0/type=0",
            "f sys/devices/platform/host0/session1/target0:0:0/0:0:0:0/block/sda/size=16384",
            "d sys/devices/platform/host0/session1/target0:0:0/0:0:0:99999999999",
            "d sys/devices/platform/host0/session1/target0:0:0/-1:0:0:1",
            "l sys/devices/platform/host0/session1/target0:0:0/0:0:0:2>0:0:0:2",
            "f sys/devices/platform/host0/session1/target0:0:0/0:0:0:3=not a directory",
            "l sys/devices/platform/host0/session1/target0:0:0/0:0:0:4/block:sdz>../../../../../../block/sdz",
            "F dev/sda=",
            "l sys/class/iscsi_host/host0>../../devices/platform/host0/iscsi_host/host0",
            "l sys/class/scsi_host/host0>../../devices/platform/host0/scsi_host/host0",
            "f sys/devices/platform/host0/scsi_host/host0/proc_name=iscsi_tcp",
            "l sys/class/iscsi_transport/tcp>../../devices/virtual/iscsi_transport/tcp",
            "f sys/devices/virtual/iscsi_transport/tcp/handle=18446744073709551616",
            "l sys/class/iscsi_session/session1x>../../devices/platform/host0/session1/iscsi_session/session1",
            "l sys/class/iscsi_session/session01>../../devices/platform/host0/session1/iscsi_session/session1",
            "l sys/class/iscsi_session/session2>../../devices/platform/host9/session2/iscsi_session/session2",
            "l sys/class/iscsi_session/session3>session4",
            "l sys/class/iscsi_session/session4>session3",
            "l sys/class/iscsi_session/session5>../../devices/platform/host5/iscsi_session/session5",
            "f sys/devices/platform/host5/iscsi_session/session5/targetname=iqn.x:no-host-directory",
            "l sys/class/iscsi_session/session6>/devices/platform/host6/session6/iscsi_session/session6",
            "f sys/devices/platform/host6/session6/iscsi_session/session6/targetname=iqn.x:absolute-link",
            "d sys/class/iscsi_session/session7",
            "f sys/class/iscsi_session/session7/targetname=iqn.x:a-directory-not-a-link",
            "f sys/class/iscsi_session/session2147483648=",
            "l sys/class/iscsi_session/session8>../../devices/platform/host4294967296/session8/iscsi_session/session8",
            "f sys/devices/platform/host4294967296/session8/iscsi_session/session8/targetname=iqn.x:huge-host",
            "f sys/module/scsi_transport_iscsi/version=2.0-870",
            "")));

        foreach ((string target, string name, byte[] bytes) in seeds)
        {
            string dir = Path.Combine(root, target);
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(Path.Combine(dir, name), bytes);
        }

        Console.WriteLine($"{seeds.Count} seeds in {root}");
    }

    /// <summary>
    /// A fixture tree in the sysfs-tree input format (<see cref="SysfsTreeTarget"/>): every directory, file and link
    /// under <paramref name="sys"/> whose path <paramref name="keep"/> accepts, plus an empty <c>dev/NAME</c> for each
    /// block device, so the LUN probe finds its node.
    /// </summary>
    private static byte[] Tree(string sys, Func<string, bool> keep)
    {
        var lines = new List<string>();
        var blocks = new SortedSet<string>(StringComparer.Ordinal);
        void Visit(string dir, string relative)
        {
            foreach (string entry in Directory.GetFileSystemEntries(dir).Order(StringComparer.Ordinal))
            {
                string path = relative + "/" + Path.GetFileName(entry);
                if (!keep(path))
                {
                    continue;
                }

                var info = new FileInfo(entry);
                if (info.LinkTarget is string target)
                {
                    lines.Add($"l {path}>{target}");
                }
                else if (Directory.Exists(entry))
                {
                    // What the fixture trees leave out and the System.IO reads of login and rescan use: the class
                    // device's "device" link to its parent, a LUN's SCSI type, a disk's size.
                    string name = Path.GetFileName(entry);
                    string parentName = Path.GetFileName(dir);
                    if (parentName is "iscsi_session" or "iscsi_host" or "iscsi_connection" or "scsi_host" && path.StartsWith("sys/devices/", StringComparison.Ordinal))
                    {
                        lines.Add($"l {path}/device>../../../{Path.GetFileName(Path.GetDirectoryName(dir))}");
                    }
                    else if (name.Count(c => c == ':') == 3 && path.StartsWith("sys/devices/", StringComparison.Ordinal))
                    {
                        lines.Add($"f {path}/type=0");
                    }
                    else if (parentName == "block")
                    {
                        blocks.Add(name);
                        lines.Add($"f {path}/size=16384");
                    }

                    if (Directory.GetFileSystemEntries(entry).Length == 0)
                    {
                        lines.Add("d " + path);
                    }

                    Visit(entry, path);
                }
                else
                {
                    string text = File.ReadAllText(entry);
                    lines.Add(text.Length > 0 && text.IndexOf('\n', StringComparison.Ordinal) == text.Length - 1 ? $"f {path}={text[..^1]}" : $"F {path}={text}");
                }
            }
        }

        Visit(sys, "sys");
        lines.AddRange(blocks.Select(b => $"F dev/{b}="));
        return Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
    }

    /// <summary>Session 1 of the captured tree (host0) and what every session shares (module, transport).</summary>
    private static bool OneSession(string path)
    {
        foreach (string other in new[] { "host1", "host2", "host3", "session2", "session3", "session4", "connection2:0", "connection3:0", "connection4:0", "1:0:0:", "2:0:0:", "3:0:0:" })
        {
            if (path.EndsWith("/" + other, StringComparison.Ordinal) || path.Contains("/" + other + "/", StringComparison.Ordinal) || path.Contains("/" + other, StringComparison.Ordinal) && other.EndsWith(':'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>action@devpath\0</c>, then ACTION, DEVPATH and the pairs, each NUL-terminated, as the kernel sends them.</summary>
    private static byte[] Uevent(string header, params string[] pairs)
    {
        int at = header.IndexOf('@', StringComparison.Ordinal);
        return Encoding.ASCII.GetBytes($"{header}\0ACTION={header[..at]}\0DEVPATH={header[(at + 1)..]}\0{string.Join('\0', pairs)}\0");
    }

    private static byte[] Record(byte? config, byte control, ReadOnlySpan<byte> text)
    {
        var b = new List<byte>();
        if (config is { } c)
        {
            b.Add(c);
        }

        b.Add(control);
        b.Add((byte)(text.Length >> 8));
        b.Add((byte)text.Length);
        b.AddRange(text.ToArray());
        return [.. b];
    }

    private static byte[] Message(ushort netlinkType, IscsiUeventType type, uint r0, uint r1, uint r2, byte[] payload)
    {
        byte[] m = new byte[NetlinkHeaderLayout.MinIscsiMessage + ((payload.Length + 3) & ~3)];
        BinaryPrimitives.WriteUInt32LittleEndian(m, (uint)m.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(NetlinkHeaderLayout.NlmsgType), netlinkType);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(16), (uint)type);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(16 + 40), r0);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(16 + 44), r1);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(16 + 48), r2);
        payload.CopyTo(m, NetlinkHeaderLayout.MinIscsiMessage);
        return m;
    }

    private static byte[] Stats(int custom)
    {
        byte[] p = new byte[IscsiStatsLayout.Size + (custom * IscsiStatsLayout.CustomSize)];
        BinaryPrimitives.WriteUInt64LittleEndian(p, 1 << 20);
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(IscsiStatsLayout.LoginPdus), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(IscsiStatsLayout.CustomLength), (uint)custom);
        for (int i = 0; i < custom; i++)
        {
            Span<byte> e = p.AsSpan(IscsiStatsLayout.Custom + (i * IscsiStatsLayout.CustomSize), IscsiStatsLayout.CustomSize);
            Encoding.ASCII.GetBytes(i == 0 ? "eh_abort_cnt" : "r2t_timeout_cnt", e);
            BinaryPrimitives.WriteUInt64LittleEndian(e[IscsiStatsLayout.CustomValue..], (ulong)(i + 7));
        }

        return p;
    }
}
