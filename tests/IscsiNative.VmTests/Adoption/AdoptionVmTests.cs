using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using IscsiNative.Initiator;
using IscsiNative.Nodes;
using IscsiNative.Sysfs;
using IscsiNative.VmTests.Infrastructure;
using IscsiNative.VmTests.Login;
using IscsiNative.VmTests.Recovery;

namespace IscsiNative.VmTests.Adoption;

/// <summary>
/// Session ownership across processes (iscsid stopped, as on a host where the library is the only owner): a process
/// that logged sessions in is killed -9; whether their I/O survives a target outage depends on a new process adopting
/// them. Node records live in a per-test database; the ownership lock in a per-test directory.
/// </summary>
[Collection(VmCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AdoptionVmTests(VmFixture vm) : IDisposable
{
    /// <summary>The records' replacement_timeout: long enough for the outage, short enough for the control run.</summary>
    private const int ReplacementTimeout = 15;

    /// <summary>The outage: longer than the first reconnect attempts (DefaultTime2Wait 2 s, then every 3 s), shorter than replacement_timeout.</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(7);

    // A liveness bound for helper processes (a dotnet start plus logins under TCG), not a speed check: 60 s was
    // exceeded once on a host running five CPU-bound jobs on two cores.
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(150);

    private readonly string _root = Directory.CreateTempSubdirectory("adopt-").FullName;

    private string DbRoot => Path.Combine(_root, "db");

    private string LockDir => Path.Combine(_root, "lock");

    [VmFact]
    public async Task Kill9_of_the_owner_during_dd_then_an_adopter_carries_the_write_through_a_target_outage_and_the_data_reads_back()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using IDisposable noIscsid = vm.SuspendIscsid();
        using LioTarget a = LoginVm.Target("adopt-dd-a", luns: 1, lunBytes: 32L * 1024 * 1024);
        using LioTarget b = LoginVm.Target("adopt-dd-b");
        IscsiNodeDatabase db = Records(a.Iqn, b.Iqn);
        (HelperProcess victim, int sidA, string diskA, int sidB, string diskB) = await LoginInVictimAsync(a.Iqn, b.Iqn);
        using (victim)
        using (var initiator = new IscsiInitiator())
        {
            await using RecoveryEvents events = RecoveryEvents.Start(initiator);
            byte[] data = RandomNumberGenerator.GetBytes(16 * 1024 * 1024);
            using HelperProcess dd = HelperProcess.Start("dd", "of=" + diskA, "bs=64k", "iflag=fullblock", "oflag=direct", "status=none");
            Stream input = dd.Process.StandardInput.BaseStream;
            await input.WriteAsync(data.AsMemory(0, data.Length / 2), ct);
            await input.FlushAsync(ct);

            victim.KillNine();
            IscsiAdoptionResult adopted = await initiator.AdoptSessionsAsync(db, new IscsiAdoptionOptions { LockDirectory = LockDir }, ct);
            Assert.Equal(
                [(sidA, IscsiAdoptionOutcome.Adopted), (sidB, IscsiAdoptionOutcome.Adopted)],
                adopted.Sessions.Where(s => s.Sid == sidA || s.Sid == sidB).Select(s => (s.Sid, s.Outcome)).Order());
            Assert.True(initiator.OwnsHost);

            // The lock file names the owner (read with cat: .NET's own file open takes a shared flock and would be refused).
            Assert.Equal(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n", ProcessRunner.Run(TimeSpan.FromSeconds(10), "cat", adopted.LockPath).StdOut);

            // The outage: the second half of the write is queued in dd (blocked in the kernel) while the TPG is off.
            var clock = Stopwatch.StartNew();
            a.SetEnabled(false);
            Assert.True(SysfsProbe.WaitForState(a.Iqn, "FAILED", Bounded), "session A did not fail");
            Task rest = Task.Run(async () =>
            {
                await input.WriteAsync(data.AsMemory(data.Length / 2), ct);
                await input.FlushAsync(ct);
                dd.Process.StandardInput.Close();
            }, ct);
            await events.WaitForAsync(IscsiSessionEventKind.RecoveryStarted, sidA, Bounded);
            await Task.Delay(Outage - clock.Elapsed > TimeSpan.Zero ? Outage - clock.Elapsed : TimeSpan.Zero, ct);
            Assert.False(dd.Process.HasExited, "dd finished during the outage: the outage did not cover the write");
            Assert.Equal("FAILED", Assert.Single(SysfsProbe.SessionsTo(a.Iqn)).State);
            a.SetEnabled(true);
            TimeSpan outage = clock.Elapsed;

            IscsiSessionEvent recovered = await events.WaitForAsync(IscsiSessionEventKind.Recovered, sidA, Bounded);
            await rest.WaitAsync(Bounded, ct);
            Assert.Equal(0, dd.WaitForExit(Bounded));
            Assert.True(outage < TimeSpan.FromSeconds(ReplacementTimeout), $"outage {outage} not shorter than replacement_timeout");

            await File.WriteAllTextAsync("/proc/sys/vm/drop_caches", "3", ct);
            Assert.Equal(SHA256.HashData(data), SHA256.HashData(await ReadAsync(diskA, data.Length, ct)));
            Assert.Equal((sidA, "LOGGED_IN"), Probe(a.Iqn));
            Assert.Equal((sidB, "LOGGED_IN"), Probe(b.Iqn));
            Assert.Equal([Path.GetFileName(diskB)], SysfsProbe.BlockDevices(sidB));
            LoginVm.Report($"adoption: kill -9 owner, adopter recovered after a {outage.TotalSeconds:0.0} s outage in {recovered.Attempts} attempt(s); 16 MiB dd checksum matches");

            Assert.True(await initiator.LogoutAsync(sidA, cancellationToken: ct));
            Assert.True(await initiator.LogoutAsync(sidB, cancellationToken: ct));
        }

        Assert.Empty(SysfsProbe.SessionsTo(a.Iqn));
        Assert.Empty(SysfsProbe.SessionsTo(b.Iqn));
    }

    [VmFact]
    public async Task Control_without_an_adopter_the_same_outage_fails_the_write_after_replacement_timeout()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using IDisposable noIscsid = vm.SuspendIscsid();
        using LioTarget a = LoginVm.Target("adopt-ctl-a", luns: 1, lunBytes: 32L * 1024 * 1024);
        using LioTarget b = LoginVm.Target("adopt-ctl-b");
        Records(a.Iqn, b.Iqn);
        (HelperProcess victim, int sidA, string diskA, int sidB, _) = await LoginInVictimAsync(a.Iqn, b.Iqn);
        using (victim)
        using (var cleanup = new IscsiInitiator())
        {
            byte[] data = RandomNumberGenerator.GetBytes(16 * 1024 * 1024);
            using HelperProcess dd = HelperProcess.Start("dd", "of=" + diskA, "bs=64k", "iflag=fullblock", "oflag=direct", "status=none");
            Stream input = dd.Process.StandardInput.BaseStream;
            await input.WriteAsync(data.AsMemory(0, data.Length / 2), ct);
            await input.FlushAsync(ct);
            victim.KillNine();

            var clock = Stopwatch.StartNew();
            a.SetEnabled(false);
            Assert.True(SysfsProbe.WaitForState(a.Iqn, "FAILED", Bounded), "session A did not fail");
            Task rest = Task.Run(async () =>
            {
                try
                {
                    await input.WriteAsync(data.AsMemory(data.Length / 2), ct);
                    await input.FlushAsync(ct);
                    dd.Process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // dd died of the I/O error: the pipe broke.
                }
            }, ct);
            await Task.Delay(Outage - clock.Elapsed > TimeSpan.Zero ? Outage - clock.Elapsed : TimeSpan.Zero, ct);
            a.SetEnabled(true);

            int exit = dd.WaitForExit(TimeSpan.FromSeconds(ReplacementTimeout + 45));
            TimeSpan failedAfter = clock.Elapsed;
            Assert.NotEqual(0, exit);
            Assert.Contains("Input/output error", dd.StdErr, StringComparison.Ordinal);
            Assert.True(failedAfter >= TimeSpan.FromSeconds(ReplacementTimeout - 1), $"dd failed after {failedAfter}, before replacement_timeout");
            Assert.NotEqual("LOGGED_IN", Probe(a.Iqn).State);
            await rest.WaitAsync(Bounded, ct);
            LoginVm.Report($"adoption control: no owner, same {Outage.TotalSeconds:0} s outage -> dd failed after {failedAfter.TotalSeconds:0.0} s (replacement_timeout {ReplacementTimeout} s)");

            Assert.False(await cleanup.LogoutAsync(sidA, TimeSpan.FromSeconds(5), ct));
            Assert.True(await cleanup.LogoutAsync(sidB, cancellationToken: ct));
        }

        Assert.Empty(SysfsProbe.SessionsTo(a.Iqn));
    }

    [VmFact]
    public async Task A_session_that_failed_before_the_adopter_started_is_recovered_from_sysfs_state_with_its_data()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using IDisposable noIscsid = vm.SuspendIscsid();
        using LioTarget a = LoginVm.Target("adopt-failed-a");
        using LioTarget b = LoginVm.Target("adopt-failed-b");
        IscsiNodeDatabase db = Records(a.Iqn, b.Iqn);
        (HelperProcess victim, int sidA, string diskA, int sidB, _) = await LoginInVictimAsync(a.Iqn, b.Iqn);
        byte[] data = RandomNumberGenerator.GetBytes(1024 * 1024);
        await WriteAsync(diskA, data, ct);
        using (victim)
        using (var initiator = new IscsiInitiator())
        {
            victim.KillNine();
            a.SetEnabled(false);
            Assert.True(SysfsProbe.WaitForState(a.Iqn, "FAILED", Bounded), "session A did not fail");
            Assert.Equal("failed", SysfsProbe.ReadAttribute($"/sys/class/iscsi_connection/connection{sidA}:0", "state"));

            await using RecoveryEvents events = RecoveryEvents.Start(initiator);
            IscsiAdoptionResult adopted = await initiator.AdoptSessionsAsync(db, new IscsiAdoptionOptions { LockDirectory = LockDir }, ct);
            IscsiAdoptedSession failed = Assert.Single(adopted.Sessions, s => s.Sid == sidA);
            Assert.Equal((IscsiAdoptionOutcome.AdoptedAndRecovering, IscsiSessionState.Failed), (failed.Outcome, failed.State));
            Assert.Equal(IscsiAdoptionOutcome.Adopted, Assert.Single(adopted.Sessions, s => s.Sid == sidB).Outcome);
            await events.WaitForAsync(IscsiSessionEventKind.RecoveryStarted, sidA, Bounded);

            a.SetEnabled(true);
            await events.WaitForAsync(IscsiSessionEventKind.Recovered, sidA, Bounded);
            Assert.Equal((sidA, "LOGGED_IN"), Probe(a.Iqn));
            Assert.Equal("up", SysfsProbe.ReadAttribute($"/sys/class/iscsi_connection/connection{sidA}:0", "state"));
            await File.WriteAllTextAsync("/proc/sys/vm/drop_caches", "3", ct);
            Assert.Equal(data, await ReadAsync(diskA, data.Length, ct));

            Assert.True(await initiator.LogoutAsync(sidA, cancellationToken: ct));
            Assert.True(await initiator.LogoutAsync(sidB, cancellationToken: ct));
        }
    }

    [VmFact]
    public async Task Two_adopters_started_at_once_exactly_one_owns_and_the_other_names_its_pid_and_bad_records_are_reported()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using IDisposable noIscsid = vm.SuspendIscsid();
        using LioTarget a = LoginVm.Target("adopt-two-a");
        using LioTarget b = LoginVm.Target("adopt-two-b");
        using LioTarget c = LoginVm.Target("adopt-two-c");
        IscsiNodeDatabase db = Records(a.Iqn, b.Iqn, c.Iqn);
        (HelperProcess victim, int sidA, _, int sidB, _) = await LoginInVictimAsync(a.Iqn, b.Iqn, c.Iqn);
        using (victim)
        using (var cleanup = new IscsiInitiator())
        {
            victim.KillNine();
            int sidC = Probe(c.Iqn).Sid;

            // Bad input, edited behind the sessions' back (the DB API refuses to delete a record in use, as iscsiadm):
            // b's record now names another portal (record mismatch), c's record is gone (no record).
            Directory.Delete(Path.Combine(DbRoot, "nodes", b.Iqn), recursive: true);
            db.Create(b.Iqn, new IscsiPortal("127.0.0.2", 3260));
            Directory.Delete(Path.Combine(DbRoot, "nodes", c.Iqn), recursive: true);

            using HelperProcess first = HelperProcess.StartHelper("adopt", DbRoot, LockDir);
            using HelperProcess second = HelperProcess.StartHelper("adopt", DbRoot, LockDir);
            Task<List<string>> firstLines = first.ReadUntilAsync("ready", Bounded);
            Task<List<string>> secondLines = second.ReadUntilAsync("ready", Bounded);
            string[] answers = [.. (await Task.WhenAll(firstLines, secondLines)).Select(l => Assert.Single(l))];
            int[] pids = [first.Process.Id, second.Process.Id];

            int owner = Array.FindIndex(answers, l => l.StartsWith("owned ", StringComparison.Ordinal));
            Assert.True(owner >= 0, "nobody owns: " + string.Join(" / ", answers));
            Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"owned {sidA}"), answers[owner]);
            Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"refused IscsiNative {pids[owner]}"), answers[1 - owner]);

            // In-process: a third adopter is refused too, with the owner's pid; then the owner exits and it can take over.
            using (var third = new IscsiInitiator())
            {
                IscsiOwnershipException refused = await Assert.ThrowsAsync<IscsiOwnershipException>(() => third.AdoptSessionsAsync(db, new IscsiAdoptionOptions { LockDirectory = LockDir }, ct));
                Assert.Equal((IscsiSessionOwnerKind.IscsiNative, (int?)pids[owner]), (refused.Owner, refused.OwnerPid));
                Assert.False(third.OwnsHost);

                HelperProcess winner = owner == 0 ? first : second;
                winner.Process.StandardInput.Close();
                Assert.Equal(0, winner.WaitForExit(Bounded));
                IscsiAdoptionResult taken = await third.AdoptSessionsAsync(db, new IscsiAdoptionOptions { LockDirectory = LockDir }, ct);
                Assert.Equal(IscsiAdoptionOutcome.Adopted, Assert.Single(taken.Sessions, s => s.Sid == sidA).Outcome);
                IscsiAdoptedSession mismatch = Assert.Single(taken.Sessions, s => s.Sid == sidB);
                Assert.Equal(IscsiAdoptionOutcome.RecordMismatch, mismatch.Outcome);
                Assert.Contains("127.0.0.2:3260", mismatch.Reason, StringComparison.Ordinal);
                Assert.Equal(IscsiAdoptionOutcome.NoRecord, Assert.Single(taken.Sessions, s => s.Sid == sidC).Outcome);
                Assert.All(new[] { a.Iqn, b.Iqn, c.Iqn }, iqn => Assert.Equal("LOGGED_IN", Probe(iqn).State));
            }

            foreach (int sid in new[] { sidA, sidB, sidC })
            {
                Assert.True(await cleanup.LogoutAsync(sid, cancellationToken: ct));
            }
        }
    }

    [VmFact]
    public async Task With_iscsid_running_adoption_is_refused_and_names_iscsid()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        Assert.True(File.ReadLines("/proc/net/unix").Any(l => l.EndsWith("@ISCSIADM_ABSTRACT_NAMESPACE", StringComparison.Ordinal)), "the fixture's iscsid is not running");
        int iscsid = Directory.EnumerateDirectories("/proc").Select(d => Path.GetFileName(d))
            .Where(n => n.All(char.IsAsciiDigit) && Comm(n) == "iscsid").Select(HelperProcess.ParsePid).Min();
        using var initiator = new IscsiInitiator();
        IscsiOwnershipException e = await Assert.ThrowsAsync<IscsiOwnershipException>(
            () => initiator.AdoptSessionsAsync(new IscsiNodeDatabase(new IscsiNodeDatabaseOptions { Root = DbRoot, LockDirectory = Path.Combine(DbRoot, ".lock") }), new IscsiAdoptionOptions { LockDirectory = LockDir }, ct));
        Assert.Equal((IscsiSessionOwnerKind.Iscsid, (int?)iscsid), (e.Owner, e.OwnerPid));
        Assert.Contains("iscsid is running", e.Message, StringComparison.Ordinal);
        Assert.False(initiator.OwnsHost);
        Assert.False(File.Exists(Path.Combine(LockDir, "owner.lock")), "the lock was touched although iscsid runs");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string? Comm(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static (int Sid, string State) Probe(string iqn)
    {
        ProbedSession s = Assert.Single(SysfsProbe.SessionsTo(iqn));
        return (s.Sid, s.State);
    }

    private static async Task WriteAsync(string disk, byte[] data, CancellationToken ct)
    {
        using var stream = new FileStream(disk, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 20, FileOptions.WriteThrough);
        await stream.WriteAsync(data, ct);
        stream.Flush(flushToDisk: true);
    }

    private static async Task<byte[]> ReadAsync(string disk, int length, CancellationToken ct)
    {
        using var stream = new FileStream(disk, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20);
        byte[] buffer = new byte[length];
        await stream.ReadExactlyAsync(buffer, ct);
        return buffer;
    }

    /// <summary>Node records (automatic, replacement_timeout <see cref="ReplacementTimeout"/>) in this test's database.</summary>
    private IscsiNodeDatabase Records(params string[] iqns)
    {
        var db = new IscsiNodeDatabase(new IscsiNodeDatabaseOptions { Root = DbRoot, LockDirectory = Path.Combine(DbRoot, ".lock") });
        foreach (string iqn in iqns)
        {
            db.Create(iqn, LoginVm.Portal, 1);
            db.Update(iqn, LoginVm.Portal, "default", n =>
            {
                n.ReplacementTimeout = ReplacementTimeout;
                n.LoginTimeout = 10;
                n.Startup = IscsiNodeStartup.Automatic;
            });
        }

        return db;
    }

    /// <summary>The helper logs the nodes in (it owns them: its initiator would recover them) and waits to be killed.</summary>
    private async Task<(HelperProcess Victim, int SidA, string DiskA, int SidB, string DiskB)> LoginInVictimAsync(string a, string b, params string[] more)
    {
        HelperProcess victim = HelperProcess.StartHelper(["login", DbRoot, a, b, .. more]);
        List<string> lines = await victim.ReadUntilAsync("ready", Bounded);
        Assert.Equal(2 + more.Length, lines.Count);
        string[] first = lines[0].Split(' ');
        string[] second = lines[1].Split(' ');
        Assert.Equal((a, "LOGGED_IN"), (a, SysfsProbe.SessionsTo(a).Single().State));
        return (victim, HelperProcess.ParsePid(first[1]), first[2], HelperProcess.ParsePid(second[1]), second[2]);
    }
}
