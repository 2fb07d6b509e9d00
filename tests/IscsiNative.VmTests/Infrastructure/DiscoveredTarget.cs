namespace IscsiNative.VmTests.Infrastructure;

/// <summary>One line of iscsiadm sendtargets discovery: "127.0.0.1:3260,1 iqn...".</summary>
/// <param name="Portal">ADDRESS:PORT.</param>
/// <param name="Tpgt">The portal group tag.</param>
/// <param name="TargetName">The target IQN.</param>
public sealed record DiscoveredTarget(string Portal, int Tpgt, string TargetName);
