namespace IscsiNative.VmTests.Infrastructure;

/// <summary>Tells whether the tests run inside the privileged VM stage (tests/vm/run.sh).</summary>
public static class VmStage
{
    /// <summary>The environment variable the stage launcher sets to 1.</summary>
    public const string EnvironmentVariable = "ISCSINATIVE_VM_STAGE";

    /// <summary>The skip message of VM tests outside the VM.</summary>
    public const string SkipReason = "needs the VM stage (tests/vm/run.sh)";

    private static readonly Lazy<bool> s_isActive = new(Detect);

    /// <summary>Gets whether this process runs in the VM stage: the stage's environment variable, root, and LIO's configfs.</summary>
    public static bool IsActive => s_isActive.Value;

    /// <summary>Skips the current test (reported as skipped, never passed) outside the VM stage.</summary>
    public static void Require() => Assert.SkipUnless(IsActive, SkipReason);

    private static bool Detect() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) == "1"
        && Environment.IsPrivilegedProcess
        && Directory.Exists("/sys/kernel/config/target");
}
