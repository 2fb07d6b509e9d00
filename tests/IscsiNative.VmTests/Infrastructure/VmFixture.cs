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
}
