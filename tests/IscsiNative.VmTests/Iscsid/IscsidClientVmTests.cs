using System.Text.RegularExpressions;
using IscsiNative.Iscsid;
using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Iscsid;

/// <summary>IscsidClient against the real iscsid 2.1.8 (started by <see cref="VmFixture"/>) and a LIO target, with iscsiadm as the oracle.</summary>
[Collection(VmCollection.Name)]
public sealed partial class IscsidClientVmTests(VmFixture vm)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [VmFact]
    public void Session_state_follows_the_session_from_logged_in_to_failed_and_matches_iscsiadm()
    {
        var client = new IscsidClient();
        using var target = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn("iscsid-client")));
        using IscsiadmNode node = vm.Iscsiadm.Node(target.Iqn, target.Portal);
        try
        {
            vm.Iscsiadm.Run("-m", "node", "-T", target.Iqn, "-p", target.Portal, "-o", "new").EnsureSuccess();
            node.Login().EnsureSuccess();
            int sid = FindSid(target.Iqn);

            Assert.True(client.TryGetSessionState(sid, Timeout, out IscsidSessionState state, out IscsidError error, Ct), error.ToString());
            Assert.Equal("LOGGED IN", state.ConnectionStateName);
            Assert.Equal("NO CHANGE", state.InternalStateName);
            Assert.Equal((state.ConnectionStateName, state.InternalStateName), IscsiadmStates(sid));

            target.SetEnabled(false);
            Assert.True(
                Wait.Until(() => SysfsState(sid) == "FAILED", TimeSpan.FromSeconds(60)),
                "the session did not go FAILED after the portal group was disabled");
            IscsidSessionState failed = default;
            Assert.True(
                Wait.Until(
                    () => client.TryGetSessionState(sid, Timeout, out failed, out _, Ct)
                        && failed.ConnectionState == IscsidConnectionState.TransportWait,
                    TimeSpan.FromSeconds(30)),
                $"iscsid never reported TRANSPORT WAIT; last: {failed}");
            Assert.Equal("TRANSPORT WAIT", failed.ConnectionStateName);
            Assert.Equal("REOPEN", failed.InternalStateName);
            (string iscsiadmConnection, string iscsiadmInternal) = IscsiadmStates(sid);
            Assert.Contains(iscsiadmConnection, new[] { "TRANSPORT WAIT", "IN LOGIN" });
            Assert.Equal("REOPEN", iscsiadmInternal);

            target.SetEnabled(true);
            Assert.True(
                Wait.Until(() => SysfsState(sid) == "LOGGED_IN", TimeSpan.FromSeconds(60)),
                "the session did not recover after the portal group was re-enabled");
            Assert.True(
                Wait.Until(
                    () => client.TryGetSessionState(sid, Timeout, out state, out _, Ct)
                        && state.ConnectionState == IscsidConnectionState.LoggedIn,
                    TimeSpan.FromSeconds(30)),
                $"iscsid did not report LOGGED IN after recovery; last: {state}");
            Assert.Equal("NO CHANGE", state.InternalStateName);
        }
        finally
        {
            target.SetEnabled(true);
        }
    }

    [VmFact]
    public void Unknown_sid_is_session_not_found_from_iscsid()
    {
        var client = new IscsidClient();

        bool ok = client.TryGetSessionState(987654, Timeout, out IscsidSessionState state, out IscsidError error, Ct);

        Assert.False(ok);
        Assert.Equal(IscsidError.SessionNotFound, error.IscsiError);
        Assert.Null(error.IscsiadmMessage);
        Assert.Equal("Unknown / Unknown", state.ToString());
    }

    private static int FindSid(string iqn)
    {
        foreach (string dir in Directory.EnumerateDirectories("/sys/class/iscsi_session", "session*"))
        {
            if (File.ReadAllText(Path.Combine(dir, "targetname")).Trim() == iqn)
            {
                return int.Parse(Path.GetFileName(dir)["session".Length..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        Assert.Fail($"no sysfs session for {iqn}");
        return -1;
    }

    private static string SysfsState(int sid) =>
        File.ReadAllText($"/sys/class/iscsi_session/session{sid}/state").Trim();

    private (string Connection, string Internal) IscsiadmStates(int sid)
    {
        string output = vm.Iscsiadm.Run("-m", "session", "-r", sid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-P", "1").EnsureSuccess().StdOut;
        return (
            ConnectionLine().Match(output).Groups[1].Value,
            InternalLine().Match(output).Groups[1].Value);
    }

    [GeneratedRegex(@"\t\tiSCSI Connection State: (.*)\n")]
    private static partial Regex ConnectionLine();

    [GeneratedRegex(@"\t\tInternal iscsid Session State: (.*)\n")]
    private static partial Regex InternalLine();
}
