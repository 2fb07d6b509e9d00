namespace IscsiNative.Initiator;

/// <summary>A target reported by SendTargets discovery, with every portal it listed (in the order received).</summary>
/// <param name="Name">The iSCSI target name (iqn./eui./naa.).</param>
/// <param name="Portals">Where the target can be reached; never empty.</param>
public sealed record DiscoveredTarget(string Name, IReadOnlyList<DiscoveredPortal> Portals);
