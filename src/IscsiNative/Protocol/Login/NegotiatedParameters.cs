namespace IscsiNative.Protocol;

/// <summary>
/// The outcome of a successful login: every operational value after RFC 7143 negotiation, the identifiers of the
/// session and the sequence numbers to continue with in full feature phase.
/// </summary>
public sealed record NegotiatedParameters
{
    /// <summary>Normal or discovery session.</summary>
    internal IscsiSessionType SessionType { get; init; }

    /// <summary>The target name the login was for (<see langword="null"/> for discovery).</summary>
    public string? TargetName { get; init; }

    /// <summary>TargetAlias declared by the target, if any.</summary>
    public string? TargetAlias { get; init; }

    /// <summary>TargetPortalGroupTag declared by the target, -1 if it sent none.</summary>
    public int TargetPortalGroupTag { get; init; } = -1;

    /// <summary>The 48-bit initiator session id.</summary>
    public ulong Isid { get; init; }

    /// <summary>Target session identifying handle assigned in the final login response.</summary>
    public ushort Tsih { get; init; }

    /// <summary>Connection id.</summary>
    public ushort Cid { get; init; }

    /// <summary>Largest data segment the initiator declared it can receive.</summary>
    public int MaxRecvDataSegmentLength { get; init; }

    /// <summary>Largest data segment the initiator may send (the target's declared MaxRecvDataSegmentLength).</summary>
    public int MaxXmitDataSegmentLength { get; init; }

    /// <summary>FirstBurstLength.</summary>
    public int FirstBurstLength { get; init; }

    /// <summary>MaxBurstLength.</summary>
    public int MaxBurstLength { get; init; }

    /// <summary>ImmediateData.</summary>
    public bool ImmediateData { get; init; }

    /// <summary>InitialR2T.</summary>
    public bool InitialR2T { get; init; }

    /// <summary>MaxOutstandingR2T.</summary>
    public int MaxOutstandingR2T { get; init; }

    /// <summary>MaxConnections.</summary>
    public int MaxConnections { get; init; }

    /// <summary>HeaderDigest: <see cref="IscsiDigest.None"/> or <see cref="IscsiDigest.Crc32C"/>.</summary>
    public IscsiDigest HeaderDigest { get; init; }

    /// <summary>DataDigest: <see cref="IscsiDigest.None"/> or <see cref="IscsiDigest.Crc32C"/>.</summary>
    public IscsiDigest DataDigest { get; init; }

    /// <summary>DataPDUInOrder.</summary>
    public bool DataPduInOrder { get; init; }

    /// <summary>DataSequenceInOrder.</summary>
    public bool DataSequenceInOrder { get; init; }

    /// <summary>ErrorRecoveryLevel.</summary>
    public int ErrorRecoveryLevel { get; init; }

    /// <summary>DefaultTime2Wait in seconds.</summary>
    public int DefaultTime2Wait { get; init; }

    /// <summary>DefaultTime2Retain in seconds.</summary>
    public int DefaultTime2Retain { get; init; }

    /// <summary>IFMarker.</summary>
    public bool IFMarker { get; init; }

    /// <summary>OFMarker.</summary>
    public bool OFMarker { get; init; }

    /// <summary>Whether CHAP was used, and with which algorithm.</summary>
    public ChapAlgorithm? ChapAlgorithm { get; init; }

    /// <summary>The next CmdSN to use (login PDUs are immediate and do not advance it).</summary>
    public uint CmdSN { get; init; }

    /// <summary>StatSN of the final login response.</summary>
    public uint StatSN { get; init; }

    /// <summary>The ExpStatSN to send next: StatSN + 1 (handed to the kernel as EXP_STATSN).</summary>
    public uint ExpStatSN { get; init; }

    /// <summary>ExpCmdSN from the final login response.</summary>
    public uint ExpCmdSN { get; init; }

    /// <summary>MaxCmdSN from the final login response.</summary>
    public uint MaxCmdSN { get; init; }
}
