namespace IscsiNative;

/// <summary>
/// Per-connection counters of <c>struct iscsi_stats</c> (the iSCSI MIB as iscsi_tcp fills it), as returned by
/// ISCSI_UEVENT_GET_STATS. Names follow the kernel fields (and <c>iscsiadm -m session -s</c>).
/// </summary>
public sealed record IscsiStatistics
{
    /// <summary>Data bytes sent.</summary>
    public ulong TxDataOctets { get; init; }

    /// <summary>Data bytes received.</summary>
    public ulong RxDataOctets { get; init; }

    /// <summary>NOP-Out PDUs sent.</summary>
    public uint NopTxPdus { get; init; }

    /// <summary>SCSI Command PDUs sent.</summary>
    public uint ScsiCmdPdus { get; init; }

    /// <summary>Task Management Function Request PDUs sent.</summary>
    public uint TmfCmdPdus { get; init; }

    /// <summary>Login Request PDUs sent.</summary>
    public uint LoginPdus { get; init; }

    /// <summary>Text Request PDUs sent.</summary>
    public uint TextPdus { get; init; }

    /// <summary>SCSI Data-Out PDUs sent.</summary>
    public uint DataOutPdus { get; init; }

    /// <summary>Logout Request PDUs sent.</summary>
    public uint LogoutPdus { get; init; }

    /// <summary>SNACK PDUs sent.</summary>
    public uint SnackPdus { get; init; }

    /// <summary>NOP-In PDUs received.</summary>
    public uint NopRxPdus { get; init; }

    /// <summary>SCSI Response PDUs received.</summary>
    public uint ScsiRspPdus { get; init; }

    /// <summary>Task Management Function Response PDUs received.</summary>
    public uint TmfRspPdus { get; init; }

    /// <summary>Text Response PDUs received.</summary>
    public uint TextRspPdus { get; init; }

    /// <summary>SCSI Data-In PDUs received.</summary>
    public uint DataInPdus { get; init; }

    /// <summary>Logout Response PDUs received.</summary>
    public uint LogoutRspPdus { get; init; }

    /// <summary>R2T PDUs received.</summary>
    public uint R2tPdus { get; init; }

    /// <summary>Asynchronous Message PDUs received.</summary>
    public uint AsyncPdus { get; init; }

    /// <summary>Reject PDUs received.</summary>
    public uint RjtPdus { get; init; }

    /// <summary>Digest errors.</summary>
    public uint DigestErr { get; init; }

    /// <summary>Timeouts.</summary>
    public uint TimeoutErr { get; init; }

    /// <summary>
    /// Driver-specific counters of <c>struct iscsi_stats_custom</c>, in the kernel's order: name (<c>desc</c>, up to 63
    /// ASCII characters, e.g. iscsi_tcp's <c>tx_sendpage_failures</c>) and value.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, ulong>> Custom { get; init; } = [];
}
