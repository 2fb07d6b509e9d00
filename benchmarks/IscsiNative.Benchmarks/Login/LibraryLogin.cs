using IscsiNative.Initiator;
using IscsiNative.Sysfs;

namespace IscsiNative.Benchmarks.Login;

/// <summary>The library's kernel login: <see cref="IscsiInitiator.LoginAsync"/> and <see cref="IscsiInitiator.LogoutAsync(IscsiSession, CancellationToken)"/> with default options.</summary>
internal sealed class LibraryLogin(IscsiInitiator initiator)
{
    /// <summary>What is measured, for the report.</summary>
    internal static string Signature =>
        "IscsiInitiator.LoginAsync(target, portal) with default LoginOptions (returns after the LUN scan found the block devices); LogoutAsync(session)";

    /// <summary>Logs in to one target and returns the session.</summary>
    internal Task<IscsiSession> LoginAsync(string portal, string target, CancellationToken ct) =>
        initiator.LoginAsync(target, IscsiPortal.Parse(portal), null, ct);

    /// <summary>Logs out of a session from <see cref="LoginAsync"/>.</summary>
    internal Task<bool> LogoutAsync(IscsiSession session, CancellationToken ct) => initiator.LogoutAsync(session, ct);
}
