using System.Runtime.CompilerServices;

namespace IscsiNative.VmTests.Infrastructure;

/// <summary>A fact that runs only inside the VM stage and is reported as skipped everywhere else.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class VmFactAttribute : FactAttribute
{
    /// <summary>Initializes the attribute with the VM stage as the run condition.</summary>
    /// <param name="sourceFilePath">Filled in by the compiler.</param>
    /// <param name="sourceLineNumber">Filled in by the compiler.</param>
    public VmFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        Skip = VmStage.SkipReason;
        SkipType = typeof(VmStage);
        SkipUnless = nameof(VmStage.IsActive);
    }
}
