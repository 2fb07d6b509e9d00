namespace IscsiNative.Netlink;

/// <summary>The answer to one request: the unicast reply, or for GET_STATS the decoded statistics.</summary>
/// <param name="Reply">The unicast reply (default for GET_STATS).</param>
/// <param name="Statistics">The GET_STATS data.</param>
internal readonly record struct KernelResponse(IscsiUeventReply Reply, IscsiStatistics? Statistics);
