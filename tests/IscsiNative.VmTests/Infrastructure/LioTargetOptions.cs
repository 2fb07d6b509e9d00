namespace IscsiNative.VmTests.Infrastructure;

/// <summary>What <see cref="LioTarget.Create"/> builds.</summary>
/// <param name="Iqn">The target IQN; use <see cref="LioTarget.UniqueIqn"/> so tests never share targets.</param>
public sealed record LioTargetOptions(string Iqn)
{
    /// <summary>Gets the number of LUNs (0..N-1), each backed by its own sparse file.</summary>
    public int LunCount { get; init; } = 1;

    /// <summary>Gets the size of each LUN in bytes.</summary>
    public long LunSizeBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Gets the portal address the target listens on (loopback only).</summary>
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>Gets the portal TCP port.</summary>
    public int Port { get; init; } = 3260;

    /// <summary>
    /// Gets the initiator IQN to create an explicit ACL for (generate_node_acls=0, all LUNs mapped); null for
    /// demo mode (any initiator, no ACL). Required with <see cref="Chap"/>.
    /// </summary>
    public string? InitiatorIqn { get; init; }

    /// <summary>Gets the CHAP credentials to require on the ACL, or null for no authentication.</summary>
    public ChapCredentials? Chap { get; init; }

    /// <summary>Gets a value indicating whether each LUN gets a unit serial (vpd_unit_serial), hence a VPD 0x83 WWID (multipath needs one).</summary>
    public bool UnitSerial { get; init; }

    /// <summary>
    /// Gets the address of a second portal group (tpgt_2, demo mode, the same LUNs) or null for none. Disabling it
    /// (<see cref="LioTarget.SetSecondGroupEnabled"/>) fails only the sessions through it: a path outage.
    /// </summary>
    public string? SecondGroupAddress { get; init; }
}
