namespace IscsiNative.VmTests.Harness;

/// <summary>
/// The harness self-check: tests that exercise no library code, only the stage's own tools (LIO through configfs,
/// iscsiadm/iscsid as the oracle, portal outages). tests/vm/stages/vmtests.sh runs them once, first, as their own
/// result file; when they fail the oracle cannot be trusted and the library's VM tests are not run (the stage fails).
/// </summary>
public static class HarnessSelfCheck
{
    /// <summary>The trait name.</summary>
    public const string Trait = "Stage";

    /// <summary>The trait value (xunit filter: <c>-trait Stage=HarnessSelfCheck</c>).</summary>
    public const string Value = "HarnessSelfCheck";
}
