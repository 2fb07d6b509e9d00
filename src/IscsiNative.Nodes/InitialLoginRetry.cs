using System.Diagnostics;
using System.Net.Sockets;

namespace IscsiNative.Nodes;

/// <summary>
/// iscsid's retry of an initial login (usr/initiator.c <c>iscsi_retry_initial_login</c>): a failed first login is tried
/// again until <c>node.session.initial_login_retry_max × node.conn[0].timeo.login_timeout</c> seconds have passed since
/// the first attempt started. Failures iscsid treats as final end it at once: authentication or authorization refused,
/// any other initiator error (status class 2), a broken negotiation. Connect failures, a connection lost during the
/// login, timeouts and target errors (class 3) are retried. The first retry waits DefaultTime2Wait (iscsid's reopen
/// delay), later ones 1 s.
/// </summary>
internal static class InitialLoginRetry
{
    /// <summary>The wait between retries after the first.</summary>
    internal static readonly TimeSpan LaterDelay = TimeSpan.FromSeconds(1);

    /// <summary>Runs <paramref name="attempt"/> until it succeeds, fails for good, or the budget is spent.</summary>
    /// <returns>The first successful attempt's result.</returns>
    internal static async Task<T> RunAsync<T>(
        Func<CancellationToken, Task<T>> attempt, TimeSpan budget, TimeSpan firstDelay, TimeSpan laterDelay, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        TimeSpan delay = firstDelay > TimeSpan.Zero ? firstDelay : laterDelay;
        while (true)
        {
            try
            {
                return await attempt(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsRetryable(e) && !cancellationToken.IsCancellationRequested && Stopwatch.GetElapsedTime(started) <= budget)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = laterDelay;
            }
        }
    }

    /// <summary>Whether iscsid would try the initial login again after <paramref name="e"/>.</summary>
    internal static bool IsRetryable(Exception e) => e switch
    {
        IscsiAuthenticationException => false,
        IscsiLoginException login => login.StatusClass is 1 or 3,
        IscsiTimeoutException => true,
        // The connection dropped during the login (the kernel's CONN_ERROR, or SEND_PDU on a dead socket): iscsid's
        // iscsi_login_eh in ISCSI_CONN_STATE_IN_LOGIN retries everything but an auth failure or a fatal login error.
        IscsiKernelException { Errno: Errno.ENOTCONN } => true,
        IscsiProtocolException or IscsiKernelException => false,
        IscsiException { InnerException: SocketException } => true,
        _ => false,
    };
}
