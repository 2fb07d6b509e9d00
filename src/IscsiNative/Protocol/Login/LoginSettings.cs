namespace IscsiNative.Protocol;

/// <summary>
/// Everything a login offers, with open-iscsi's defaults (OPEN-ISCSI.md §4). The same settings drive the managed
/// TCP login and the kernel SEND_PDU login, so both send the same bytes iscsid does.
/// </summary>
internal sealed record LoginSettings
{
    public const int DefaultMaxRecvDataSegmentLength = 262144;
    public const int DiscoveryMaxRecvDataSegmentLength = 32768;
    public const int MinLength = 512;
    public const int MaxLength = 16777215;

    public required string InitiatorName { get; init; }

    public string? InitiatorAlias { get; init; }

    public string? TargetName { get; init; }

    public IscsiSessionType SessionType { get; init; } = IscsiSessionType.Normal;

    /// <summary>48-bit ISID; open-iscsi uses 00 02 3D + the 3 low bytes of the session id.</summary>
    public ulong Isid { get; init; } = IsidFor(0);

    public ushort Tsih { get; init; }

    public ushort Cid { get; init; }

    public uint InitiatorTaskTag { get; init; }

    public uint CmdSN { get; init; } = 1;

    public uint ExpStatSN { get; init; }

    public IscsiDigest HeaderDigest { get; init; } = IscsiDigest.None;

    public IscsiDigest DataDigest { get; init; } = IscsiDigest.None;

    public int DefaultTime2Wait { get; init; } = 2;

    public int DefaultTime2Retain { get; init; }

    /// <summary>MaxOutstandingR2T offered by a normal session (open-iscsi takes it from the record).</summary>
    public int MaxOutstandingR2T { get; init; } = 1;

    public bool InitialR2T { get; init; }

    public bool ImmediateData { get; init; } = true;

    public int MaxBurstLength { get; init; } = 16776192;

    public int FirstBurstLength { get; init; } = 262144;

    public int MaxRecvDataSegmentLength { get; init; } = DefaultMaxRecvDataSegmentLength;

    /// <summary>0 = use the target's declared MaxRecvDataSegmentLength (else 8192).</summary>
    public int MaxXmitDataSegmentLength { get; init; }

    public ChapCredentials? Credentials { get; init; }

    public IReadOnlyList<ChapAlgorithm> ChapAlgorithms { get; init; } = [ChapAlgorithm.Md5];

    public TextLimits TextLimits { get; init; } = TextLimits.Default;

    /// <summary>Longest CHAP_C accepted from a target (open-iscsi: 1024).</summary>
    public int MaxChallengeLength { get; init; } = 1024;

    /// <summary>Check that responses carry our ITT; the kernel path rewrites ITTs and turns this off.</summary>
    public bool VerifyTaskTag { get; init; } = true;

    /// <summary>The ISID open-iscsi builds for session id <paramref name="sid"/>: 00 02 3D, then sid bytes 2..0.</summary>
    public static ulong IsidFor(uint sid) => 0x0002_3D00_0000UL | (sid & 0xFF_FFFFu);

    /// <summary>Applies open-iscsi's sanitizing: lengths rounded down to 4, out-of-range values reset, FirstBurst ≤ MaxBurst.</summary>
    public LoginSettings Normalize()
    {
        int recv = Sanitize(MaxRecvDataSegmentLength, SessionType == IscsiSessionType.Discovery ? DiscoveryMaxRecvDataSegmentLength : DefaultMaxRecvDataSegmentLength);
        int maxBurst = Sanitize(MaxBurstLength, 16776192);
        int firstBurst = Sanitize(FirstBurstLength, 262144);
        if (firstBurst > maxBurst)
        {
            firstBurst = maxBurst;
        }

        int xmit = MaxXmitDataSegmentLength == 0 ? 0 : Sanitize(MaxXmitDataSegmentLength, 0);
        bool discovery = SessionType == IscsiSessionType.Discovery;
        return this with
        {
            MaxRecvDataSegmentLength = recv,
            MaxBurstLength = maxBurst,
            FirstBurstLength = firstBurst,
            MaxXmitDataSegmentLength = xmit,
            HeaderDigest = discovery ? IscsiDigest.None : HeaderDigest,
            DataDigest = discovery ? IscsiDigest.None : DataDigest,
            DefaultTime2Wait = Math.Clamp(DefaultTime2Wait, 0, 3600),
            DefaultTime2Retain = Math.Clamp(DefaultTime2Retain, 0, 3600),
            MaxOutstandingR2T = Math.Clamp(MaxOutstandingR2T, 1, 65535),
        };
    }

    private static int Sanitize(int value, int fallback)
    {
        value &= ~3;
        return value is < MinLength or > MaxLength ? fallback : value;
    }
}
