namespace IscsiNative.VmTests.Infrastructure;

/// <summary>
/// The iscsiadm node record of one target on one portal. Dispose logs out (if a session exists) and deletes the
/// record, so a test that declares it after its <see cref="LioTarget"/> leaves nothing behind.
/// </summary>
public sealed class IscsiadmNode : IDisposable
{
    private readonly Iscsiadm _iscsiadm;

    internal IscsiadmNode(Iscsiadm iscsiadm, string targetName, string portal)
    {
        _iscsiadm = iscsiadm;
        TargetName = targetName;
        Portal = portal;
    }

    /// <summary>Gets the target IQN.</summary>
    public string TargetName { get; }

    /// <summary>Gets the portal, ADDRESS:PORT.</summary>
    public string Portal { get; }

    /// <summary>Sets a node record setting (e.g. node.session.auth.password).</summary>
    /// <param name="name">The setting.</param>
    /// <param name="value">Its value.</param>
    /// <exception cref="InvalidOperationException">iscsiadm refused.</exception>
    public void Update(string name, string value) =>
        _iscsiadm.Run("-m", "node", "-T", TargetName, "-p", Portal, "-o", "update", "-n", name, "-v", value).EnsureSuccess();

    /// <summary>Sets the CHAP settings of the record (authmethod=CHAP, username/password, and the mutual pair if any).</summary>
    /// <param name="chap">The credentials.</param>
    public void SetChap(ChapCredentials chap)
    {
        ArgumentNullException.ThrowIfNull(chap);
        Update("node.session.auth.authmethod", "CHAP");
        Update("node.session.auth.username", chap.UserId);
        Update("node.session.auth.password", chap.Password);
        if (chap.IsMutual)
        {
            Update("node.session.auth.username_in", chap.MutualUserId!);
            Update("node.session.auth.password_in", chap.MutualPassword!);
        }
    }

    /// <summary>Logs in; a failure is returned (exit code), not thrown.</summary>
    /// <returns>The result.</returns>
    public ProcessResult Login() =>
        ProcessRunner.Run(Iscsiadm.LoginTimeout, "iscsiadm", "-m", "node", "-T", TargetName, "-p", Portal, "--login");

    /// <summary>Logs out; a failure is returned, not thrown.</summary>
    /// <returns>The result.</returns>
    public ProcessResult Logout() => _iscsiadm.Run("-m", "node", "-T", TargetName, "-p", Portal, "--logout");

    /// <summary>Logs out if still logged in and deletes the node record; never throws.</summary>
    public void Dispose()
    {
        try
        {
            if (SysfsProbe.SessionsTo(TargetName).Count > 0)
            {
                Logout();
            }

            _iscsiadm.Run("-m", "node", "-T", TargetName, "-p", Portal, "-o", "delete");
        }
        catch (Exception e) when (e is TimeoutException or IOException or InvalidOperationException)
        {
            Console.Error.WriteLine($"IscsiadmNode({TargetName}): cleanup failed: {e.Message}");
        }
    }
}
