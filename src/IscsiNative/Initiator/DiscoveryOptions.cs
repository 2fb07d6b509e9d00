using IscsiNative.Protocol;

namespace IscsiNative.Initiator;

/// <summary>Settings of one SendTargets discovery, with open-iscsi's discovery defaults and explicit timeouts.</summary>
public sealed record DiscoveryOptions
{
    /// <summary>Initiator name used when none is configured.</summary>
    public const string DefaultInitiatorName = "iqn.2016-04.com.open-iscsi:iscsinative";

    /// <summary>The InitiatorName sent at login.</summary>
    public string InitiatorName { get; init; } = DefaultInitiatorName;

    /// <summary>The optional InitiatorAlias.</summary>
    public string? InitiatorAlias { get; init; }

    /// <summary>Discovery CHAP credentials (one-way or mutual); <see langword="null"/> for no authentication. Not disposed by the library.</summary>
    public ChapCredentials? Credentials { get; init; }

    /// <summary>CHAP_A values offered, in preference order (open-iscsi default: MD5 only).</summary>
    public IReadOnlyList<ChapAlgorithm> ChapAlgorithms { get; init; } = [ChapAlgorithm.Md5];

    /// <summary>Longest wait for the TCP connection.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest time for the whole login exchange (open-iscsi discovery login_timeout 15 s).</summary>
    public TimeSpan LoginTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest wait for each response after login (open-iscsi discovery active_timeout 30 s).</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>MaxRecvDataSegmentLength declared by the initiator (open-iscsi discovery: 32768).</summary>
    public int MaxRecvDataSegmentLength { get; init; } = 32768;

    /// <summary>Upper bound on the whole SendTargets response, so a hostile target cannot grow it without end (default 1 MiB).</summary>
    public int MaxResponseLength { get; init; } = 1024 * 1024;

    /// <summary>Low 24 bits of the ISID (open-iscsi puts the session id there); the ISID is 00 02 3D + these 3 bytes.</summary>
    public int IsidQualifier { get; init; }
}
