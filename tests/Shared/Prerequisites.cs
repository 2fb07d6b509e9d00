namespace IscsiNative.TestShared;

/// <summary>
/// What a test needs from the machine (tgtd, root, the VM stage). A missing prerequisite fails the test with a
/// message naming it; it is reported as skipped only when the run opted out explicitly with
/// <see cref="AllowSkipVariable"/>=1 (documented in the README for developers without qemu or tgt). CI and
/// <c>./build.sh test</c> never set it, so there a test that should run and cannot is a failure, never a silent skip.
/// </summary>
internal static class Prerequisites
{
    /// <summary>The opt-out: set to 1 to report tests whose prerequisites are missing as skipped instead of failed.</summary>
    internal const string AllowSkipVariable = "ISCSINATIVE_ALLOW_SKIP";

    /// <summary>Gets whether this run opted out of the "missing prerequisite is a failure" rule.</summary>
    internal static bool SkipAllowed => Environment.GetEnvironmentVariable(AllowSkipVariable) == "1";

    /// <summary>Returns when <paramref name="met"/>; otherwise skips (opted out) or fails, naming what is missing.</summary>
    /// <param name="met">Whether the prerequisite is there.</param>
    /// <param name="missing">What is missing and how to get it, e.g. "tgtd (apt-get install tgt)".</param>
    internal static void Require(bool met, string missing)
    {
        if (met)
        {
            return;
        }

        if (SkipAllowed)
        {
            Assert.Skip($"missing prerequisite: {missing} ({AllowSkipVariable}=1)");
        }

        Assert.Fail($"missing prerequisite: {missing}. Install it, or set {AllowSkipVariable}=1 to skip such tests on a developer machine.");
    }
}
