using IscsiNative;
using IscsiNative.Initiator;
using IscsiNative.Nodes;

/// <summary>Every public operation once, as whatever user runs the helper; the outcome of each on one line.</summary>
internal static class Unprivileged
{
    public static async Task RunAsync(IscsiInitiator initiator, IscsiNodeDatabase db, string iqn, int sid)
    {
        var portal = new IscsiPortal("127.0.0.1", 3260);
        var options = new LoginOptions { InitiatorName = "iqn.2004-10.org.iscsinative:unpriv", LoginTimeout = TimeSpan.FromSeconds(15), ConnectTimeout = TimeSpan.FromSeconds(10) };
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        CancellationToken ct = bound.Token;
        await Run("GetSessions", () => Task.FromResult(initiator.GetSessions().Count));
        await Run("TryGetSession", () => Task.FromResult(initiator.TryGetSession(sid, out _)));
        await Run("EnumerateSessions", () =>
        {
            int n = 0;
            foreach (ref readonly IscsiNative.Sysfs.IscsiSessionEntry _ in initiator.EnumerateSessions())
            {
                n++;
            }

            return Task.FromResult(n);
        });
        await Run("DiscoverAsync", () => initiator.DiscoverAsync(portal, null, ct));
        await Run("LoginAsync", () => initiator.LoginAsync(iqn, portal, options, ct));
        await Run("LogoutAsync", () => initiator.LogoutAsync(sid, TimeSpan.FromSeconds(10), ct));
        await Run("GetStatisticsAsync", () => initiator.GetStatisticsAsync(sid, ct));
        await Run("RescanAsync", () => initiator.RescanAsync(sid, TimeSpan.FromSeconds(10), ct));
        await Run("WatchEventsAsync", async () =>
        {
            // Allowed, it would stream until the brief token ends it (then MoveNextAsync is false).
            using var brief = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            await using IAsyncEnumerator<IscsiSessionEvent> e = initiator.WatchEventsAsync(brief.Token).GetAsyncEnumerator(brief.Token);
            return await e.MoveNextAsync();
        });
        await Run("AdoptSessionsAsync", () => initiator.AdoptSessionsAsync(db, new IscsiAdoptionOptions { LockDirectory = Path.Combine(Path.GetTempPath(), "unpriv-lock") }, ct));
        await Run("LoginNodeAsync", () => db.Find(iqn, portal) is { } node ? initiator.LoginNodeAsync(node, ct) : throw new InvalidOperationException("no record"));
    }

    private static async Task Run<T>(string name, Func<Task<T>> operation)
    {
        try
        {
            await operation();
            Console.WriteLine(name + " ok");
        }
        catch (UnauthorizedAccessException e)
        {
            Console.WriteLine(name + " denied " + e.Message.ReplaceLineEndings(" "));
        }
        catch (Exception e)
        {
            Console.WriteLine(name + " failed " + e.GetType().Name + " " + e.Message.ReplaceLineEndings(" "));
        }
    }
}
