using IscsiNative.Tests.Interop;

namespace IscsiNative.Tests.Sysfs;

/// <summary>Paths of the committed fixture trees and captured iscsiadm output (tests/fixtures).</summary>
internal static class Fixtures
{
    /// <summary>The four sessions of the VM capture, all logged in.</summary>
    internal static string CapturedRoot => Path.Combine(BindingRulesTests.RepoRoot, "tests", "fixtures", "sysfs", "captured-4", "sys");

    /// <summary>The same with session3 FAILED (ENOTCONN files as dangling links).</summary>
    internal static string CapturedFailedRoot => Path.Combine(BindingRulesTests.RepoRoot, "tests", "fixtures", "sysfs", "captured-4-failed", "sys");

    /// <summary>The bytes of one captured iscsiadm output file.</summary>
    internal static byte[] Capture(string name) =>
        File.ReadAllBytes(Path.Combine(BindingRulesTests.RepoRoot, "tests", "fixtures", "iscsiadm-captures", name));
}
