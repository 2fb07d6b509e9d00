namespace IscsiNative.VmTests.Infrastructure;

/// <summary>
/// Shared by every VM test (collection <see cref="VmCollection.Name"/>): starts iscsid once per run and exposes
/// the iscsiadm oracle. Outside the VM it does nothing (the tests skip). At the end it logs out of everything.
/// </summary>
public sealed class VmFixture : IAsyncLifetime
{
    private IscsidProcess? _iscsid;

    /// <summary>Gets the iscsiadm oracle.</summary>
    public Iscsiadm Iscsiadm { get; } = new();

    /// <summary>Gets the initiator IQN iscsid logs in with (for LIO ACLs).</summary>
    public string InitiatorIqn => IscsidProcess.InitiatorName;

    /// <summary>Gets the last iscsid log lines, for failure messages.</summary>
    public string IscsidLog => _iscsid?.RecentLog ?? string.Empty;

    /// <summary>
    /// Stops iscsid until the returned handle is disposed (tests of a session owner that must not compete with it).
    /// Log out of every session before disposing: a restarted iscsid syncs (re-logs in) the sessions it finds.
    /// </summary>
    /// <returns>Restarts iscsid on dispose.</returns>
    public IDisposable SuspendIscsid()
    {
        _iscsid?.Dispose();
        _iscsid = null;

        // A restarted iscsid that found sessions forks a sync child; end every iscsid of this VM, by pid.
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out int pid) && ReadComm(dir) == "iscsid")
            {
                try
                {
                    using var p = System.Diagnostics.Process.GetProcessById(pid);
                    p.Kill();
                    p.WaitForExit(TimeSpan.FromSeconds(10));
                }
                catch (ArgumentException)
                {
                }
            }
        }

        Assert.True(Wait.Until(() => !File.ReadLines("/proc/net/unix").Any(l => l.EndsWith("@ISCSIADM_ABSTRACT_NAMESPACE", StringComparison.Ordinal)), TimeSpan.FromSeconds(10)), "iscsid still listens");
        return new Resume(this);
    }

    /// <summary>Stops the iscsid this run started (for tests of what works without it); <see cref="StartIscsid"/> brings it back.</summary>
    public void StopIscsid()
    {
        _iscsid?.Dispose();
        _iscsid = null;
    }

    /// <summary>Starts iscsid again after <see cref="StopIscsid"/> (no-op while it runs).</summary>
    public void StartIscsid() => _iscsid ??= IscsidProcess.EnsureRunning();

    /// <inheritdoc/>
    public ValueTask InitializeAsync()
    {
        if (VmStage.IsActive)
        {
            _iscsid = IscsidProcess.EnsureRunning();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        if (_iscsid is not null)
        {
            Iscsiadm.LogoutAll();
            _iscsid.Dispose();
            _iscsid = null;
        }

        return ValueTask.CompletedTask;
    }

    private static string? ReadComm(string dir)
    {
        try
        {
            return File.ReadAllText(Path.Combine(dir, "comm")).Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private sealed class Resume(VmFixture fixture) : IDisposable
    {
        public void Dispose() => fixture._iscsid ??= IscsidProcess.EnsureRunning();
    }
}
