using System.Buffers;
using IscsiNative.Formatting;
using IscsiNative.Sysfs;
using IscsiNative.TestShared;

namespace IscsiNative.Tests.Sysfs;

/// <summary>Pins the zero-allocation claim of the enumeration.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SysfsAllocationTests
{
    [Fact]
    public void Full_enumeration_of_64_sessions_allocates_nothing_after_warm_up()
    {
        using SysfsTreeBuilder tree = SysfsTreeBuilder.Generate(64, luns: 2);
        using var reader = new SysfsSessionReader(tree.Root);
        long checksum = SessionFieldWalk.ReadEverything(reader); // warm-up: JIT, pools, buffer growth
        checksum += SessionFieldWalk.ReadEverything(reader);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            checksum += SessionFieldWalk.ReadEverything(reader);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(checksum > 0);
    }

    [Fact]
    public void Formatting_64_sessions_at_level_3_allocates_nothing_after_warm_up()
    {
        using SysfsTreeBuilder tree = SysfsTreeBuilder.Generate(64, luns: 2);
        using var reader = new SysfsSessionReader(tree.Root);
        var output = new ArrayBufferWriter<byte>(256 * 1024);
        var writer = new IscsiadmSessionWriter(output, 3);
        FormatAll(reader, writer);
        output.ResetWrittenCount();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            FormatAll(reader, writer);
            output.ResetWrittenCount();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void FormatAll(SysfsSessionReader reader, IscsiadmSessionWriter writer)
    {
        foreach (ref readonly IscsiSessionEntry s in reader.EnumerateSessions())
        {
            writer.WriteSession(s);
        }
    }
}
