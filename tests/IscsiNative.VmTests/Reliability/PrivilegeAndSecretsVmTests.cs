using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IscsiNative.Initiator;
using IscsiNative.Nodes;
using IscsiNative.Sysfs;
using IscsiNative.VmTests.Adoption;
using IscsiNative.VmTests.Infrastructure;
using IscsiNative.VmTests.Login;
using IscsiNative.VmTests.Oracle;
using Microsoft.Extensions.Logging;

namespace IscsiNative.VmTests.Reliability;

/// <summary>
/// Privilege and secrets (issue 17): every public operation run as an unprivileged user either works (reads of
/// sysfs, discovery over plain TCP) or is refused with <see cref="UnauthorizedAccessException"/> naming what is
/// needed, and changes nothing; CHAP secrets appear in no log line at any level, no exception, no ToString() and no
/// output of the CLI, for logins that succeed and logins that fail.
/// </summary>
[Collection(VmCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PrivilegeAndSecretsVmTests(VmFixture vm) : IDisposable
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(150);
    private static readonly string[] Allowed = ["GetSessions", "TryGetSession", "EnumerateSessions", "DiscoverAsync"];
    private static readonly string[] Privileged = ["LoginAsync", "LogoutAsync", "GetStatisticsAsync", "RescanAsync", "WatchEventsAsync", "AdoptSessionsAsync", "LoginNodeAsync"];

    private readonly string _root = Directory.CreateTempSubdirectory("unpriv-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [VmFact]
    public async Task Every_public_operation_run_unprivileged_works_read_only_or_is_refused_with_a_hint_and_changes_nothing()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LoginVm.Target("unpriv");
        string db = Path.Combine(_root, "db");
        var nodes = new IscsiNodeDatabase(new IscsiNodeDatabaseOptions { Root = db, LockDirectory = Path.Combine(db, ".lock") });
        nodes.Create(target.Iqn, LoginVm.Portal, 1);
        Directory.CreateDirectory(Path.Combine(db, ".adopt-lock"));
        foreach (string dir in Directory.GetDirectories(_root, "*", SearchOption.AllDirectories).Append(_root))
        {
            File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("755", 8));
        }

        // Without iscsid: an adoption would otherwise be refused for iscsid's ownership before privileges matter.
        using IDisposable noIscsid = vm.SuspendIscsid();
        await using var initiator = new IscsiInitiator();
        IscsiSession session = await initiator.LoginAsync(target.Iqn, LoginVm.Portal, LoginVm.Options(), ct);
        try
        {
            string disk = LoginVm.AssertDisk(session);
            var sysfsBefore = Snapshot();
            string filesBefore = Files(db);

            using HelperProcess helper = HelperProcess.Start(
                "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--",
                "env", "HOME=/tmp", "DOTNET_CLI_TELEMETRY_OPTOUT=1", "dotnet", HelperProcess.HelperPath, "unpriv", db, target.Iqn, session.Sid.ToString(CultureInfo.InvariantCulture));
            List<string> lines = await helper.ReadUntilAsync("ready", Bounded);
            Assert.Equal(0, helper.WaitForExit(Bounded));
            LoginVm.Report("unprivileged: " + string.Join(" | ", lines));

            Dictionary<string, string> outcome = lines.Select(l => l.Split(' ', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
            Assert.Equal(Allowed.Concat(Privileged).Order(StringComparer.Ordinal), outcome.Keys.Order(StringComparer.Ordinal));
            Assert.All(Allowed, op => Assert.Equal("ok", outcome[op]));
            Assert.All(Privileged, op =>
            {
                Assert.StartsWith("denied ", outcome[op], StringComparison.Ordinal);
                Assert.Matches("root|CAP_", outcome[op]);
            });

            // Nothing changed: same sessions in the same states, the disk still there, the node database untouched.
            Assert.Equal(sysfsBefore, Snapshot());
            Assert.Equal(Files(db), filesBefore);
            Assert.True(File.Exists(disk));
            Assert.Equal("LOGGED_IN", Assert.Single(SysfsProbe.SessionsTo(target.Iqn)).State);
        }
        finally
        {
            Assert.True(await initiator.LogoutAsync(session, ct));
        }
    }

    [VmFact]
    public async Task Chap_secrets_appear_in_no_log_level_exception_ToString_or_cli_output()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string secret = "Sec" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6));
        string targetSecret = "Tgt" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6));
        string wrong = "Wrg" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6));
        string[] secrets = [secret, targetSecret, wrong];
        using LioTarget target = LoginVm.Target("secrets", new Infrastructure.ChapCredentials("secuser", secret, "sectarget", targetSecret));
        var log = new CapturingLogger();
        var captured = new StringBuilder();
        await using (var initiator = new IscsiInitiator(new IscsiInitiatorOptions { LoggerFactory = log }))
        {
            await using RecoveryWatch watch = RecoveryWatch.Start(initiator);

            // A mutual CHAP login, its session, stats and logout; an outage and recovery (re-authentication).
            using (var chap = IscsiNative.Protocol.ChapCredentials.Mutual("secuser", secret, "sectarget", targetSecret))
            {
                LoginOptions options = LoginVm.Options(chap);
                IscsiSession session = await initiator.LoginAsync(target.Iqn, LoginVm.Portal, options, ct);
                captured.AppendLine(session.ToString()).AppendLine(options.ToString()).AppendLine(chap.ToString()).AppendLine(session.Parameters?.ToString());
                captured.AppendLine((await initiator.GetStatisticsAsync(session.Sid, ct)).ToString());
                target.SetEnabled(false);
                Assert.True(SysfsProbe.WaitForState(target.Iqn, "FAILED", Bounded));
                target.SetEnabled(true);
                await watch.WaitForRecoveredAsync(session.Sid, Bounded);
                Assert.True(await initiator.LogoutAsync(session, ct));
            }

            // Refused logins: a wrong initiator secret (the target rejects) and a wrong target secret (we reject).
            foreach (IscsiNative.Protocol.ChapCredentials bad in new[]
            {
                IscsiNative.Protocol.ChapCredentials.OneWay("secuser", wrong),
                IscsiNative.Protocol.ChapCredentials.Mutual("secuser", secret, "sectarget", wrong),
            })
            {
                using (bad)
                {
                    IscsiException e = await Assert.ThrowsAnyAsync<IscsiException>(() => initiator.LoginAsync(target.Iqn, LoginVm.Portal, LoginVm.Options(bad), ct));
                    Assert.IsType<IscsiAuthenticationException>(e);
                    captured.AppendLine(e.Message).AppendLine(e.ToString()).AppendLine(bad.ToString());
                }
            }
        }

        Assert.Empty(SysfsProbe.SessionsTo(target.Iqn));
        captured.Append(log.Text);
        Assert.Contains(LogLevel.Debug, log.Levels);
        Assert.True(log.Lines > 50, $"too little logged ({log.Lines} lines) for the check to mean anything");

        // The CLI (the library's own login: iscsid stopped): login with CHAP, sessions as JSON and -P 3, logout, a refused login.
        using IDisposable noIscsid = vm.SuspendIscsid();
        using LioTarget cliTarget = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn("secrets-cli")) { InitiatorIqn = vm.InitiatorIqn, Chap = new("cliuser", secret, "clitarget", targetSecret) });
        string[] chapArgs = ["--chap-user", "cliuser", "--chap-password", secret, "--chap-user-in", "clitarget", "--chap-password-in", targetSecret];
        ProcessResult login = Cli(["node", "-T", cliTarget.Iqn, "-p", "127.0.0.1", "--login", .. chapArgs]);
        Assert.True(login.ExitCode == 0, login.StdOut + login.StdErr);
        ProcessResult json = Cli(["session", "--json", "-P", "3"]);
        Assert.Contains(cliTarget.Iqn, json.StdOut, StringComparison.Ordinal);
        ProcessResult p3 = Cli(["session", "-P", "3"]);
        ProcessResult logout = Cli(["node", "-T", cliTarget.Iqn, "-p", "127.0.0.1", "--logout"]);
        Assert.Equal(0, logout.ExitCode);
        ProcessResult refused = Cli(["node", "-T", cliTarget.Iqn, "-p", "127.0.0.1", "--login", "--chap-user", "cliuser", "--chap-password", wrong]);
        Assert.NotEqual(0, refused.ExitCode);
        foreach (ProcessResult r in new[] { login, json, p3, logout, refused })
        {
            // The command line itself holds the secrets (the CLI's own arguments); only its output is searched.
            captured.AppendLine(r.StdOut).AppendLine(r.StdErr);
        }

        string all = captured.ToString();
        foreach (string s in secrets)
        {
            Assert.DoesNotContain(s, all, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexString(Encoding.ASCII.GetBytes(s)), all, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.ASCII.GetBytes(s)), all, StringComparison.Ordinal);
        }

        LoginVm.Report(string.Create(CultureInfo.InvariantCulture, $"secrets: {log.Lines} log lines (levels {string.Join(',', log.Levels.Order())}) + exceptions + ToString + CLI output ({all.Length} chars) searched, no secret found"));
    }

    private static ProcessResult Cli(string[] arguments) => LibraryOutput.RunCli(Bounded, arguments);

    private static string Snapshot() => string.Join('\n', SysfsProbe.Sessions().Select(s => $"{s.Sid} {s.TargetName} {s.State}")) + "\n" + string.Join(',', LoginVm.KernelObjects().Hosts);

    private static string Files(string root) => string.Join('\n', Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => f + " " + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))));

    /// <summary>Every log call at every level, formatted, with its exception's ToString().</summary>
    private sealed class CapturingLogger : ILoggerFactory, ILogger
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public ConcurrentDictionary<LogLevel, byte> LevelSet { get; } = new();

        public IReadOnlyCollection<LogLevel> Levels => [.. LevelSet.Keys];

        public int Lines => _lines.Count;

        public string Text => string.Join('\n', _lines);

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            LevelSet[logLevel] = 0;
            var line = new StringBuilder().Append(logLevel).Append(' ').Append(eventId.Id).Append(' ').Append(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (KeyValuePair<string, object?> kv in values)
                {
                    line.Append(' ').Append(kv.Key).Append('=').Append(kv.Value);
                }
            }

            _lines.Enqueue(line.Append(' ').Append(exception).ToString());
        }

        public void Dispose()
        {
        }
    }

    /// <summary>Waits for a session's Recovered event.</summary>
    private sealed class RecoveryWatch : IAsyncDisposable
    {
        private readonly Recovery.RecoveryEvents _events;

        private RecoveryWatch(Recovery.RecoveryEvents events) => _events = events;

        public static RecoveryWatch Start(IscsiInitiator initiator) => new(Recovery.RecoveryEvents.Start(initiator));

        public Task WaitForRecoveredAsync(int sid, TimeSpan timeout) => _events.WaitForAsync(IscsiSessionEventKind.Recovered, sid, timeout);

        public ValueTask DisposeAsync() => _events.DisposeAsync();
    }
}
