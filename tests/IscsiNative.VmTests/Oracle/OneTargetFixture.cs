namespace IscsiNative.VmTests.Oracle;

/// <summary>One logged-in target with two LUNs.</summary>
public sealed class OneTargetFixture : LoggedInTargetsFixture
{
    /// <inheritdoc/>
    public override int Count => 1;
}
