using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Oracle;

/// <summary>
/// A class fixture that logs in to <see cref="Count"/> targets on first use (inside the VM only) and logs out when the
/// class is done, so the tests of one class share one set of logins.
/// </summary>
public abstract class LoggedInTargetsFixture : IDisposable
{
    private LoggedInTargets? _targets;

    /// <summary>Gets how many targets (sessions) the fixture logs in to.</summary>
    public abstract int Count { get; }

    /// <summary>Returns the logged-in targets, logging in on the first call.</summary>
    /// <param name="iscsiadm">The oracle.</param>
    /// <returns>The targets.</returns>
    public LoggedInTargets Get(Iscsiadm iscsiadm) =>
        _targets ??= LoggedInTargets.Create(iscsiadm, Count, $"oracle{Count}");

    /// <summary>Logs out and removes the targets.</summary>
    public void Dispose()
    {
        _targets?.Dispose();
        _targets = null;
        GC.SuppressFinalize(this);
    }
}
