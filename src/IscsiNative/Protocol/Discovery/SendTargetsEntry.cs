namespace IscsiNative.Protocol;

/// <summary>One portal of one target from a SendTargets response; <see cref="PortalGroupTag"/> is -1 when absent.</summary>
internal readonly record struct SendTargetsEntry(string TargetName, string Address, int Port, int PortalGroupTag);
