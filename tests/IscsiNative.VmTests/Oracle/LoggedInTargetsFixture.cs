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
    public LoggedInTargets Get(Iscsiadm iscsiadm)
    {
        if (_targets is null)
        {
            _targets = LoggedInTargets.Create(iscsiadm, Count, $"oracle{Count}");

            // The sessions belong to the class, not to the test that happened to log them in first.
            LeavesNoSessionAttribute.Share(_targets.Targets.Select(t => t.Iqn));
        }

        return _targets;
    }

    /// <summary>Logs out and removes the targets.</summary>
    public void Dispose()
    {
        if (_targets is not null)
        {
            LeavesNoSessionAttribute.Unshare(_targets.Targets.Select(t => t.Iqn));
        }

        _targets?.Dispose();
        _targets = null;
        GC.SuppressFinalize(this);
    }
}
