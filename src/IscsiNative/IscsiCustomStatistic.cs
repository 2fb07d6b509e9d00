namespace IscsiNative;

/// <summary>One driver-specific counter of <c>struct iscsi_stats_custom</c> (iscsi_tcp: tx_sendpage_failures, ...).</summary>
/// <param name="Name">The counter's name (<c>desc</c>, up to 63 ASCII characters).</param>
/// <param name="Value">The counter's value.</param>
public readonly record struct IscsiCustomStatistic(string Name, ulong Value);
