using IscsiNative.Iscsid;

namespace IscsiNative.VmTests.Iscsid;

/// <summary>
/// Makes sure iscsid runs inside the VM stage for the class; stops it again (by its pid file) only if it started it.
/// Does nothing outside the VM.
/// </summary>
public sealed class IscsidFixture : IDisposable
{
    private readonly bool _started;

    public IscsidFixture()
    {
        if (!StageShell.InVm)
        {
            return;
        }

        Directory.CreateDirectory("/run/lock/iscsi");
        if (!File.Exists("/etc/iscsi/initiatorname.iscsi")
            || !File.ReadAllText("/etc/iscsi/initiatorname.iscsi").Contains("InitiatorName=", StringComparison.Ordinal))
        {
            File.WriteAllText("/etc/iscsi/initiatorname.iscsi", "InitiatorName=iqn.1993-08.org.debian:01:stagevm\n");
        }

        var client = new IscsidClient();
        if (!Reachable(client))
        {
            StageShell.Check("iscsid");
            _started = true;
            StageShell.WaitUntil(() => Reachable(client), TimeSpan.FromSeconds(20));
        }
    }

    public void Dispose()
    {
        if (_started)
        {
            StageShell.Run("[ -f /run/iscsid.pid ] && kill $(cat /run/iscsid.pid)");
        }
    }

    private static bool Reachable(IscsidClient client)
    {
        client.TryGetSessionState(0, TimeSpan.FromSeconds(5), out _, out IscsidError error);
        return !error.IsNotConnected;
    }
}
