namespace IscsiNative.VmTests.Oracle;

/// <summary>Eight logged-in targets with two LUNs each.</summary>
public sealed class EightTargetsFixture : LoggedInTargetsFixture
{
    /// <inheritdoc/>
    public override int Count => 8;
}
