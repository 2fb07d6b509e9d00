using System.Globalization;
using IscsiNative;
using IscsiNative.Initiator;
using IscsiNative.Nodes;
using IscsiNative.Hosting;
using IscsiNative.Sysfs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

// Usage:
//   login DBROOT IQN...      log in each node record (portal 127.0.0.1:3260), print "session SID /dev/sdX" per node,
//                            then "ready", then wait for stdin to close (the VM tests kill -9 it instead).
//   login-once DBROOT IQN    log in one node record and log out again: "ok SID", or "error TYPE MESSAGE" and exit 3
//                            (the message of the library's typed exception, e.g. a missing capability).
//   adopt DBROOT LOCKDIR     adopt the host's sessions, print "owned SID..." or "refused OWNER PID", then "ready",
//                            then hold the ownership until stdin closes.
//   unpriv DBROOT IQN SID    (run as an unprivileged user) every public operation once against target IQN and live
//                            session SID; one line each: "OP ok", "OP denied MESSAGE" (UnauthorizedAccessException) or
//                            "OP failed TYPE MESSAGE"; then "ready" and exit.
//   login-hold INITIATOR IQN PHASE [CHAPUSER CHAPSECRET]
//                            log in to IQN at 127.0.0.1:3260 (no node record, LUN scan on; one-way CHAP when given) and
//                            stop at the end of the login phase PHASE (a PhaseTrace name, e.g. "login: TCP connect"):
//                            print "at SID", then block (the VM tests kill -9 it there).
//   chap-memory INITIATOR IQN
//                            mutual CHAP login with secrets read as raw bytes from stdin (two lines), print
//                            "session SID"; on the next stdin line log out, dispose, compacting GC, print "done", then
//                            wait for stdin to close (the VM test searches this process's memory meanwhile).
//   host DBROOT LOCKDIR [KEY=VALUE...]
//                            run the hosted session owner (AddIscsiNative; KEY is an IscsiNative option, e.g.
//                            AdoptExistingSessions=false); after its start print "phase PHASE", "health STATUS
//                            DESCRIPTION" (or "start-failed MESSAGE"), then "ready"; when stdin closes stop the host
//                            and print "stopped".
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: login DBROOT IQN... | adopt DBROOT LOCKDIR | host DBROOT LOCKDIR [KEY=VALUE...]");
    return 2;
}

if (args[0] == "login-hold" && args.Length is 4 or 6)
{
    using var held = new IscsiInitiator();
    using IscsiNative.Protocol.ChapCredentials? chap = args.Length == 6 ? IscsiNative.Protocol.ChapCredentials.OneWay(args[4], args[5]) : null;
    PhaseTrace.SetSink(new HoldForKill(args[3]));
    IscsiSession never = await held.LoginAsync(args[2], new IscsiPortal("127.0.0.1", 3260), new LoginOptions { InitiatorName = args[1], Credentials = chap, ConnectTimeout = TimeSpan.FromSeconds(60), LoginTimeout = TimeSpan.FromSeconds(60) });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"logged-in {never.Sid} (the phase was never reached)"));
    return 4;
}

if (args[0] == "chap-memory" && args.Length == 3)
{
    return await ChapMemory.RunAsync(args[1], args[2]);
}

if (args[0] == "host" && args.Length >= 3)
{
    return await RunHostAsync(args[1], args[2], args[3..]);
}

var db = new IscsiNodeDatabase(new IscsiNodeDatabaseOptions { Root = args[1], LockDirectory = Path.Combine(args[1], ".lock") });
using var initiator = new IscsiInitiator();
switch (args[0])
{
    case "login":
        foreach (string iqn in args[2..])
        {
            IscsiNodeRecord node = db.Find(iqn, new IscsiPortal("127.0.0.1", 3260)) ?? throw new InvalidOperationException("no record for " + iqn);
            IscsiSession session = await initiator.LoginNodeAsync(node);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"session {session.Sid} {session.Devices[0].DevicePath}"));
        }

        break;
    case "login-once":
        try
        {
            IscsiNodeRecord once = db.Find(args[2], new IscsiPortal("127.0.0.1", 3260)) ?? throw new InvalidOperationException("no record for " + args[2]);
            IscsiSession s = await initiator.LoginNodeAsync(once);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ok {s.Sid}"));
            await initiator.LogoutAsync(s);
            return 0;
        }
        catch (Exception e) when (e is IscsiException or UnauthorizedAccessException)
        {
            Console.WriteLine($"error {e.GetType().Name} {e.Message}");
            return 3;
        }

    case "adopt":
        try
        {
            IscsiAdoptionResult result = await initiator.AdoptSessionsAsync(db, new IscsiAdoptionOptions { LockDirectory = args[2] });
            Console.WriteLine("owned " + string.Join(' ', result.Owned.Select(s => s.Sid.ToString(CultureInfo.InvariantCulture))));
        }
        catch (IscsiOwnershipException e)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"refused {e.Owner} {e.OwnerPid}"));
        }

        break;
    case "unpriv":
        await Unprivileged.RunAsync(initiator, db, args[2], int.Parse(args[3], CultureInfo.InvariantCulture));
        Console.WriteLine("ready");
        return 0;
    default:
        Console.Error.WriteLine("unknown command " + args[0]);
        return 2;
}

Console.WriteLine("ready");
Console.Out.Flush();
while (Console.In.ReadLine() is not null)
{
}

return 0;

static async Task<int> RunHostAsync(string dbRoot, string lockDir, string[] settings)
{
    // No default configuration sources: no appsettings.json file watcher on the build output (a 9p share in the VM).
    Console.Error.WriteLine("host: building");
    HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true, ContentRootPath = Path.GetTempPath() });
    var values = new Dictionary<string, string?>
    {
        ["IscsiNative:DatabaseRoot"] = dbRoot,
        ["IscsiNative:DatabaseLockDirectory"] = Path.Combine(dbRoot, ".lock"),
        ["IscsiNative:OwnershipLockDirectory"] = lockDir,
    };
    foreach (string kv in settings)
    {
        int eq = kv.IndexOf('=', StringComparison.Ordinal);
        values["IscsiNative:" + kv[..eq]] = kv[(eq + 1)..];
    }

    builder.Configuration.AddInMemoryCollection(values);
    builder.Services.AddIscsiNative(builder.Configuration.GetSection(IscsiNativeHostingOptions.SectionName));
    using IHost host = builder.Build();
    Console.Error.WriteLine("host: starting");
    try
    {
        await host.StartAsync();
        Console.Error.WriteLine("host: started");
    }
    catch (Exception e) when (e is not OutOfMemoryException)
    {
        Console.WriteLine("start-failed " + e.Message.ReplaceLineEndings(" "));
        return 1;
    }

    Console.WriteLine("phase " + host.Services.GetRequiredService<IscsiSessionOwnerService>().Phase);
    HealthReport report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
    HealthReportEntry entry = report.Entries[IscsiNativeServiceCollectionExtensions.HealthCheckName];
    Console.WriteLine($"health {entry.Status} {entry.Description}");
    Console.WriteLine("ready");
    Console.Out.Flush();
    while (Console.In.ReadLine() is not null)
    {
    }

    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
    await host.StopAsync(stop.Token);
    Console.WriteLine("stopped");
    return 0;
}

/// <summary>At the end of the named login phase: prints "at SID" and blocks the login for good (the test kills the process).</summary>
internal sealed class HoldForKill(string phase) : IPhaseSink
{
    public void Record(string name, uint sid, long begin, long end)
    {
        if (name == phase)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"at {sid}"));
            Console.Out.Flush();
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
