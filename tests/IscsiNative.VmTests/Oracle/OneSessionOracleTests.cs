using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Oracle;

/// <summary>The library against live iscsiadm with one session (2 LUNs).</summary>
[Collection(VmCollection.Name)]
public sealed class OneSessionOracleTests(VmFixture vm, OneTargetFixture fixture)
    : SessionOracleTests(vm, fixture), IClassFixture<OneTargetFixture>
{
}
