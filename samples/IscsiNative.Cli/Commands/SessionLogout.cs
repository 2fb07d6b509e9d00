using System.Globalization;
using IscsiNative.Formatting;
using IscsiNative.Initiator;
using IscsiNative.Iscsid;
using IscsiNative.Sysfs;

namespace IscsiNative.Cli.Commands;

/// <summary>
/// Logs one session out at a time, the way iscsiadm does when iscsid owns it and the library's way when not.
/// </summary>
/// <remarks>
/// <para>iscsiadm never tears a session down itself: it asks iscsid (<c>MGMT_IPC_SESSION_LOGOUT</c> by sid), and
/// iscsid sends the Logout PDU and destroys the kernel session. Tearing down from outside a session iscsid owns
/// makes iscsid see its connection drop and start recovering it (a re-login the target logs about 3 s later), which
/// races with the teardown: a fast caller's STOP_CONN/DESTROY meets iscsid's recovery and fails. So when iscsid
/// answers on its socket the session is handed to it; when iscsid is not running (ECONNREFUSED), or says it does not
/// know the session (<c>ISCSI_ERR_SESS_NOT_FOUND</c>: one the library logged in), the library logs it out itself.</para>
/// <para>iscsid is asked only once there is a session to log out, and not again after it was found not running;
/// the library's initiator is created only when it is needed.</para>
/// </remarks>
internal sealed class SessionLogout(CliEnvironment env) : IDisposable
{
    /// <summary>
    /// How long iscsid may take to answer a logout. iscsiadm waits without bound; iscsid answers once the session is
    /// gone, which takes at most the node's logout_timeout (15 s by default) plus the kernel teardown.
    /// </summary>
    internal static readonly TimeSpan IscsidTimeout = TimeSpan.FromSeconds(120);

    private const int Econnrefused = 111;

    private IscsidClient? _iscsid;
    private bool _iscsidNotRunning;
    private IscsiInitiator? _initiator;

    /// <summary>
    /// Logs session <paramref name="session"/> out. Prints nothing on success; on failure prints only what iscsiadm
    /// prints before its <c>Could not logout of</c> line (iscsid's communication errors), plus debug lines under
    /// <c>-d</c>; the caller prints the result lines.
    /// </summary>
    /// <param name="session">The session.</param>
    /// <returns>0, or the iscsiadm exit code of the failure.</returns>
    internal IscsiadmExitCode Logout(IscsiSession session)
    {
        int sid = session.Sid;
        if (!_iscsidNotRunning)
        {
            _iscsid ??= new IscsidClient(env.IscsidSocketName);
            if (_iscsid.TryLogoutSession(sid, IscsidTimeout, out IscsidError error))
            {
                env.Debug(1, Invariant($"iscsid logged out session {sid}"));
                return IscsiadmExitCode.Success;
            }

            if (error.IsNotConnected && error.Errno == Econnrefused)
            {
                _iscsidNotRunning = true;
                env.Debug(1, Invariant($"iscsid is not running ({error}); logging out session {sid} in-process"));
            }
            else if (error.IscsiError == IscsidError.SessionNotFound)
            {
                env.Debug(1, Invariant($"iscsid does not manage session {sid}; logging it out in-process"));
            }
            else
            {
                if (error.IscsiadmMessage is { } message)
                {
                    env.Error(message);
                }

                env.Debug(1, Invariant($"iscsid could not log out session {sid}: {error}"));
                return (IscsiadmExitCode)error.IscsiError;
            }
        }

        try
        {
            _initiator ??= new IscsiInitiator(new IscsiInitiatorOptions { SysfsRoot = env.DefaultSysfsRoot });
            _initiator.LogoutAsync(sid).GetAwaiter().GetResult();
            return IscsiadmExitCode.Success;
        }
        catch (Exception e) when (e is IscsiException or UnauthorizedAccessException or TimeoutException)
        {
            env.Debug(1, Invariant($"logout of session {sid} failed: {e}"));
            return e is UnauthorizedAccessException ? IscsiadmExitCode.Access : IscsiadmExitCode.Logout;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _initiator?.Dispose();

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
