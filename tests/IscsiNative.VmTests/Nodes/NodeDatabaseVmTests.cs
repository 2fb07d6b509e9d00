using System.Security.Cryptography;
using IscsiNative.Initiator;
using IscsiNative.Nodes;
using IscsiNative.VmTests.Adoption;
using IscsiNative.VmTests.Infrastructure;
using IscsiNative.VmTests.Login;
using IscsiNative.Sysfs;

namespace IscsiNative.VmTests.Nodes;

/// <summary>The node DB against the real iscsiadm 2.1.8 (/etc/iscsi, /run/lock/iscsi), boot restore and module loading.</summary>
[Collection(VmCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class NodeDatabaseVmTests(VmFixture vm)
{
    private static readonly IscsiNodeDatabase Db = new();

    [VmFact]
    public void Records_and_discovery_are_identical_both_ways_with_iscsiadm()
    {
        using LioTarget t1 = LoginVm.Target("nodedb-a");
        using LioTarget t2 = LoginVm.Target("nodedb-b");
        try
        {
            // iscsiadm discovery, then the library writes the same discovery: byte-identical files.
            vm.Iscsiadm.Run("-m", "discovery", "-t", "st", "-p", "127.0.0.1:3260").EnsureSuccess();
            string t1File = $"/etc/iscsi/nodes/{t1.Iqn}/127.0.0.1,3260,1/default";
            string st = "/etc/iscsi/send_targets/127.0.0.1,3260/st_config";
            byte[] iscsiadmRecord = File.ReadAllBytes(t1File);
            byte[] iscsiadmSt = File.ReadAllBytes(st);
            List<IscsiNodeRecord> found = [.. Db.Query().Nodes.Where(n => n.DiscoveryAddress == "127.0.0.1")];
            vm.Iscsiadm.Run("-m", "node", "-o", "delete").EnsureSuccess();
            Assert.False(File.Exists(t1File));
            Db.SaveSendTargetsDiscovery(LoginVm.Portal, found.Select(n => new IscsiNodeTarget(n.TargetName, n.Portal, n.Tpgt)));
            Assert.Equal(iscsiadmRecord, File.ReadAllBytes(t1File));
            Assert.Equal(iscsiadmSt, File.ReadAllBytes(st));
            Assert.Equal($"/etc/iscsi/nodes/{t1.Iqn}/127.0.0.1,3260,1", new FileInfo($"/etc/iscsi/send_targets/127.0.0.1,3260/{t1.Iqn},127.0.0.1,3260,1,default").LinkTarget);

            // Library edit → iscsiadm -o show prints exactly what the library prints (passwords masked), and vice versa.
            Db.Update(t1.Iqn, LoginVm.Portal, "default", n =>
            {
                n.AuthMethod = IscsiNodeAuthMethod.Chap;
                n.Username = "u1";
                n.Password = "p-secret-1";
                n.Startup = IscsiNodeStartup.Automatic;
                n.ReplacementTimeout = 15;
            });
            string shown = vm.Iscsiadm.Run("-m", "node", "-T", t1.Iqn, "-p", "127.0.0.1:3260", "-o", "show").EnsureSuccess().StdOut;
            Assert.Equal(Db.Find(t1.Iqn, LoginVm.Portal)!.Format(), shown);
            vm.Iscsiadm.Run("-m", "node", "-T", t2.Iqn, "-p", "127.0.0.1:3260", "-o", "update", "-n", "node.session.queue_depth", "-v", "16").EnsureSuccess();
            IscsiNodeRecord r2 = Db.Find(t2.Iqn, LoginVm.Portal)!;
            Assert.Equal(16, r2.QueueDepth);
            Assert.Equal(vm.Iscsiadm.Run("-m", "node", "-T", t2.Iqn, "-p", "127.0.0.1:3260", "-o", "show", "--show").EnsureSuccess().StdOut, r2.Format(showSecrets: true));

            // A malformed record: typed error with file and line; the other record still reads.
            string t2File = $"/etc/iscsi/nodes/{t2.Iqn}/127.0.0.1,3260,1/default";
            File.AppendAllText(t2File, "garbage line\n");
            IscsiNodeQueryResult result = Db.Query();
            Assert.Contains(result.Nodes, n => n.TargetName == t1.Iqn);
            IscsiNodeRecordFormatException e = Assert.Single(result.Errors, x => x.FilePath == t2File);
            Assert.Equal(File.ReadAllLines(t2File).Length, e.LineNumber);
        }
        finally
        {
            vm.Iscsiadm.Run("-m", "node", "-o", "delete");
            foreach (string dir in Directory.Exists("/etc/iscsi/nodes") ? Directory.GetDirectories("/etc/iscsi/nodes") : [])
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [VmFact]
    public void Iscsiadm_and_the_library_editing_one_record_concurrently_lose_no_update()
    {
        using LioTarget t = LoginVm.Target("nodedb-race");
        IscsiNodeRecord created = Db.Create(t.Iqn, LoginVm.Portal, 1);
        try
        {
            // iscsiadm increments nothing itself: it sets distinct keys while the library increments cmds_max.
            const int Rounds = 40;
            var iscsiadmLoop = Task.Run(() =>
            {
                for (int i = 1; i <= Rounds; i++)
                {
                    vm.Iscsiadm.Run("-m", "node", "-T", t.Iqn, "-p", "127.0.0.1:3260", "-o", "update", "-n", "node.session.queue_depth", "-v", i.ToString(System.Globalization.CultureInfo.InvariantCulture)).EnsureSuccess();
                }
            }, TestContext.Current.CancellationToken);
            for (int i = 1; i <= Rounds; i++)
            {
                Db.Update(t.Iqn, LoginVm.Portal, "default", n => n.CmdsMax = 100 + i);
            }

            iscsiadmLoop.Wait(TestContext.Current.CancellationToken);
            IscsiNodeRecord final = Db.Find(t.Iqn, LoginVm.Portal)!;
            Assert.Equal((100 + Rounds, Rounds), (final.CmdsMax, final.QueueDepth));
            Assert.False(File.Exists("/run/lock/iscsi/lock.write"));
        }
        finally
        {
            Db.Delete(created.TargetName, created.Portal);
        }
    }

    [VmFact]
    public async Task LoginAll_automatic_with_iscsid_stopped_logs_in_exactly_the_nodes_iscsiadm_would_with_data_on_each_disk()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget auto1 = LoginVm.Target("nodedb-auto1");
        using LioTarget auto2 = LoginVm.Target("nodedb-auto2");
        using LioTarget autoConn = LoginVm.Target("nodedb-autoconn");
        using LioTarget manual = LoginVm.Target("nodedb-manual");
        using LioTarget onboot = LoginVm.Target("nodedb-onboot");

        // node.startup and node.conn[0].startup: iscsiadm's match_startup_mode takes a node when either equals the mode.
        (LioTarget T, IscsiNodeStartup Node, IscsiNodeStartup Conn)[] nodes =
        [
            (auto1, IscsiNodeStartup.Automatic, IscsiNodeStartup.Automatic),
            (auto2, IscsiNodeStartup.Automatic, IscsiNodeStartup.Manual),
            (autoConn, IscsiNodeStartup.Manual, IscsiNodeStartup.Automatic),
            (manual, IscsiNodeStartup.Manual, IscsiNodeStartup.Manual),
            (onboot, IscsiNodeStartup.OnBoot, IscsiNodeStartup.OnBoot),
        ];
        foreach ((LioTarget target, IscsiNodeStartup node, IscsiNodeStartup conn) in nodes)
        {
            IscsiNodeRecord r = Db.NewRecord(target.Iqn, LoginVm.Portal, 1);
            r.Startup = node;
            r.ConnectionStartup = conn;
            Db.Save(r);
        }

        string[] ourIqns = [.. nodes.Select(n => n.T.Iqn)];
        IReadOnlyList<IscsiNodeLoginResult> results = [];
        var initiator = new IscsiInitiator();
        string[] restored;
        vm.StopIscsid();
        try
        {
            Assert.False(IscsidProcess.IsRunning);
            results = await initiator.LoginAllAsync(Db, IscsiNodeStartupFilter.Automatic, cancellationToken: ct);
            List<IscsiNodeLoginResult> ours = [.. results.Where(r => ourIqns.Contains(r.Node.TargetName))];
            restored = [.. ours.Select(r => r.Node.TargetName).Order(StringComparer.Ordinal)];
            Assert.All(ours, r => Assert.True(r.Succeeded, r.Error?.ToString()));
            Assert.Equal(restored.Length, SysfsProbe.Sessions().Count(s => ourIqns.Contains(s.TargetName)));
            foreach (IscsiNodeLoginResult r in ours)
            {
                // Write through the iSCSI disk, then read it back after dropping the page cache, and in LIO's backing file.
                string disk = LoginVm.AssertDisk(r.Session!);
                byte[] data = RandomNumberGenerator.GetBytes(1 << 20);
                using (var s = new FileStream(disk, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1 << 16, FileOptions.WriteThrough))
                {
                    s.Write(data);
                    s.Flush(flushToDisk: true);
                }

                await File.WriteAllTextAsync("/proc/sys/vm/drop_caches", "3", ct);
                byte[] viaDisk = new byte[data.Length];
                using (var d = new FileStream(disk, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
                {
                    d.ReadExactly(viaDisk);
                }

                Assert.Equal(data, viaDisk);
                LioTarget target = nodes.Single(n => n.T.Iqn == r.Node.TargetName).T;
                byte[] back = new byte[data.Length];
                using (var b = new FileStream(target.BackingFiles[0], FileMode.Open, FileAccess.Read))
                {
                    b.ReadExactly(back);
                }

                Assert.Equal(data, back);
            }

            foreach (IscsiNodeLoginResult r in ours)
            {
                await initiator.LogoutAsync(r.Session!, ct);
            }

            results = [];
        }
        finally
        {
            foreach (IscsiNodeLoginResult r in results.Where(r => r.Session is not null))
            {
                await initiator.LogoutAsync(r.Session!, CancellationToken.None);
            }

            initiator.Dispose();
            vm.StartIscsid();
        }

        try
        {
            // The oracle, on the same records with iscsid back: --loginall=automatic logs in the same nodes.
            ProcessResult oracle = vm.Iscsiadm.Run("-m", "node", "--loginall=automatic");
            string[] oracleLogins = [.. ourIqns.Where(iqn => oracle.StdOut.Contains($"Login to [iface: default, target: {iqn},", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
            Assert.Equal([auto1.Iqn, auto2.Iqn, autoConn.Iqn], oracleLogins.Order(StringComparer.Ordinal));
            Assert.Equal(oracleLogins, restored);
        }
        finally
        {
            foreach ((LioTarget target, _, _) in nodes)
            {
                vm.Iscsiadm.Run("-m", "node", "-T", target.Iqn, "-p", "127.0.0.1:3260", "--logout");
                Db.Delete(target.Iqn, LoginVm.Portal);
            }
        }
    }

    [VmFact]
    public async Task A_login_loads_iscsi_tcp_after_it_was_removed_and_without_CAP_SYS_MODULE_fails_typed_with_nothing_done()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LoginVm.Target("nodedb-module");
        string root = Directory.CreateTempSubdirectory("nodedb-module-").FullName;
        var db = new IscsiNodeDatabase(new IscsiNodeDatabaseOptions { Root = root, LockDirectory = Path.Combine(root, ".lock") });
        IscsiNodeRecord node = db.Create(target.Iqn, LoginVm.Portal, 1);
        try
        {
            Assert.Empty(SysfsProbe.Sessions());
            ProcessResult rmmod = ProcessRunner.Run(TimeSpan.FromSeconds(30), "rmmod", "iscsi_tcp", "libiscsi_tcp");
            Assert.True(rmmod.ExitCode == 0, rmmod.ToString());
            Assert.False(Directory.Exists("/sys/class/iscsi_transport/tcp"));
            Assert.False(Directory.Exists("/sys/module/iscsi_tcp"));
            string[] hostsBefore = [.. Directory.GetDirectories("/sys/class/scsi_host")];

            // Root, but CAP_SYS_MODULE dropped from the bounding set (so the exec'd helper has none): a typed error
            // that names the capability; no module half-loaded, no session, no SCSI host.
            Assert.True(File.Exists(HelperProcess.HelperPath), HelperProcess.HelperPath + " is not built");
            ProcessResult denied = ProcessRunner.Run(
                TimeSpan.FromSeconds(120), "setpriv", "--bounding-set=-sys_module", "--inh-caps=-sys_module", "dotnet", HelperProcess.HelperPath, "login-once", root, target.Iqn);
            Assert.True(denied.ExitCode == 3, denied.ToString());
            Assert.StartsWith("error UnauthorizedAccessException ", denied.StdOut, StringComparison.Ordinal);
            Assert.Contains("CAP_SYS_MODULE", denied.StdOut, StringComparison.Ordinal);
            Assert.Contains("libiscsi_tcp", denied.StdOut, StringComparison.Ordinal);
            Assert.False(Directory.Exists("/sys/module/libiscsi_tcp"));
            Assert.False(Directory.Exists("/sys/module/iscsi_tcp"));
            Assert.Empty(SysfsProbe.Sessions());
            Assert.Equal(hostsBefore, Directory.GetDirectories("/sys/class/scsi_host"));

            // With the privilege: the login loads both modules and succeeds.
            using var initiator = new IscsiInitiator();
            IscsiSession session = await initiator.LoginNodeAsync(node, ct);
            Assert.True(Directory.Exists("/sys/class/iscsi_transport/tcp"));
            Assert.True(Directory.Exists("/sys/module/libiscsi_tcp"));
            LoginVm.AssertDisk(session);
            await initiator.LogoutAsync(session, ct);
        }
        finally
        {
            ProcessRunner.Run(TimeSpan.FromSeconds(30), "modprobe", "iscsi_tcp");
            Directory.Delete(root, recursive: true);
        }
    }
}
