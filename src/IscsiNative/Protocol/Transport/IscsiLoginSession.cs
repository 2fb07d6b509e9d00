namespace IscsiNative.Protocol;

/// <summary>
/// A managed (user-space TCP) iSCSI session: logs in to full feature phase, exchanges text (SendTargets), answers
/// target NOP-Ins, and logs out. Used for discovery and for login tests against real targets; the kernel login reuses
/// <see cref="LoginStateMachine"/> and <see cref="LoginExchange"/> over its own transport.
/// </summary>
internal sealed class IscsiLoginSession : IAsyncDisposable
{
    /// <summary>Unsolicited PDUs (NOP-In, Async) tolerated while waiting for one response.</summary>
    public const int MaxUnsolicitedPdus = 64;

    private readonly IIscsiPduTransport _transport;
    private readonly byte[] _sendBuffer;
    private uint _cmdSN;
    private uint _expStatSN;
    private uint _expCmdSN;
    private uint _maxCmdSN;
    private uint _nextItt;
    private bool _loggedOut;

    private IscsiLoginSession(IIscsiPduTransport transport, NegotiatedParameters parameters, uint loginItt)
    {
        _transport = transport;
        Parameters = parameters;
        _cmdSN = parameters.CmdSN;
        _expStatSN = parameters.ExpStatSN;
        _expCmdSN = parameters.ExpCmdSN;
        _maxCmdSN = parameters.MaxCmdSN;
        _nextItt = loginItt + 1;
        _sendBuffer = new byte[Bhs.Size + LoginStateMachine.MaxRequestDataLength];
    }

    /// <summary>What the login negotiated.</summary>
    public NegotiatedParameters Parameters { get; }

    /// <summary>Longest wait for each response after login.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Connects over TCP and logs in.</summary>
    /// <exception cref="IscsiLoginException">Login refused.</exception>
    /// <exception cref="IscsiProtocolException">Target broke the protocol.</exception>
    /// <exception cref="IscsiException">Connection failure or timeout.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static async Task<IscsiLoginSession> ConnectAsync(
        string host, int port, LoginSettings settings, TimeSpan connectTimeout, TimeSpan loginTimeout, TimeSpan responseTimeout,
        CancellationToken cancellationToken)
    {
        TcpPduTransport transport = await TcpPduTransport.ConnectAsync(host, port, connectTimeout, cancellationToken).ConfigureAwait(false);
        try
        {
            // During login the exchange's own deadline (loginTimeout) bounds every receive. A second timer of the same
            // length on each receive raced it: under load either could fire first, and a silent target was reported as
            // "receive PDU" instead of "login" (seen once in 40 suite runs with the host oversubscribed).
            transport.ReceiveTimeout = Timeout.InfiniteTimeSpan;
            IscsiLoginSession session = await LoginAsync(transport, settings, loginTimeout, cancellationToken).ConfigureAwait(false);
            transport.ReceiveTimeout = responseTimeout;
            transport.MaxReceiveDataSegmentLength = session.Parameters.MaxRecvDataSegmentLength;
            transport.HeaderDigest = session.Parameters.HeaderDigest == IscsiDigest.Crc32C;
            transport.DataDigest = session.Parameters.DataDigest == IscsiDigest.Crc32C;
            session.ResponseTimeout = responseTimeout;
            return session;
        }
        catch
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Logs in over an already connected transport (which the session then owns).</summary>
    /// <exception cref="IscsiLoginException">Login refused.</exception>
    /// <exception cref="IscsiProtocolException">Target broke the protocol.</exception>
    /// <exception cref="IscsiException">Transport failure or timeout.</exception>
    public static async Task<IscsiLoginSession> LoginAsync(
        IIscsiPduTransport transport, LoginSettings settings, TimeSpan loginTimeout, CancellationToken cancellationToken)
    {
        using var machine = new LoginStateMachine(settings);
        NegotiatedParameters parameters = await LoginExchange.RunAsync(transport, machine, loginTimeout, cancellationToken).ConfigureAwait(false);
        return new IscsiLoginSession(transport, parameters, settings.InitiatorTaskTag);
    }

    /// <summary>
    /// Sends one text request and collects the whole response, following F=0/TTT continuation and the C bit,
    /// bounded by <paramref name="limits"/>. Returns a copy of the response text.
    /// </summary>
    /// <exception cref="IscsiProtocolException">Reject, unexpected PDU, or limits exceeded.</exception>
    /// <exception cref="IscsiException">Transport failure or timeout.</exception>
    public async Task<byte[]> SendTextAsync(ReadOnlyMemory<byte> text, TextLimits limits, CancellationToken cancellationToken)
    {
        if (text.Length > LoginStateMachine.MaxRequestDataLength)
        {
            throw new ArgumentException("Text request too long.", nameof(text));
        }

        using var accumulator = new TextAccumulator(limits);
        uint itt = _nextItt++;
        uint ttt = Bhs.ReservedTag;
        ReadOnlyMemory<byte> payload = text;
        while (true)
        {
            PduEncoder.WriteTextRequest(_sendBuffer, immediate: false, final: true, @continue: false, 0, itt, ttt, _cmdSN, _expStatSN, payload.Length);
            payload.CopyTo(_sendBuffer.AsMemory(Bhs.Size));
            int padded = Bhs.Pad4(payload.Length);
            _sendBuffer.AsSpan(Bhs.Size + payload.Length, padded - payload.Length).Clear();
            _cmdSN++;
            await _transport.SendAsync(_sendBuffer.AsMemory(0, Bhs.Size + padded), cancellationToken).ConfigureAwait(false);
            payload = ReadOnlyMemory<byte>.Empty;

            PduBuffer response = await ReceiveResponseAsync(IscsiOpcode.TextResponse, itt, cancellationToken).ConfigureAwait(false);
            bool final = IsFinal(response, out ttt);
            accumulator.Append(response.Data.Span);
            if (final)
            {
                return accumulator.Text.ToArray();
            }
        }
    }

    /// <summary>Sends a Logout Request (close the session) and waits for its response.</summary>
    /// <exception cref="IscsiException">The target answered with a non-zero logout response, a transport failure, or a timeout.</exception>
    public async Task LogoutAsync(CancellationToken cancellationToken)
    {
        if (_loggedOut)
        {
            return;
        }

        _loggedOut = true;
        uint itt = _nextItt++;
        PduEncoder.WriteLogoutRequest(_sendBuffer, immediate: true, reason: 0, itt, Parameters.Cid, _cmdSN, _expStatSN);
        await _transport.SendAsync(_sendBuffer.AsMemory(0, Bhs.Size), cancellationToken).ConfigureAwait(false);
        PduBuffer response = await ReceiveResponseAsync(IscsiOpcode.LogoutResponse, itt, cancellationToken).ConfigureAwait(false);
        byte code = response.Header.Span[2];
        if (code != 0)
        {
            throw new IscsiException($"Logout failed: target answered response code {code}");
        }
    }

    public ValueTask DisposeAsync() => _transport.DisposeAsync();

    private static bool IsFinal(PduBuffer response, out uint ttt)
    {
        var h = new PduHeader(response.Header.Span);
        ttt = h.TargetTransferTag;
        if (h.IsFinal)
        {
            if (h.IsContinue)
            {
                ThrowHelper.ThrowProtocol("Text Response has both F and C set");
            }

            return true;
        }

        if (ttt == Bhs.ReservedTag)
        {
            ThrowHelper.ThrowProtocol("Text Response continues (F=0) without a Target Transfer Tag");
        }

        return false;
    }

    private async Task<PduBuffer> ReceiveResponseAsync(IscsiOpcode expected, uint itt, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(ResponseTimeout);
        try
        {
            for (int i = 0; i <= MaxUnsolicitedPdus; i++)
            {
                PduBuffer pdu = await _transport.ReceiveAsync(cts.Token).ConfigureAwait(false);
                if (Accept(pdu, expected, itt, out bool reply, out uint ttt))
                {
                    return pdu;
                }

                if (reply)
                {
                    PduEncoder.WriteNopOut(_sendBuffer, immediate: true, new PduHeader(pdu.Header.Span).Lun, Bhs.ReservedTag, ttt, _cmdSN, _expStatSN, 0);
                    await _transport.SendAsync(_sendBuffer.AsMemory(0, Bhs.Size), cts.Token).ConfigureAwait(false);
                }
            }

            return ThrowHelper.ThrowProtocol<PduBuffer>($"Target sent more than {MaxUnsolicitedPdus} unsolicited PDUs without answering");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw ThrowHelper.Timeout("receive PDU", ResponseTimeout, $"no {expected} from the target");
        }
    }

    private bool Accept(PduBuffer pdu, IscsiOpcode expected, uint itt, out bool replyNop, out uint ttt)
    {
        var h = new PduHeader(pdu.Header.Span);
        replyNop = false;
        ttt = 0;
        switch (h.Opcode)
        {
            case IscsiOpcode.Reject:
                ThrowHelper.ThrowProtocol($"Target rejected the {expected switch { IscsiOpcode.TextResponse => "Text", _ => "Logout" }} Request (reason 0x{h.Byte2:x2})");
                break;
            case IscsiOpcode.NopIn:
                ttt = h.TargetTransferTag;
                replyNop = ttt != Bhs.ReservedTag;
                UpdateCmdWindow(h);
                return false;
            case IscsiOpcode.AsyncMessage:
                UpdateStatus(h);
                return false;
        }

        if (h.Opcode != expected)
        {
            ThrowHelper.ThrowProtocol($"Expected {expected}, got opcode 0x{(byte)h.Opcode:x2}");
        }

        if (h.InitiatorTaskTag != itt)
        {
            ThrowHelper.ThrowProtocol($"{expected} carries a foreign Initiator Task Tag");
        }

        UpdateStatus(h);
        return true;
    }

    private void UpdateStatus(PduHeader h)
    {
        if (SerialNumber.GreaterThanOrEqual(h.StatSN, _expStatSN) || h.StatSN + 1 == _expStatSN)
        {
            _expStatSN = h.StatSN + 1;
        }

        UpdateCmdWindow(h);
    }

    private void UpdateCmdWindow(PduHeader h)
    {
        // RFC 7143 §4.2.2.1: ignore MaxCmdSN/ExpCmdSN that would move backwards or describe an invalid window.
        if (SerialNumber.GreaterThanOrEqual(h.MaxCmdSN, h.ExpCmdSN - 1))
        {
            if (SerialNumber.GreaterThan(h.ExpCmdSN, _expCmdSN))
            {
                _expCmdSN = h.ExpCmdSN;
            }

            if (SerialNumber.GreaterThan(h.MaxCmdSN, _maxCmdSN))
            {
                _maxCmdSN = h.MaxCmdSN;
            }
        }
    }
}
