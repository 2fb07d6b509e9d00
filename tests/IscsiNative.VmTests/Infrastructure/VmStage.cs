using IscsiNative.TestShared;

namespace IscsiNative.VmTests.Infrastructure;

/// <summary>
/// The one way the tests tell whether they run inside the privileged VM stage (tests/vm/run.sh). Outside it a VM test
/// fails with the missing prerequisite, unless the run opted out with <see cref="Prerequisites.AllowSkipVariable"/>=1,
/// in which case it is reported as skipped (never as passed).
/// </summary>
public static class VmStage
{
    /// <summary>The environment variable the stage launcher sets to 1.</summary>
    public const string EnvironmentVariable = "ISCSINATIVE_VM_STAGE";

    /// <summary>What a VM test needs, for skip and failure messages.</summary>
    public const string Requirement = "the VM stage (tests/vm/run.sh: ISCSINATIVE_VM_STAGE=1, root, LIO configfs)";

    private static readonly Lazy<bool> s_isActive = new(Detect);

    /// <summary>Gets whether this process runs in the VM stage: the stage's environment variable, root, and LIO's configfs.</summary>
    public static bool IsActive => s_isActive.Value;

    /// <summary>
    /// Gets whether VM tests are run (rather than skipped): inside the stage, and everywhere the run did not opt out —
    /// there they run into <see cref="Require"/> and fail naming what is missing.
    /// </summary>
    public static bool TestsRun => IsActive || !Prerequisites.SkipAllowed;

    /// <summary>Fails the current test outside the VM stage (skips it only when the run opted out).</summary>
    public static void Require() => Prerequisites.Require(IsActive, Requirement);

    private static bool Detect() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) == "1"
        && Environment.IsPrivilegedProcess
        && Directory.Exists("/sys/kernel/config/target");
}
