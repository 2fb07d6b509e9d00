using System.Globalization;
using System.Text.Json;
using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Oracle;

/// <summary>
/// iscsinat against iscsiadm 2.1.8 for the host, iface, discoverydb and session operations and the login/logout groups:
/// same command line on the same state, same stdout, stderr and exit code (and, for commands that change the node
/// database or the sessions, the same resulting state). Error cases included.
/// </summary>
[Collection(VmCollection.Name)]
public sealed class CliModesOracleTests(VmFixture vm)
{
    private const string StConfig = "/etc/iscsi/send_targets/127.0.0.1,3260/st_config";

    private Iscsiadm Iscsiadm => vm.Iscsiadm;

    [VmFact]
    public void Host_and_iface_modes_match_iscsiadm()
    {
        using var target = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(nameof(Host_and_iface_modes_match_iscsiadm))) { LunCount = 2, InitiatorIqn = vm.InitiatorIqn });
        foreach (string[] args in (string[][])[["-m", "iface"], ["-m", "iface", "-o", "show"], ["-m", "iface", "-P", "1"], ["-m", "iface", "-P", "2"],
            ["-m", "iface", "-I", "default", "-o", "show"], ["-m", "iface", "-I", "iser"], ["-m", "iface", "-I", "nosuch", "-o", "show"],
            ["-m", "host", "-P", "5"], ["-m", "iface", "-I", "nosuch", "-P", "1"]])
        {
            CliOracle.AssertSame(Iscsiadm, args);
        }

        Iscsiadm.Discover(target.Portal);
        using IscsiadmNode node = Iscsiadm.Node(target.Iqn, target.Portal);
        CliOracle.AssertSame(Iscsiadm, "-m", "iface", "-P", "1");
        CliOracle.AssertSame(Iscsiadm, "-m", "iface", "-I", "default", "-P", "1");
        CliOracle.AssertSame(Iscsiadm, "-m", "iface", "-I", "iser", "-P", "1");

        node.Login().EnsureSuccess();
        string hostNumber = Directory.GetDirectories("/sys/class/iscsi_host").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).First()["host".Length..];
        foreach (string[] args in (string[][])[["-m", "host"], ["-m", "host", "-P", "0"], ["-m", "host", "-P", "1"], ["-m", "host", "-P", "2"],
            ["-m", "host", "-P", "3"], ["-m", "host", "-P", "4"], ["-m", "host", "-H", hostNumber, "-P", "1"], ["-m", "host", "-H", hostNumber, "-P", "4"], ["-m", "host", "-H", "999", "-P", "1"]])
        {
            CliOracle.AssertSame(Iscsiadm, args);
        }

        node.Logout().EnsureSuccess();
    }

    [VmFact]
    public void Discoverydb_operations_match_iscsiadm()
    {
        using var target = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(nameof(Discoverydb_operations_match_iscsiadm))) { LunCount = 1, InitiatorIqn = vm.InitiatorIqn });
        string[] db = ["-m", "discoverydb", "-t", "st", "-p", target.Portal];
        string DbState() => (File.Exists(StConfig) ? File.ReadAllText(StConfig) : "<no discovery record>\n") + Iscsiadm.Run("-m", "node").StdOut;
        void Delete() => Iscsiadm.Run([.. db, "-o", "delete"]);
        void New() => Iscsiadm.Run([.. db, "-o", "new"]).EnsureSuccess();
        try
        {
            Delete();
            CliOracle.AssertSame(Iscsiadm, [.. db, "-o", "show"]);
            CliOracle.AssertSame(Iscsiadm, [.. db, "-o", "update", "-n", "discovery.sendtargets.use_discoveryd", "-v", "Yes"]);
            CliOracle.AssertSameEffect(Iscsiadm, DbState, Delete, t => t, [.. db, "-o", "new"]);
            CliOracle.AssertSame(Iscsiadm, [.. db, "-o", "show"]);
            CliOracle.AssertSame(Iscsiadm, [.. db]);
            CliOracle.AssertSame(Iscsiadm, "-m", "discoverydb");
            CliOracle.AssertSame(Iscsiadm, "-m", "discovery");
            CliOracle.AssertSameEffect(Iscsiadm, DbState, New, t => t, [.. db, "-o", "update", "-n", "discovery.sendtargets.use_discoveryd", "-v", "Yes"]);
            New();
            CliOracle.AssertSameEffect(Iscsiadm, DbState, New, t => t, [.. db, "-o", "update", "-n", "discovery.sendtargets.auth.username", "-v", "alice"]);
            CliOracle.AssertSame(Iscsiadm, [.. db, "-o", "update", "-n", "discovery.bogus", "-v", "1"]);
            CliOracle.AssertSame(Iscsiadm, [.. db, "-o", "update", "-n", "discovery.sendtargets.address", "-v", "10.0.0.1"]);
            CliOracle.AssertSame(Iscsiadm, [.. db, "-o", "update"]);
            CliOracle.AssertSame(Iscsiadm, [.. db, "-o", "apply"]);
            CliOracle.AssertSame(Iscsiadm, "-m", "discoverydb", "-p", target.Portal);
            CliOracle.AssertSame(Iscsiadm, "-m", "discoverydb", "-p", target.Portal, "-o", "delete");
            CliOracle.AssertSame(Iscsiadm, "-m", "discoverydb", "-o", "delete");
            CliOracle.AssertSameEffect(Iscsiadm, DbState, New, t => t, [.. db, "-o", "delete"]);

            // -D: discovery through the record (created when missing), then -o delete removes the record and its nodes.
            // Each side starts from the same state: the reset runs before iscsiadm's side too (not only before iscsinat's).
            Delete();
            CliOracle.AssertSameEffect(Iscsiadm, DbState, Delete, t => t, [.. db, "-D"]);
            Delete();
            CliOracle.AssertSameEffect(Iscsiadm, DbState, Delete, t => t, [.. db, "-D", "-P", "1"]);
            CliOracle.AssertSame(Iscsiadm, "-m", "discoverydb", "-P", "1");
            CliOracle.AssertSame(Iscsiadm, "-m", "discovery", "-P", "1");
            void Discovered() => Iscsiadm.Run([.. db, "-D"]).EnsureSuccess();
            Discovered();
            CliOracle.AssertSameEffect(Iscsiadm, DbState, Discovered, t => t, [.. db, "-o", "delete"]);
            Discovered();
            CliOracle.AssertSameEffect(Iscsiadm, DbState, Discovered, t => t, "-m", "discovery", "-p", target.Portal, "-o", "delete");

            // Discovery mode on a portal without a record: "Discovery record [ip,port] not found!", exit 7.
            Delete();
            CliOracle.AssertSame(Iscsiadm, "-m", "discovery", "-p", target.Portal, "-o", "delete");
            CliOracle.AssertSame(Iscsiadm, "-m", "discovery", "-p", target.Portal);
        }
        finally
        {
            Delete();
            Iscsiadm.Run("-m", "node", "-o", "delete");
        }
    }

    [VmFact]
    public void Session_operations_match_iscsiadm()
    {
        using var t1 = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(nameof(Session_operations_match_iscsiadm) + "1")) { LunCount = 1, InitiatorIqn = vm.InitiatorIqn });
        using var t2 = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(nameof(Session_operations_match_iscsiadm) + "2")) { LunCount = 1, InitiatorIqn = vm.InitiatorIqn });
        Iscsiadm.Discover(t1.Portal);
        using IscsiadmNode n1 = Iscsiadm.Node(t1.Iqn, t1.Portal);
        using IscsiadmNode n2 = Iscsiadm.Node(t2.Iqn, t2.Portal);
        foreach (string[] args in (string[][])[["-m", "session", "-R"], ["-m", "session", "-r", "999", "-s"], ["-m", "session", "-r", "999", "-R"], ["-m", "session", "-r", "999", "-u"], ["-m", "session", "-r", "nosuch"]])
        {
            CliOracle.AssertSame(Iscsiadm, args);
        }

        n1.Login().EnsureSuccess();
        n2.Login().EnsureSuccess();
        string sid = Sids()[0];
        foreach (string[] args in (string[][])[["-m", "session", "-P", "0"], ["-m", "session", "-P", "2"], ["-m", "session", "-r", sid, "-P", "3"],
            ["-m", "session", "-r", sid, "-R"], ["-m", "session", "-r", sid, "-o", "show"], ["-m", "session", "-P", "4"]])
        {
            CliOracle.AssertSame(Iscsiadm, args);
        }

        // -R of all sessions: iscsiadm rescans them in parallel (one forked child per session), so the order of its
        // lines is a race; the lines are compared as a set.
        static string SortedLines(string text) => string.Join('\n', text.Split('\n').Order(StringComparer.Ordinal));
        ProcessResult rescanByIscsiadm = Iscsiadm.Run("-m", "session", "-R");
        ProcessResult rescanByCli = CliOracle.Cli("-m", "session", "-R");
        CliOracle.AssertSame(rescanByIscsiadm with { StdOut = SortedLines(rescanByIscsiadm.StdOut) }, rescanByCli with { StdOut = SortedLines(rescanByCli.StdOut) }, "iscsiadm -m session -R");

        // Statistics: the counters move on their own (NOP-Out every 5 s), so the text is compared with numbers masked.
        foreach (string[] args in (string[][])[["-m", "session", "-s"], ["-m", "session", "-r", sid, "-s"]])
        {
            ProcessResult expected = Iscsiadm.Run(args);
            ProcessResult actual = CliOracle.Cli(args);
            CliOracle.AssertSame(expected with { StdOut = CliOracle.Skeleton(expected.StdOut) }, actual with { StdOut = CliOracle.Skeleton(actual.StdOut) }, "iscsiadm " + string.Join(' ', args));
        }

        // --json: the documented keys, the values sysfs holds.
        using (JsonDocument sessions = JsonDocument.Parse(CliOracle.Cli("-m", "session", "--json").StdOut))
        {
            Assert.Equal(Sids(), sessions.RootElement.EnumerateArray().Select(s => s.GetProperty("sid").GetInt32().ToString(CultureInfo.InvariantCulture)));
            Assert.Equal([t1.Iqn, t2.Iqn], sessions.RootElement.EnumerateArray().Select(s => s.GetProperty("targetName").GetString()).Order(StringComparer.Ordinal));
        }

        // -r SID -u: iscsiadm logs out the first session, it is logged in again (a new sid), iscsinat logs that one out.
        string[] LogoutFirst() => ["-m", "session", "-r", Sids().First(n => File.ReadAllText($"/sys/class/iscsi_session/session{n}/targetname").Trim() == t1.Iqn), "-u"];
        ProcessResult byIscsiadm = Iscsiadm.Run(LogoutFirst());
        n1.Login().EnsureSuccess();
        ProcessResult byCli = CliOracle.Cli(LogoutFirst());
        CliOracle.AssertSame(byIscsiadm with { StdOut = CliOracle.NumberSids(byIscsiadm.StdOut) }, byCli with { StdOut = CliOracle.NumberSids(byCli.StdOut) }, "iscsiadm -m session -r SID -u");
        Assert.Single(Sids());
        n2.Logout().EnsureSuccess();
        Assert.Equal(21, Iscsiadm.Run("-m", "session").ExitCode);
        CliOracle.AssertSame(Iscsiadm, "-m", "session", "-s");
    }

    [VmFact]
    public void Login_and_logout_groups_match_iscsiadm()
    {
        using var t1 = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(nameof(Login_and_logout_groups_match_iscsiadm) + "1")) { LunCount = 1, InitiatorIqn = vm.InitiatorIqn });
        using var t2 = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(nameof(Login_and_logout_groups_match_iscsiadm) + "2")) { LunCount = 1, InitiatorIqn = vm.InitiatorIqn });
        Iscsiadm.Discover(t1.Portal);
        using IscsiadmNode automatic = Iscsiadm.Node(t1.Iqn, t1.Portal);
        using IscsiadmNode manual = Iscsiadm.Node(t2.Iqn, t2.Portal);
        automatic.Update("node.startup", "automatic");

        // iscsiadm takes -L/-l records in readdir order of nodes/ (idbm_for_each_rec), not sorted: put the two target
        // directories in the order sorting would not give, so the comparison shows iscsinat follows readdir too. A
        // directory renamed away and back moves to one end of its parent's readdir order (tmpfs: the front or the back).
        string[] ReaddirOrder() => [.. Directory.EnumerateDirectories("/etc/iscsi/nodes").Select(Path.GetFileName).OfType<string>().Where(n => n == t1.Iqn || n == t2.Iqn)];
        foreach (string moved in (string[])[t1.Iqn, t2.Iqn])
        {
            if (!ReaddirOrder().SequenceEqual([t1.Iqn, t2.Iqn]))
            {
                break;
            }

            string dir = Path.Combine("/etc/iscsi/nodes", moved);
            Directory.Move(dir, dir + ".moved");
            Directory.Move(dir + ".moved", dir);
        }

        Assert.Equal([t2.Iqn, t1.Iqn], ReaddirOrder());

        // Sorted: iscsiadm lists sessions in sysfs name order (session10 before session9), which follows the sids.
        string Sessions() => string.Join('\n', Iscsiadm.Run("-m", "session").StdOut.Split('\n').Select(l => l.Split(' ').Skip(2).FirstOrDefault() + " " + l.Split(' ').Skip(3).FirstOrDefault()).Order(StringComparer.Ordinal));

        // No session of either target, and an iscsid that knows of none: iscsiadm logs out the sessions iscsid owns,
        // iscsinat the rest (the ones it created; iscsid does not know those, iscsiadm -U all leaves them). iscsid keeps
        // a session in its own list when another process ends it (the kernel's destroy event is only logged), and a
        // later iscsiadm login of that record fails with "session exists" (session_is_running checks that list first);
        // iscsinat hands iscsid's sessions to iscsid, but iscsid is still restarted once sysfs shows no session, so
        // each comparison starts from an iscsid with an empty list and nothing in sysfs to sync.
        void None()
        {
            Iscsiadm.Run("-m", "node", "-U", "all");
            CliOracle.Cli("-m", "node", "-U", "all");
            WaitForNoSession(t1.Iqn, t2.Iqn);
            using (vm.SuspendIscsid())
            {
            }
        }

        // Both logged in, t1 first: sid(t1) < sid(t2). The two sides' sids differ; iscsiadm (and iscsinat) log out in
        // sysfs name order, so both sides must have sids of the same length (session9 and session10 sort the other
        // way round): log in again until they have (the next two sids do). Each tool logs out sessions it owns:
        // iscsiadm's side logs in through iscsid, iscsinat's side through iscsinat (so its logouts take the library's
        // own teardown; iscsid's sessions it hands to iscsid, see CliLogoutOracleTests).
        void BothBy(Func<string, string, ProcessResult> login)
        {
            for (int attempt = 0; ; attempt++)
            {
                None();
                login(t1.Iqn, t1.Portal).EnsureSuccess();
                login(t2.Iqn, t2.Portal).EnsureSuccess();
                if (Sids().Select(s => s.Length).Distinct().Count() == 1 || attempt == 2)
                {
                    return;
                }
            }
        }

        void Both() => BothBy((iqn, portal) => ProcessRunner.Run(Iscsiadm.LoginTimeout, "iscsiadm", "-m", "node", "-T", iqn, "-p", portal, "--login"));
        void BothByCli() => BothBy((iqn, portal) => CliOracle.Cli("-m", "node", "-T", iqn, "-p", portal, "--login"));

        void OnlyAutomatic()
        {
            None();
            Iscsiadm.Run("-m", "node", "-L", "automatic").EnsureSuccess();
        }

        // Both sides start from the same state: the reset runs before iscsiadm's side too.
        void SameEffect(Action reset, params string[] args) => SameEffectFrom(reset, reset, args);

        void SameEffectFrom(Action resetForIscsiadm, Action resetForCli, params string[] args)
        {
            resetForIscsiadm();
            CliOracle.AssertSameEffect(Iscsiadm, Sessions, resetForCli, CliOracle.NumberSids, args);
        }

        try
        {
            CliOracle.AssertSame(Iscsiadm, "-m", "node", "-L", "onboot");
            CliOracle.AssertSame(Iscsiadm, "-m", "node", "-U", "manual");
            CliOracle.AssertSame(Iscsiadm, "-m", "node", "-U", "onboot");
            SameEffect(None, "-m", "node", "-L", "automatic");
            // -L manual also matches the automatic record: its node.conn[0].startup is still manual (match_startup_mode).
            SameEffect(OnlyAutomatic, "-m", "node", "-L", "manual");

            // Both records, one already logged in: a warning for it, a login for the other, exit 15.
            SameEffect(OnlyAutomatic, "-m", "node", "-L", "all");

            // Two records at once, compared byte for byte: the "Logging in to" lines in readdir order (t2 first, see
            // above), then the results in the same order (iscsiadm waits for its async logins in list order).
            SameEffect(None, "-m", "node", "--loginall=all");
            SameEffect(None, "-m", "node", "-l");
            // Logouts: sysfs name order (sids numbered by appearance, both sides' sids of equal length, see Both).
            SameEffectFrom(Both, BothByCli, "-m", "node", "-U", "automatic");
            SameEffectFrom(Both, BothByCli, "-m", "node", "-U", "manual");
            SameEffectFrom(Both, BothByCli, "-m", "node", "--logoutall=all");
            SameEffectFrom(Both, BothByCli, "-m", "node", "-u");
            CliOracle.AssertSame(Iscsiadm, "-m", "node", "-U", "all");
        }
        finally
        {
            try
            {
                None();
            }
            catch (TimeoutException e)
            {
                // LeavesNoSession reports (and removes) what is left; the test's own failure stays the one reported.
                Console.Error.WriteLine($"{nameof(Login_and_logout_groups_match_iscsiadm)}: {e.Message}");
            }
        }
    }

    /// <summary>Waits (up to 30 s) until sysfs lists no session of <paramref name="targetNames"/>.</summary>
    /// <param name="targetNames">The target IQNs.</param>
    /// <exception cref="TimeoutException">A session of one of them is still there after 30 s.</exception>
    private static void WaitForNoSession(params string[] targetNames)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string[] left;
        while ((left = [.. Sids().Where(n => targetNames.Contains(TargetName(n), StringComparer.Ordinal))]).Length > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"session(s) {string.Join(", ", left)} of {string.Join(", ", targetNames)} still present after 30 s");
            }

            Thread.Sleep(100);
        }

        static string TargetName(string sid)
        {
            try
            {
                return File.ReadAllText($"/sys/class/iscsi_session/session{sid}/targetname").Trim();
            }
            catch (IOException)
            {
                return string.Empty; // gone meanwhile
            }
        }
    }

    /// <summary>The live session ids in iscsiadm's order.</summary>
    private static string[] Sids() =>
        [.. Directory.GetDirectories("/sys/class/iscsi_session").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).Select(n => n["session".Length..])];

    /// <summary>
    /// Session ids replaced by <c>#</c> (the two sides' sessions have different sids) and the lines of each block of
    /// consecutive lines with the same first three words sorted: block structure and every line compared, record order
    /// within a block not.
    /// </summary>
    private static string OrderWithinBlocks(string text)
    {
        string[] lines = System.Text.RegularExpressions.Regex.Replace(text, @"sid: \d+", "sid: #").Split('\n');
        var result = new List<string>();
        int start = 0;
        for (int i = 1; i <= lines.Length; i++)
        {
            if (i == lines.Length || Prefix(lines[i]) != Prefix(lines[start]))
            {
                result.AddRange(lines[start..i].Order(StringComparer.Ordinal));
                start = i;
            }
        }

        return string.Join('\n', result);

        static string Prefix(string line) => string.Join(' ', line.Split(' ').Take(3));
    }
}
