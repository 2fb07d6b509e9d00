using System.Text;
using IscsiNative.Sysfs;

namespace IscsiNative.Tests.Sysfs;

/// <summary>Enumerations that ask for some fields read those and mark the rest NotRead.</summary>
[Trait("Category", "ZeroAllocation")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SysfsFieldSelectionTests
{
    private static string S(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);

    [Fact]
    public void Flat_fields_read_what_P0_prints_and_nothing_else()
    {
        using var reader = new SysfsSessionReader(Fixtures.CapturedRoot);
        int count = 0;
        foreach (ref readonly IscsiSessionEntry s in reader.EnumerateSessions(IscsiSessionFields.Flat))
        {
            count++;
            Assert.StartsWith("iqn.2003-01.org.linux-iscsi.stage:t", S(s.TargetName));
            Assert.Equal(1, s.Tpgt);
            Assert.False(s.IsFlash);
            Assert.Equal("127.0.0.1", S(s.PersistentAddress));
            Assert.Equal(3260, s.PersistentPort);
            Assert.Equal("tcp", S(s.TransportName));
            Assert.True(s.IsTransportLoaded);

            Assert.Equal(SysfsValueStatus.NotRead, s.GetStatus(IscsiSessionAttribute.SessionState));
            Assert.Equal(SysfsValueStatus.NotRead, s.GetStatus(IscsiSessionAttribute.RecoveryTimeout));
            Assert.Equal(SysfsValueStatus.NotRead, s.GetStatus(IscsiSessionAttribute.HostIPAddress));
            Assert.Equal(SysfsValueStatus.NotRead, s.GetStatus(IscsiSessionAttribute.ScsiHostState));
            Assert.Null(s.RecoveryTimeout);
            Assert.Equal(0, s.Devices.Length);
        }

        Assert.Equal(4, count);
    }

    [Fact]
    public void Target_name_is_read_even_when_not_asked_for()
    {
        using var reader = new SysfsSessionReader(Fixtures.CapturedRoot);
        foreach (ref readonly IscsiSessionEntry s in reader.EnumerateSession(2, IscsiSessionFields.Tpgt))
        {
            Assert.Equal("iqn.2003-01.org.linux-iscsi.stage:t3", S(s.TargetName));
            Assert.Equal(1, s.Tpgt);
            Assert.Equal(SysfsValueStatus.NotRead, s.GetStatus(IscsiSessionAttribute.Address));
            Assert.Null(s.HostNumber);
            return;
        }

        Assert.Fail("session 2 was not enumerated");
    }

    [Fact]
    public void Iface_name_brings_the_host_attributes_it_is_derived_from()
    {
        using var reader = new SysfsSessionReader(Fixtures.CapturedRoot);
        foreach (ref readonly IscsiSessionEntry s in reader.EnumerateSession(1, IscsiSessionFields.Iface))
        {
            Assert.Equal("default", S(s.IfaceName));
            Assert.Equal("127.0.0.1", S(s.IfaceIPAddress));
            Assert.Equal(0, s.HostNumber);
            Assert.Equal(SysfsValueStatus.NotRead, s.GetStatus(IscsiSessionAttribute.Tpgt));
            return;
        }

        Assert.Fail("session 1 was not enumerated");
    }

    [Fact]
    public void Devices_alone_list_the_luns_with_their_block_devices()
    {
        using var reader = new SysfsSessionReader(Fixtures.CapturedRoot);
        foreach (ref readonly IscsiSessionEntry s in reader.EnumerateSession(1, IscsiSessionFields.Devices))
        {
            Assert.Equal(2, s.Devices.Length);
            Assert.Equal("sda", S(s.Devices[0].BlockDeviceName));
            Assert.Equal("sdb", S(s.Devices[1].BlockDeviceName));
            Assert.Equal(SysfsValueStatus.NotRead, s.GetStatus(IscsiSessionAttribute.ScsiHostState));
            return;
        }

        Assert.Fail("session 1 was not enumerated");
    }

    [Fact]
    public void Flat_enumeration_of_64_sessions_allocates_nothing_after_warm_up()
    {
        using SysfsTreeBuilder tree = SysfsTreeBuilder.Generate(64, luns: 2);
        using var reader = new SysfsSessionReader(tree.Root);
        long checksum = ReadFlat(reader) + ReadFlat(reader);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            checksum += ReadFlat(reader);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(checksum > 0);
    }

    private static long ReadFlat(SysfsSessionReader reader)
    {
        long sum = 0;
        foreach (ref readonly IscsiSessionEntry s in reader.EnumerateSessions(IscsiSessionFields.Flat))
        {
            sum += s.Sid + s.TargetName.Length + (s.Tpgt ?? 0) + s.PersistentAddress.Length + (s.PersistentPort ?? 0)
                + s.TransportName.Length + (s.IsFlash ? 1 : 0);
        }

        return sum;
    }
}
