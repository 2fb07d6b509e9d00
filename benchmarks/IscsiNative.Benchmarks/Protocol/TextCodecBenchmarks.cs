using System.Text;
using BenchmarkDotNet.Attributes;
using IscsiNative.Protocol;

namespace IscsiNative.Benchmarks.Protocol;

/// <summary>Text key=value parsing (a login response, a 40-target SendTargets answer) and writing the login offer.</summary>
[MemoryDiagnoser]
public class TextCodecBenchmarks
{
    private readonly byte[] _login = Encoding.ASCII.GetBytes(
        "HeaderDigest=None\0DataDigest=None\0DefaultTime2Wait=2\0DefaultTime2Retain=0\0IFMarker=No\0OFMarker=No\0" +
        "ErrorRecoveryLevel=0\0InitialR2T=Yes\0ImmediateData=Yes\0MaxBurstLength=262144\0FirstBurstLength=65536\0" +
        "MaxOutstandingR2T=1\0MaxConnections=1\0DataPDUInOrder=Yes\0DataSequenceInOrder=Yes\0MaxRecvDataSegmentLength=262144\0" +
        "TargetAlias=LIO Target\0TargetPortalGroupTag=1\0");

    private readonly byte[] _sendTargets = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 40).Select(i =>
        $"TargetName=iqn.2003-01.org.linux-iscsi.stage:t{i}\0TargetAddress=127.0.0.1:3260,1\0TargetAddress=[fe80::1]:3260,1\0")));

    private readonly byte[] _out = new byte[1024];

    [Benchmark]
    public int ParseLoginResponse() => Count(_login);

    [Benchmark]
    public int ParseSendTargets40() => Count(_sendTargets);

    [Benchmark]
    public ulong ParseNumbersAndLists()
    {
        ulong sum = 0;
        var r = new TextKeyValueReader(_login, TextLimits.Default);
        while (r.TryRead(out _, out ReadOnlySpan<byte> v))
        {
            if (TextValue.TryParseNumber(v, out ulong n))
            {
                sum += n;
            }
            else if (TextValue.ListContains(v, "None"u8))
            {
                sum++;
            }
        }

        return sum;
    }

    [Benchmark]
    public int WriteOperationalOffer()
    {
        var w = new TextKeyValueWriter(_out);
        w.Write("HeaderDigest"u8, "None"u8);
        w.Write("DataDigest"u8, "None"u8);
        w.Write("DefaultTime2Wait"u8, 2L);
        w.Write("DefaultTime2Retain"u8, 0L);
        w.Write("IFMarker"u8, false);
        w.Write("OFMarker"u8, false);
        w.Write("ErrorRecoveryLevel"u8, 0L);
        w.Write("InitialR2T"u8, false);
        w.Write("ImmediateData"u8, true);
        w.Write("MaxBurstLength"u8, 16776192L);
        w.Write("FirstBurstLength"u8, 262144L);
        w.Write("MaxOutstandingR2T"u8, 1L);
        w.Write("MaxConnections"u8, 1L);
        w.Write("DataPDUInOrder"u8, true);
        w.Write("DataSequenceInOrder"u8, true);
        w.Write("MaxRecvDataSegmentLength"u8, 262144L);
        return w.BytesWritten;
    }

    private static int Count(byte[] text)
    {
        var r = new TextKeyValueReader(text, TextLimits.Default);
        int n = 0;
        while (r.TryRead(out _, out _))
        {
            n++;
        }

        return n;
    }
}
