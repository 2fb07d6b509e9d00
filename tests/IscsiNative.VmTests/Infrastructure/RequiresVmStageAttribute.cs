using System.Reflection;
using IscsiNative.TestShared;
using Xunit.v3;

namespace IscsiNative.VmTests.Infrastructure;

/// <summary>Runs <see cref="VmStage.Require"/> before every test it applies to (the whole assembly: see AssemblyInfo.cs).</summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresVmStageAttribute : BeforeAfterTestAttribute
{
    /// <inheritdoc/>
    public override void Before(MethodInfo methodUnderTest, IXunitTest test)
    {
        // Opted-out runs skip through [VmFact] / VmStage.Require() in the test itself; everywhere else this fails first.
        if (!Prerequisites.SkipAllowed)
        {
            VmStage.Require();
        }
    }
}
