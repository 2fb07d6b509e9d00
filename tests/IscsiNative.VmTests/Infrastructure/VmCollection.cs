namespace IscsiNative.VmTests.Infrastructure;

/// <summary>The one collection of VM tests: they share <see cref="VmFixture"/> and run one at a time (the kernel is global state).</summary>
[CollectionDefinition(Name)]
public sealed class VmCollection : ICollectionFixture<VmFixture>
{
    /// <summary>The collection name for <c>[Collection(VmCollection.Name)]</c>.</summary>
    public const string Name = "VM stage";
}
