using IscsiNative.Protocol;

namespace IscsiNative.Tests.Protocol;

/// <summary>The codec hot paths allocate nothing (GC.GetAllocatedBytesForCurrentThread deltas).</summary>
[Trait("Category", "ZeroAllocation")]
public sealed class AllocationTests
{
    private static readonly byte[] Text =
        "TargetName=iqn.2003-01.org.linux-iscsi.stage:t1\0TargetAddress=127.0.0.1:3260,1\0TargetAddress=[fe80::1]:3260,1\0"u8.ToArray();

    [Fact]
    public void Encoding_and_decoding_headers_and_framing_allocate_nothing()
    {
        byte[] bhs = new byte[48];
        byte[] wire = new byte[256];
        byte[] data = new byte[64];
        RoundTrip(bhs, wire, data);
        long before = GC.GetAllocatedBytesForCurrentThread();
        uint sum = 0;
        for (int i = 0; i < 1000; i++)
        {
            sum += RoundTrip(bhs, wire, data);
        }

        long delta = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.NotEqual(0u, sum);
        Assert.Equal(0, delta);
    }

    [Fact]
    public void Parsing_text_allocates_nothing()
    {
        int count = Parse();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            count += Parse();
        }

        long delta = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(3 * 1001, count);
        Assert.Equal(0, delta);
    }

    private static uint RoundTrip(byte[] bhs, byte[] wire, byte[] data)
    {
        PduEncoder.WriteTextRequest(bhs, false, true, false, 0, 1, 0xffffffff, 1, 2, data.Length);
        int n = PduFraming.Write(wire, bhs, data, true, true);
        PduFraming.TryRead(wire.AsSpan(0, n), true, true, 8192, out ReadOnlySpan<byte> h, out ReadOnlySpan<byte> d, out _);
        var header = new PduHeader(h);
        return header.CmdSN + header.ExpStatSN + (uint)d.Length;
    }

    private static int Parse()
    {
        var r = new TextKeyValueReader(Text, TextLimits.Default);
        int n = 0;
        while (r.TryRead(out ReadOnlySpan<byte> k, out ReadOnlySpan<byte> v))
        {
            if (k.Length > 0 && v.Length > 0)
            {
                n++;
            }
        }

        return n;
    }
}
