using BenchmarkDotNet.Attributes;
using IscsiNative.Protocol;

namespace IscsiNative.Benchmarks.Protocol;

/// <summary>BHS encode/decode and whole-PDU framing with and without CRC32C digests.</summary>
[MemoryDiagnoser]
public class PduCodecBenchmarks
{
    private readonly byte[] _bhs = new byte[48];
    private readonly byte[] _wire = new byte[48 + 4 + 8192 + 4];
    private readonly byte[] _data = new byte[8192];
    private int _wireLength;
    private int _wireLengthDigests;
    private readonly byte[] _wireDigests = new byte[48 + 4 + 8192 + 4];

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_data);
        PduEncoder.WriteTextRequest(_bhs, false, true, false, 0, 1, 0xffffffff, 1, 2, _data.Length);
        _wireLength = PduFraming.Write(_wire, _bhs, _data, false, false);
        _wireLengthDigests = PduFraming.Write(_wireDigests, _bhs, _data, true, true);
    }

    [Benchmark]
    public void EncodeLoginRequestHeader() =>
        PduEncoder.WriteLoginRequest(_bhs, true, false, LoginStage.LoginOperationalNegotiation, LoginStage.FullFeaturePhase, 0x00023d000001, 0, 0, 0, 1, 0, 400);

    [Benchmark]
    public uint DecodeHeader()
    {
        var h = new PduHeader(_wire);
        return (uint)h.Opcode + h.InitiatorTaskTag + h.CmdSN + h.ExpStatSN + (uint)h.DataSegmentLength + h.TargetTransferTag;
    }

    [Benchmark]
    public int FramePdu8K() => PduFraming.Write(_wire, _bhs, _data, false, false);

    [Benchmark]
    public int FramePdu8KWithDigests() => PduFraming.Write(_wireDigests, _bhs, _data, true, true);

    [Benchmark]
    public int ReadPdu8K()
    {
        PduFraming.TryRead(_wire.AsSpan(0, _wireLength), false, false, 16384, out _, out ReadOnlySpan<byte> data, out _);
        return data.Length;
    }

    [Benchmark]
    public int ReadPdu8KWithDigests()
    {
        PduFraming.TryRead(_wireDigests.AsSpan(0, _wireLengthDigests), true, true, 16384, out _, out ReadOnlySpan<byte> data, out _);
        return data.Length;
    }
}
