using IscsiNative.Volumes;

namespace IscsiNative.Tests.Volumes;

/// <summary>VolumeSpec validation: every bad field gives <see cref="VolumeError.InvalidSpec"/> naming the field.</summary>
public sealed class VolumeSpecTests
{
    private static readonly VolumeSpec Good = new() { TargetName = "iqn.2003-01.org.example:disk1", Portals = ["127.0.0.1"], Lun = 0 };

    public static TheoryData<string, VolumeSpec> BadSpecs => new()
    {
        { "TargetName", Good with { TargetName = "disk1" } },
        { "TargetName", Good with { TargetName = "iqn.2003-01.org.example:a b" } },
        { "Portals", Good with { Portals = [] } },
        { "Portals", Good with { Portals = ["127.0.0.1:99999"] } },
        { "Portals", Good with { Portals = ["bad_host!name"] } },
        { "Portals", Good with { Portals = ["127.0.0.1", "127.0.0.1:3260"], Multipath = true } },
        { "Portals", Good with { Portals = ["127.0.0.1", "127.0.0.2"] } },
        { "Lun", Good with { Lun = -1 } },
        { "Lun", Good with { Lun = 16384 } },
        { "IfaceName", Good with { IfaceName = "a/b" } },
        { "AttachTimeout", Good with { AttachTimeout = TimeSpan.Zero } },
        { "RecoveryTimeout", Good with { RecoveryTimeout = 0 } },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void Bad_fields_are_typed_errors_naming_the_field(string field, VolumeSpec spec)
    {
        var e = Assert.Throws<IscsiVolumeException>(spec.Validate);
        Assert.Equal(VolumeError.InvalidSpec, e.Error);
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:3261")]
    [InlineData("[fd00::1]:3260")]
    [InlineData("san-a.example.com")]
    [InlineData("san-a.example.com:3262")]
    public void Ipv4_ipv6_and_host_name_portals_are_accepted(string portal)
    {
        (Good with { Portals = [portal] }).Validate();
    }

    [Fact]
    public void Two_portals_with_multipath_are_accepted()
    {
        (Good with { Portals = ["127.0.0.1", "127.0.0.2"], Multipath = true }).Validate();
    }
}
