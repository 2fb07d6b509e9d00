namespace IscsiNative.VmTests.Oracle;

/// <summary>One session of <c>iscsiadm -m session -P 3</c>, split into its fields.</summary>
public sealed class ParsedSession
{
    /// <summary>Gets or sets the "Target:" IQN (carried over from the previous session when iscsiadm left the line out).</summary>
    public string Target { get; set; } = string.Empty;

    /// <summary>Gets or sets the "(flash)"/"(non-flash)" suffix of the Target line.</summary>
    public string NodeType { get; set; } = string.Empty;

    /// <summary>Gets or sets "ADDRESS:PORT,TPGT" of the "Current Portal:" line (carried over likewise).</summary>
    public string CurrentPortal { get; set; } = string.Empty;

    /// <summary>Gets or sets "ADDRESS:PORT,TPGT" of the "Persistent Portal:" line.</summary>
    public string PersistentPortal { get; set; } = string.Empty;

    /// <summary>Gets the "\t\tName: value" lines by name (Iface Name, SID, Recovery Timeout, HeaderDigest, ...).</summary>
    public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the SCSI host number ("Host Number: H"), or null.</summary>
    public int? HostNumber { get; set; }

    /// <summary>Gets or sets the SCSI host state printed with the host number.</summary>
    public string? HostState { get; set; }

    /// <summary>Gets the LUNs in the order printed.</summary>
    public List<ParsedLun> Luns { get; } = [];

    /// <summary>Gets the session id.</summary>
    public int Sid => int.Parse(Fields["SID"], System.Globalization.CultureInfo.InvariantCulture);
}
