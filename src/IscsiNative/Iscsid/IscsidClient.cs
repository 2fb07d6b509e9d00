using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IscsiNative.Iscsid;

/// <summary>
/// Talks to a running open-iscsi iscsid (2.1.8 wire format) over its management socket, as iscsiadm does: asks about
/// a session (<c>iscsiadm -m session -P 1</c>'s <c>iSCSI Connection State</c> and <c>Internal iscsid Session State</c>
/// lines) and asks it to log a session out (<c>iscsiadm -m session -r SID -u</c>).
/// </summary>
/// <remarks>
/// <para>The library itself never needs iscsid; this client exists so output can match iscsiadm byte for byte when
/// iscsid is there, and so a session iscsid owns is logged out by iscsid (a teardown from outside makes iscsid start
/// recovering the connection it sees drop, which races with that teardown). When it is not, iscsiadm prints <c>Unknown</c> for both lines and
/// <c>iscsiadm: can not connect to iSCSI daemon (111)!</c> on stderr, once per session it prints (exit status 0);
/// <see cref="IscsidError.IscsiadmMessage"/> carries that text. (Before each of those lines iscsiadm 2.1.8 also runs
/// the <c>iscsid.startup</c> command of iscsid.conf, whose own output lands on stderr, or logs
/// <c>iscsid is not running. Could not start it up automatically ...</c> when there is none, and sleeps 1 s per
/// session: observed in the VM stage.)</para>
/// <para>Each call opens one connection to the abstract unix socket <c>@ISCSIADM_ABSTRACT_NAMESPACE</c>, writes one
/// fixed-size <c>iscsiadm_req_t</c> (16104 bytes) and reads one <c>iscsiadm_rsp_t</c> (2464 bytes). iscsid only
/// answers a peer whose SO_PEERCRED uid maps to the user name <c>root</c> (getpwuid), or whose uid is 0 when
/// iscsid.conf sets <c>iscsid.ipc_auth_uid = Yes</c>; others get
/// <see cref="IscsidError.AccessDenied"/>. Unlike iscsiadm this client never tries to start iscsid
/// (<c>iscsid.startup</c>) and never sleeps between connection attempts unless the listen backlog is full.</para>
/// <para>Thread-safe: instances hold no connection state.</para>
/// </remarks>
internal sealed class IscsidClient
{
    /// <summary>The name iscsid listens on (<c>ISCSIADM_NAMESPACE</c>), without the leading NUL of an abstract address.</summary>
    public const string DefaultAbstractName = MgmtIpc.AbstractNamespace;

    private const int Econnrefused = 111;
    private const int Etimedout = 110;
    private const int Eagain = 11;
    private const int PollSliceMicroseconds = 100_000;

    private readonly UnixDomainSocketEndPoint _endPoint;
    private readonly ILogger _logger;

    /// <summary>Creates a client for iscsid's socket, or another abstract name (iscsistart uses
    /// <c>ISCSIADM_ABSTRACT_NAMESPACE-&lt;pid&gt;</c>; tests use their own).</summary>
    /// <param name="abstractName">The abstract socket name without the leading NUL.</param>
    /// <param name="logger">Receives debug messages; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException"><paramref name="abstractName"/> is empty or longer than 107 bytes.</exception>
    public IscsidClient(string abstractName = DefaultAbstractName, ILogger<IscsidClient>? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(abstractName);
        if (System.Text.Encoding.UTF8.GetByteCount(abstractName) > 107)
        {
            throw new ArgumentException("An abstract socket name holds at most 107 bytes.", nameof(abstractName));
        }

        AbstractName = abstractName;
        _endPoint = new UnixDomainSocketEndPoint("\0" + abstractName);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The abstract socket name this client connects to (without the leading NUL).</summary>
    public string AbstractName { get; }

    /// <summary>
    /// Asks iscsid for the connection state and internal session state of session <paramref name="sid"/>
    /// (<c>MGMT_IPC_SESSION_INFO</c>).
    /// </summary>
    /// <param name="sid">The session id (sysfs <c>sessionN</c>).</param>
    /// <param name="timeout">Bound on the whole exchange; <see cref="Timeout.InfiniteTimeSpan"/> waits like iscsiadm does.</param>
    /// <param name="state">On success the states iscsid reported (possibly out-of-range numbers, named <c>Unknown</c>);
    /// on failure <see cref="IscsidSessionState.Unknown"/>, which is what iscsiadm prints then.</param>
    /// <param name="error">On failure why, in iscsiadm's terms: <see cref="IscsidError.NotConnected"/> with errno 111
    /// when iscsid is not running, <see cref="IscsidError.SessionNotFound"/> when iscsid does not know the session,
    /// <see cref="IscsidError.CommunicationError"/> for a write error or a short or mismatched reply,
    /// <see cref="IscsidError.RequestTimedOut"/> with errno 110 when the timeout passed. Default on success.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns><see langword="true"/> when iscsid answered the question without error.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public bool TryGetSessionState(
        int sid,
        TimeSpan timeout,
        out IscsidSessionState state,
        out IscsidError error,
        CancellationToken cancellationToken = default)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be non-negative or infinite.");
        }

        long deadline = Deadline(timeout);

        byte[] buffer = ArrayPool<byte>.Shared.Rent(MgmtIpc.RequestSize);
        try
        {
            if (Exchange(sid, buffer, deadline, out state, out error, cancellationToken))
            {
                IscsidLog.SessionState(_logger, sid, state.ConnectionStateName, state.InternalStateName);
                return true;
            }

            state = IscsidSessionState.Unknown;
            IscsidLog.QueryFailed(_logger, sid, error.IscsiError, error.Errno);
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Asks iscsid to log session <paramref name="sid"/> out (<c>MGMT_IPC_SESSION_LOGOUT</c>), as
    /// <c>iscsiadm -m session -r SID -u</c> and <c>-m node -u</c> do, and waits for its answer: iscsid answers once it
    /// has sent the Logout PDU, had the response (or its logout_timeout passed) and destroyed the kernel session.
    /// </summary>
    /// <param name="sid">The session id (sysfs <c>sessionN</c>).</param>
    /// <param name="timeout">Bound on the whole exchange; <see cref="Timeout.InfiniteTimeSpan"/> waits like iscsiadm does.
    /// When it passes after the request went out, iscsid still carries the logout on.</param>
    /// <param name="error">On failure why, in iscsiadm's terms: <see cref="IscsidError.NotConnected"/> with errno 111
    /// when iscsid is not running (nothing was asked); <see cref="IscsidError.SessionNotFound"/> when iscsid does not
    /// manage that session (one another process logged in); iscsid's own refusal otherwise (e.g. 9 <c>internal
    /// error</c> for a session still logging in, 28 busy under <c>iscsid.safe_logout</c>, 13 access denied for a peer
    /// that is not root, 32 for a session reconnecting); <see cref="IscsidError.CommunicationError"/> for a write error
    /// or a short or mismatched reply; <see cref="IscsidError.RequestTimedOut"/> with errno 110 when the timeout
    /// passed. Default on success.</param>
    /// <param name="cancellationToken">Cancels the wait (iscsid carries on with a logout it was already asked for).</param>
    /// <returns><see langword="true"/> when iscsid reported the session logged out.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public bool TryLogoutSession(int sid, TimeSpan timeout, out IscsidError error, CancellationToken cancellationToken = default)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be non-negative or infinite.");
        }

        long deadline = Deadline(timeout);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(MgmtIpc.RequestSize);
        try
        {
            MgmtIpc.WriteSessionLogoutRequest(buffer, sid);
            if (TryExchange(MgmtIpc.SessionLogoutCommand, buffer, deadline, out error, cancellationToken))
            {
                IscsidLog.LoggedOut(_logger, sid);
                return true;
            }

            IscsidLog.LogoutFailed(_logger, sid, error.IscsiError, error.Errno);
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private bool Exchange(
        int sid, byte[] buffer, long deadline, out IscsidSessionState state, out IscsidError error, CancellationToken cancellationToken)
    {
        state = IscsidSessionState.Unknown;
        MgmtIpc.WriteSessionInfoRequest(buffer, sid);
        if (!TryExchange(MgmtIpc.SessionInfoCommand, buffer, deadline, out error, cancellationToken))
        {
            return false;
        }

        MgmtIpc.ReadSessionInfoResponse(buffer.AsSpan(0, MgmtIpc.ResponseSize), out _, out _, out state);
        return true;
    }

    /// <summary>
    /// One request/response over a new connection, as <c>iscsid_exec_req</c>: the request is the first
    /// <see cref="MgmtIpc.RequestSize"/> bytes of <paramref name="buffer"/>; on success the first
    /// <see cref="MgmtIpc.ResponseSize"/> bytes hold the reply, whose <c>err</c> was 0 and whose command matched.
    /// </summary>
    private bool TryExchange(int command, byte[] buffer, long deadline, out IscsidError error, CancellationToken cancellationToken)
    {
        Socket? socket = Connect(deadline, out error, cancellationToken);
        if (socket is null)
        {
            return false;
        }

        using (socket)
        {
            if (!TrySendAll(socket, buffer.AsSpan(0, MgmtIpc.RequestSize), command, deadline, out error, cancellationToken))
            {
                return false;
            }

            Span<byte> response = buffer.AsSpan(0, MgmtIpc.ResponseSize);
            response.Clear();
            if (!TryReceiveAll(socket, response, deadline, out error, cancellationToken))
            {
                return false;
            }

            // iscsid_response: a non-zero err wins; only a successful reply must echo the command.
            MgmtIpc.ReadResponseHeader(response, out int answered, out int iscsiError);
            if (iscsiError != IscsidError.Success)
            {
                error = new IscsidError(iscsiError, 0, null);
                return false;
            }

            if (answered != command)
            {
                error = new IscsidError(IscsidError.CommunicationError, 0, null);
                return false;
            }

            error = default;
            return true;
        }
    }

    /// <summary>Connects a non-blocking socket, or returns null with the error iscsiadm would report.</summary>
    private Socket? Connect(long deadline, out IscsidError error, CancellationToken cancellationToken)
    {
        int backoffMilliseconds = 1;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Socket socket;
            try
            {
                socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { Blocking = false };
            }
            catch (SocketException e)
            {
                error = new IscsidError(
                    IscsidError.NotConnected, e.NativeErrorCode, $"can not create IPC socket ({e.NativeErrorCode})!");
                return null;
            }

            int errno;
            try
            {
                socket.Connect(_endPoint);
                error = default;
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                errno = e.SocketErrorCode switch
                {
                    SocketError.WouldBlock or SocketError.TryAgain => Eagain,
                    SocketError.ConnectionRefused => Econnrefused,
                    _ => e.NativeErrorCode,
                };
            }

            // A full listen backlog (EAGAIN on a non-blocking AF_UNIX connect) is worth waiting for; nothing else
            // is: with nobody listening on the abstract name the kernel answers ECONNREFUSED at once.
            long remaining = RemainingMicroseconds(deadline);
            if (errno != Eagain || remaining <= 0)
            {
                error = NotConnected(errno);
                return null;
            }

            int sleepMicroseconds = (int)Math.Min(remaining, backoffMilliseconds * 1000L);
            cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMicroseconds(sleepMicroseconds));
            backoffMilliseconds = Math.Min(backoffMilliseconds * 2, 100);
        }
    }

    private static IscsidError NotConnected(int errno) =>
        new(IscsidError.NotConnected, errno, $"can not connect to iSCSI daemon ({errno})!");

    private static bool TrySendAll(
        Socket socket, ReadOnlySpan<byte> data, int command, long deadline, out IscsidError error, CancellationToken cancellationToken)
    {
        int sent = 0;
        while (sent < data.Length)
        {
            if (!TryWait(socket, SelectMode.SelectWrite, deadline, out error, cancellationToken))
            {
                return false;
            }

            int n = socket.Send(data[sent..], SocketFlags.None, out SocketError socketError);
            if (socketError == SocketError.WouldBlock)
            {
                continue;
            }

            if (socketError != SocketError.Success)
            {
                int errno = ToErrno(socketError);
                error = new IscsidError(
                    IscsidError.CommunicationError, errno,
                    $"got write error (-1/{errno}) on cmd {command}, daemon died?");
                return false;
            }

            sent += n;
        }

        error = default;
        return true;
    }

    private static bool TryReceiveAll(
        Socket socket, Span<byte> destination, long deadline, out IscsidError error, CancellationToken cancellationToken)
    {
        int received = 0;
        while (received < destination.Length)
        {
            if (!TryWait(socket, SelectMode.SelectRead, deadline, out error, cancellationToken))
            {
                return false;
            }

            int n = socket.Receive(destination[received..], SocketFlags.None, out SocketError socketError);
            if (socketError == SocketError.WouldBlock)
            {
                continue;
            }

            if (socketError != SocketError.Success || n == 0)
            {
                // iscsiadm logs "read error (%d/%d), daemon died?" with recv's result and errno.
                int errno = socketError == SocketError.Success ? 0 : ToErrno(socketError);
                int result = socketError == SocketError.Success ? 0 : -1;
                error = new IscsidError(IscsidError.CommunicationError, errno, $"read error ({result}/{errno}), daemon died?");
                return false;
            }

            received += n;
        }

        error = default;
        return true;
    }

    /// <summary>Polls in slices so cancellation is noticed, until ready or the deadline.</summary>
    private static bool TryWait(
        Socket socket, SelectMode mode, long deadline, out IscsidError error, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long remaining = RemainingMicroseconds(deadline);

            // Poll also reports readable on EOF / error and writable on a peer reset; Send/Receive then say which.
            if (socket.Poll((int)Math.Min(remaining, PollSliceMicroseconds), mode)
                || socket.Poll(0, SelectMode.SelectError))
            {
                error = default;
                return true;
            }

            if (RemainingMicroseconds(deadline) == 0)
            {
                error = new IscsidError(IscsidError.RequestTimedOut, Etimedout, null);
                return false;
            }
        }
    }

    private static long Deadline(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return long.MaxValue;
        }

        long now = Stopwatch.GetTimestamp();
        double ticks = timeout.TotalSeconds * Stopwatch.Frequency;
        return ticks >= long.MaxValue - now ? long.MaxValue - 1 : now + (long)ticks;
    }

    private static long RemainingMicroseconds(long deadline)
    {
        if (deadline == long.MaxValue)
        {
            return long.MaxValue;
        }

        long ticks = deadline - Stopwatch.GetTimestamp();
        if (ticks <= 0)
        {
            return 0;
        }

        double microseconds = ticks * 1e6 / Stopwatch.Frequency;
        return microseconds >= long.MaxValue / 2 ? long.MaxValue / 2 : Math.Max(1, (long)microseconds);
    }

    /// <summary>Linux errno for the socket errors a unix stream socket can report here.</summary>
    private static int ToErrno(SocketError socketError) => socketError switch
    {
        SocketError.ConnectionReset => 104,   // ECONNRESET
        SocketError.Shutdown => 32,           // EPIPE
        SocketError.ConnectionAborted => 103, // ECONNABORTED
        SocketError.ConnectionRefused => Econnrefused,
        SocketError.TimedOut => Etimedout,
        SocketError.WouldBlock => Eagain,
        SocketError.AccessDenied => 13,       // EACCES
        SocketError.NotConnected => 107,      // ENOTCONN
        SocketError.NoBufferSpaceAvailable => 105, // ENOBUFS
        _ => 5,                               // EIO
    };
}
