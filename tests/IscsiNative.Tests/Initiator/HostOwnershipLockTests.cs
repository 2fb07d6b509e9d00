using System.Diagnostics;
using IscsiNative.Initiator;

namespace IscsiNative.Tests.Initiator;

/// <summary>The host ownership lock (flock) between holders in this process and in a child process, and iscsid detection.</summary>
public sealed class HostOwnershipLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("owner-lock-").FullName;

    [Fact]
    public void A_second_holder_in_the_same_process_is_refused_with_the_owner_pid_until_the_first_releases()
    {
        using (HostOwnershipLock first = Assert.IsType<HostOwnershipLock>(HostOwnershipLock.TryAcquire(_dir, out int? none)))
        {
            Assert.Null(none);
            Assert.Null(HostOwnershipLock.TryAcquire(_dir, out int? owner));
            Assert.Equal(Environment.ProcessId, owner);
        }

        using HostOwnershipLock? again = HostOwnershipLock.TryAcquire(_dir, out _);
        Assert.NotNull(again);
    }

    [Fact]
    public async Task A_child_process_holding_the_lock_refuses_us_and_its_death_frees_the_lock()
    {
        string path = Path.Combine(_dir, HostOwnershipLock.FileName);
        File.WriteAllText(path, "");
        var psi = new ProcessStartInfo("flock", ["-n", "-o", path, "sh", "-c", "echo $PPID > \"$0\"; echo held; exec sleep 30", path])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using Process child = Process.Start(psi)!;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            Assert.Equal("held", await child.StandardOutput.ReadLineAsync(cts.Token));
            Assert.Null(HostOwnershipLock.TryAcquire(_dir, out int? owner));
            Assert.Equal(child.Id, owner);
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            Assert.True(child.WaitForExit(TimeSpan.FromSeconds(10)));
        }

        HostOwnershipLock? mine = null;
        for (int i = 0; i < 100 && (mine = HostOwnershipLock.TryAcquire(_dir, out _)) is null; i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        using (mine)
        {
            Assert.NotNull(mine);
        }
    }

    [Fact]
    public void Iscsid_is_detected_by_its_abstract_socket_or_a_live_pid_file_and_a_stale_pid_file_is_ignored()
    {
        string proc = Path.Combine(_dir, "proc");
        Directory.CreateDirectory(Path.Combine(proc, "net"));
        Directory.CreateDirectory(Path.Combine(proc, "4242"));
        Directory.CreateDirectory(Path.Combine(proc, "777"));
        File.WriteAllText(Path.Combine(proc, "4242", "comm"), "iscsid\n");
        File.WriteAllText(Path.Combine(proc, "777", "comm"), "bash\n");
        string unix = Path.Combine(proc, "net", "unix");
        const string Header = "Num       RefCount Protocol Flags    Type St Inode Path\n";
        File.WriteAllText(unix, Header + "0000000000000000: 00000002 00000000 00010000 0001 01 1234 @ISCSIADM_ABSTRACT_NAMESPACE-99\n");
        string pidFile = Path.Combine(_dir, "iscsid.pid");

        Assert.False(IscsidPresence.IsRunning(proc, pidFile, "ISCSIADM_ABSTRACT_NAMESPACE", out _));

        File.WriteAllText(pidFile, "777\n");
        Assert.False(IscsidPresence.IsRunning(proc, pidFile, "ISCSIADM_ABSTRACT_NAMESPACE", out _));

        File.WriteAllText(pidFile, "4242\n");
        Assert.True(IscsidPresence.IsRunning(proc, pidFile, "ISCSIADM_ABSTRACT_NAMESPACE", out int? byPidFile));
        Assert.Equal(4242, byPidFile);

        File.Delete(pidFile);
        File.WriteAllText(unix, Header + "0000000000000000: 00000002 00000000 00010000 0001 01 1234 @ISCSIADM_ABSTRACT_NAMESPACE\n");
        Assert.True(IscsidPresence.IsRunning(proc, pidFile, "ISCSIADM_ABSTRACT_NAMESPACE", out int? bySocket));
        Assert.Equal(4242, bySocket);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
