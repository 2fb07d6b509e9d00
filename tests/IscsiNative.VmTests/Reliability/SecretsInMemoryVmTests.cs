using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IscsiNative.VmTests.Adoption;
using IscsiNative.VmTests.Infrastructure;
using IscsiNative.VmTests.Login;

namespace IscsiNative.VmTests.Reliability;

/// <summary>
/// CHAP secrets in process memory (issue 17, privilege and secrets): a process that logged in with mutual CHAP, went
/// through a connection recovery (which authenticates again) and logged out holds no copy of either secret anywhere in
/// its writable or anonymous memory — no stale copy in the GC heap, a pooled buffer, a netlink send buffer or a native
/// allocation. Searched as ASCII, UTF-16 and hex. The positive control (both secrets found while the session is
/// logged in, where <see cref="IscsiNative.Protocol.ChapCredentials"/> keeps them) shows the search can find them.
/// </summary>
[Collection(VmCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SecretsInMemoryVmTests(VmFixture vm)
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(120);

    [VmFact]
    [LeavesNoSession]
    public async Task No_copy_of_either_chap_secret_is_left_in_the_process_after_recovery_logout_and_dispose()
    {
        string secret = RandomSecret(), targetSecret = RandomSecret();
        using IDisposable noIscsid = vm.SuspendIscsid();
        using LioTarget target = LoginVm.Target("secmem", new ChapCredentials("memuser", secret, "memtarget", targetSecret));
        Dictionary<string, byte[]> patterns = Patterns(("secret", secret), ("target-secret", targetSecret));

        using HelperProcess helper = HelperProcess.StartHelper("chap-memory", LoginVm.InitiatorName, target.Iqn);
        helper.Process.StandardInput.Write(secret + "\n" + targetSecret + "\n");
        helper.Process.StandardInput.Flush();
        string sessionLine = (await helper.ReadUntilPrefixAsync("session ", Bounded))[^1];
        int sid = int.Parse(sessionLine["session ".Length..], NumberStyles.None, CultureInfo.InvariantCulture);
        Assert.Equal("LOGGED_IN", Assert.Single(SysfsProbe.SessionsTo(target.Iqn)).State);

        // Positive control: the credentials object holds one copy of each secret while the session may still need them.
        ProcessMemory.Result loggedIn = ProcessMemory.Search(helper.Process.Id, patterns);
        LoginVm.Report($"secrets in memory, logged in (sid {sid}): {loggedIn.Count} hits in {loggedIn.ScannedBytes >> 20} MiB of {loggedIn.Regions} mappings: {loggedIn}");
        Assert.NotEmpty(loggedIn.Hits["secret ascii"]);
        Assert.NotEmpty(loggedIn.Hits["target-secret ascii"]);

        // A target outage and its recovery: the reconnect authenticates again with both secrets.
        target.SetEnabled(false);
        Assert.True(Wait.Until(() => SysfsProbe.SessionsTo(target.Iqn) is [{ State: not "LOGGED_IN" }], Bounded), "the session did not leave LOGGED_IN when its TPG was disabled");
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        target.SetEnabled(true);
        Assert.True(SysfsProbe.WaitForState(target.Iqn, "LOGGED_IN", Bounded), "the session was not recovered after the TPG came back");

        helper.Process.StandardInput.Write("logout\n");
        helper.Process.StandardInput.Flush();
        await helper.ReadUntilAsync("done", Bounded);
        Assert.Empty(SysfsProbe.SessionsTo(target.Iqn));

        ProcessMemory.Result after = ProcessMemory.Search(helper.Process.Id, patterns);
        LoginVm.Report($"secrets in memory, after recovery + logout + dispose: {after.Count} hits in {after.ScannedBytes >> 20} MiB of {after.Regions} mappings ({after.UnreadableBytes >> 10} KiB unreadable): {after}");
        Assert.True(after.ScannedBytes > 16L << 20, $"only {after.ScannedBytes} bytes scanned: the search did not see the heap");
        Assert.True(after.Count == 0, "CHAP secret bytes left in the process: " + after);

        helper.Process.StandardInput.Close();
        Assert.Equal(0, helper.WaitForExit(Bounded));
    }

    /// <summary>24 random letters and digits: unique enough that any hit is a copy of this secret.</summary>
    private static string RandomSecret() => RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 24);

    private static Dictionary<string, byte[]> Patterns(params (string Name, string Value)[] secrets)
    {
        var patterns = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach ((string name, string value) in secrets)
        {
            byte[] ascii = Encoding.ASCII.GetBytes(value);
            patterns[name + " ascii"] = ascii;
            patterns[name + " utf16"] = Encoding.Unicode.GetBytes(value);
            patterns[name + " hex"] = Encoding.ASCII.GetBytes(Convert.ToHexString(ascii));
            patterns[name + " hex-lower"] = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(ascii));
        }

        return patterns;
    }
}
