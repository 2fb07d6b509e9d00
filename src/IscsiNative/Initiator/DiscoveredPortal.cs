namespace IscsiNative.Initiator;

/// <summary>A portal at which a discovered target is reachable.</summary>
/// <param name="Portal">Address and port.</param>
/// <param name="PortalGroupTag">Target portal group tag; -1 when the target did not send one.</param>
public sealed record DiscoveredPortal(IscsiPortal Portal, int PortalGroupTag);
