using System.Runtime.CompilerServices;

namespace IscsiNative.VmTests.Infrastructure;

/// <summary>
/// A fact for the VM stage. Outside the stage it fails naming the missing prerequisite (through
/// <see cref="RequiresVmStageAttribute"/>, applied to the whole assembly); it is reported as skipped only when the
/// run opted out explicitly (see <see cref="VmStage.TestsRun"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class VmFactAttribute : FactAttribute
{
    /// <summary>Initializes the attribute with the VM stage as the run condition.</summary>
    /// <param name="sourceFilePath">Filled in by the compiler.</param>
    /// <param name="sourceLineNumber">Filled in by the compiler.</param>
    public VmFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        Skip = "needs " + VmStage.Requirement;
        SkipType = typeof(VmStage);
        SkipUnless = nameof(VmStage.TestsRun);
    }
}
