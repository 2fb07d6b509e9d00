using System.Collections.Concurrent;
using System.Reflection;
using IscsiNative.Initiator;
using IscsiNative.TestShared;
using Xunit.v3;

namespace IscsiNative.VmTests.Infrastructure;

/// <summary>
/// Fails a test that ends with an iSCSI session it did not find at its start, after logging that session out, so a
/// leak is reported by the test that caused it instead of disturbing whichever test runs next (the whole assembly:
/// see AssemblyInfo.cs; VM tests run one at a time, so "new since Before" is this test's own). Sessions a class
/// fixture logs in for all of its tests are declared with <see cref="Share"/> and are the fixture's to remove.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class LeavesNoSessionAttribute : BeforeAfterTestAttribute
{
    private static readonly TimeSpan LogoutBound = TimeSpan.FromSeconds(10);
    private static readonly ConcurrentDictionary<string, byte> s_shared = new(StringComparer.Ordinal);
    private HashSet<int> _before = [];

    /// <summary>Declares the sessions to these targets as a fixture's, shared by the tests of a class.</summary>
    /// <param name="targetNames">The target IQNs.</param>
    public static void Share(IEnumerable<string> targetNames)
    {
        foreach (string name in targetNames)
        {
            s_shared[name] = 0;
        }
    }

    /// <summary>Ends <see cref="Share"/> for these targets (the fixture logged them out).</summary>
    /// <param name="targetNames">The target IQNs.</param>
    public static void Unshare(IEnumerable<string> targetNames)
    {
        foreach (string name in targetNames)
        {
            s_shared.TryRemove(name, out _);
        }
    }

    /// <inheritdoc/>
    public override void Before(MethodInfo methodUnderTest, IXunitTest test) =>
        _before = VmStage.IsActive ? [.. SysfsProbe.Sessions().Select(s => s.Sid)] : [];

    /// <inheritdoc/>
    public override void After(MethodInfo methodUnderTest, IXunitTest test)
    {
        if (!VmStage.IsActive)
        {
            return;
        }

        List<ProbedSession> left = [.. SysfsProbe.Sessions().Where(s => !_before.Contains(s.Sid) && !s_shared.ContainsKey(s.TargetName))];
        if (left.Count == 0)
        {
            return;
        }

        using (var initiator = new IscsiInitiator())
        {
            foreach (ProbedSession s in left)
            {
                try
                {
                    initiator.LogoutAsync(s.Sid, LogoutBound).GetAwaiter().GetResult();
                }
                catch (IscsiException)
                {
                    // Reported below either way; the next test's Before sees whatever could not be removed.
                }
            }
        }

        throw new InvalidOperationException(
            $"{test.TestDisplayName} left {left.Count} session(s) behind (logged out now): " +
            string.Join(", ", left.Select(s => $"sid {s.Sid} {s.TargetName} {s.State}")));
    }
}
