namespace IscsiNative.VmTests.Infrastructure;

/// <summary>CHAP credentials for a LIO ACL (and the matching iscsiadm node settings).</summary>
/// <param name="UserId">The name the initiator authenticates with.</param>
/// <param name="Password">The initiator's secret (LIO wants 12 to 16 characters for interoperability; any length works).</param>
/// <param name="MutualUserId">The name the target authenticates with (mutual CHAP), or null.</param>
/// <param name="MutualPassword">The target's secret (mutual CHAP), or null.</param>
public sealed record ChapCredentials(string UserId, string Password, string? MutualUserId = null, string? MutualPassword = null)
{
    /// <summary>Gets whether the target also authenticates itself to the initiator.</summary>
    public bool IsMutual => MutualUserId is not null && MutualPassword is not null;

    /// <inheritdoc/>
    public override string ToString() => $"ChapCredentials {{ UserId = {UserId}, Mutual = {IsMutual} }}";
}
