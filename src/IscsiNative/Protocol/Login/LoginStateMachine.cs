using System.Text;

namespace IscsiNative.Protocol;

/// <summary>
/// Transport-agnostic, step-wise initiator login (RFC 7143 §6.3, §13): <see cref="WriteRequest"/> produces the next
/// Login Request (BHS + padded text) into a caller buffer, <see cref="ProcessResponse"/> consumes the Login Response.
/// Drives SecurityNegotiation → LoginOperationalNegotiation → FullFeaturePhase with the T/C/CSG/NSG rules, CHAP, and
/// every operational key with its result function, in open-iscsi's key order. The same instance works over a managed
/// socket and over the kernel's SEND_PDU/RECV_PDU (set <see cref="LoginSettings.VerifyTaskTag"/> to false there).
/// </summary>
internal sealed partial class LoginStateMachine : IDisposable
{
    /// <summary>Largest text a Login Request carries (the kernel's SEND_PDU limit for login/text).</summary>
    public const int MaxRequestDataLength = 8192;

    /// <summary>A buffer of this size always holds the next request.</summary>
    public const int RequestBufferSize = Bhs.Size + MaxRequestDataLength;

    /// <summary>Upper bound on request/response round trips, so a target that never transits cannot loop forever.</summary>
    public const int MaxExchanges = 32;

    private readonly LoginSettings _s;
    private readonly TextAccumulator _text;
    private readonly ChapClient? _chap;
    private readonly List<KeyValuePair<string, string>> _replies = [];
    private readonly HashSet<string> _awaitingAnswer = new(StringComparer.Ordinal);
    private LoginStage _stage;
    private bool _firstPdu = true;
    private bool _awaitingResponse;
    private bool _sendContinueAck;
    private bool _operationalOffered;
    private bool _requestedTransit;
    private LoginStage _requestedNext;
    private int _exchanges;
    private NegotiatedParameters? _result;

    private ushort _tsih;
    private uint _statSN;
    private uint _expStatSN;
    private uint _expCmdSN;
    private uint _maxCmdSN;

    private IscsiDigest _headerDigest;
    private IscsiDigest _dataDigest;
    private int _time2Wait;
    private int _time2Retain;
    private bool _ifMarker;
    private bool _ofMarker;
    private int _erl;
    private bool _initialR2T;
    private bool _immediateData;
    private int _maxBurst;
    private int _firstBurst;
    private int _maxOutstandingR2T;
    private int _maxConnections;
    private bool _dataPduInOrder;
    private bool _dataSequenceInOrder;
    private int _targetMaxRecv;
    private string? _targetAlias;
    private int _tpgt = -1;

    /// <summary>Starts a login with <paramref name="settings"/> (normalized as open-iscsi does).</summary>
    /// <exception cref="ArgumentException">Missing initiator name, or a normal session without target name.</exception>
    public LoginStateMachine(LoginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _s = settings.Normalize();
        ArgumentException.ThrowIfNullOrEmpty(_s.InitiatorName, "settings.InitiatorName");
        if (_s.SessionType == IscsiSessionType.Normal && string.IsNullOrEmpty(_s.TargetName))
        {
            throw new ArgumentException("A normal session needs a TargetName.", nameof(settings));
        }

        _text = new TextAccumulator(_s.TextLimits);
        if (_s.Credentials is not null)
        {
            _chap = new ChapClient(_s.Credentials, _s.ChapAlgorithms, _s.MaxChallengeLength);
        }

        _stage = _chap is null ? LoginStage.LoginOperationalNegotiation : LoginStage.SecurityNegotiation;
        _expStatSN = _s.ExpStatSN;
        _tsih = _s.Tsih;

        _headerDigest = FirstOffered(_s.HeaderDigest);
        _dataDigest = FirstOffered(_s.DataDigest);
        _time2Wait = _s.DefaultTime2Wait;
        _time2Retain = _s.DefaultTime2Retain;
        _initialR2T = _s.InitialR2T;
        _immediateData = _s.ImmediateData;
        _maxBurst = _s.MaxBurstLength;
        _firstBurst = _s.FirstBurstLength;
        _maxOutstandingR2T = _s.MaxOutstandingR2T;
        _maxConnections = 1;
        _dataPduInOrder = true;
        _dataSequenceInOrder = true;
    }

    /// <summary>The stage the next request is sent in.</summary>
    public LoginStage Stage => _stage;

    /// <summary>Whether the target accepted the transition to full feature phase.</summary>
    public bool IsComplete => _result is not null;

    /// <summary>The negotiated values once <see cref="IsComplete"/>.</summary>
    /// <exception cref="InvalidOperationException">Login not complete.</exception>
    public NegotiatedParameters Result => _result ?? throw new InvalidOperationException("The login is not complete.");

    /// <summary>Writes the next Login Request (BHS + text + zero padding); returns its length.</summary>
    /// <exception cref="InvalidOperationException">Complete, a response is outstanding, or the buffer is smaller than <see cref="RequestBufferSize"/>.</exception>
    /// <exception cref="IscsiProtocolException">The target kept the login going for more than <see cref="MaxExchanges"/> round trips, or sent more keys needing an answer than fit into one request.</exception>
    public int WriteRequest(Span<byte> destination)
    {
        if (IsComplete || _awaitingResponse)
        {
            throw new InvalidOperationException(IsComplete ? "The login is complete." : "A login response is outstanding.");
        }

        if (destination.Length < RequestBufferSize)
        {
            throw new InvalidOperationException($"The request buffer must hold {RequestBufferSize} bytes.");
        }

        if (++_exchanges > MaxExchanges)
        {
            ThrowHelper.ThrowProtocol($"Login did not reach full feature phase within {MaxExchanges} exchanges");
        }

        var writer = new TextKeyValueWriter(destination.Slice(Bhs.Size, MaxRequestDataLength));
        bool transit = false;
        LoginStage next = _stage;
        if (!_sendContinueAck)
        {
            if (_firstPdu)
            {
                WriteLeadingKeys(ref writer);
            }

            if (_stage == LoginStage.SecurityNegotiation)
            {
                transit = _chap!.WriteKeys(ref writer);
                next = transit ? StageAfterSecurity() : LoginStage.SecurityNegotiation;
            }
            else
            {
                if (!_operationalOffered)
                {
                    WriteOperationalOffer(ref writer);
                    _operationalOffered = true;
                }

                transit = true;
                next = LoginStage.FullFeaturePhase;
            }

            foreach (KeyValuePair<string, string> reply in _replies)
            {
                // A target can send any number of keys that need an answer (NotUnderstood, Irrelevant): refuse
                // rather than overflow the request.
                if (MaxRequestDataLength - writer.BytesWritten < Encoding.UTF8.GetByteCount(reply.Key) + Encoding.UTF8.GetByteCount(reply.Value) + 2)
                {
                    _replies.Clear();
                    ThrowHelper.ThrowProtocol($"Target sent more keys needing an answer than fit into a {MaxRequestDataLength}-byte Login Request");
                }

                writer.Write(Encoding.UTF8.GetBytes(reply.Key), reply.Value);
            }

            _replies.Clear();
        }

        _firstPdu = false;
        int length = writer.BytesWritten;
        PduEncoder.WriteLoginRequest(
            destination, transit, @continue: false, _stage, next, _s.Isid, _tsih, _s.InitiatorTaskTag, _s.Cid, _s.CmdSN, _expStatSN, length);
        destination.Slice(Bhs.Size + length, Bhs.Pad4(length) - length).Clear();
        _requestedTransit = transit;
        _requestedNext = next;
        _awaitingResponse = true;
        return Bhs.Size + Bhs.Pad4(length);
    }

    /// <summary>Consumes the Login Response to the last request (BHS and its unpadded data segment).</summary>
    /// <exception cref="InvalidOperationException">No request is outstanding.</exception>
    /// <exception cref="IscsiProtocolException">Malformed or rule-breaking response, or a Reject.</exception>
    /// <exception cref="IscsiAuthenticationException">Status 0x0201/0x0202 or mutual CHAP verification failed.</exception>
    /// <exception cref="IscsiLoginException">Any other non-zero status class (redirects carry TargetAddress).</exception>
    public void ProcessResponse(ReadOnlySpan<byte> bhs, ReadOnlySpan<byte> data)
    {
        if (!_awaitingResponse)
        {
            throw new InvalidOperationException("No login request is outstanding.");
        }

        _awaitingResponse = false;
        var h = new PduHeader(bhs);
        if (h.Opcode == IscsiOpcode.Reject)
        {
            ThrowHelper.ThrowProtocol($"Target rejected the Login Request (reason 0x{h.Byte2:x2})");
        }

        if (h.Opcode != IscsiOpcode.LoginResponse)
        {
            ThrowHelper.ThrowProtocol($"Expected a Login Response, got opcode 0x{(byte)h.Opcode:x2}");
        }

        if (h.DataSegmentLength != data.Length)
        {
            ThrowHelper.ThrowProtocol("Login Response DataSegmentLength does not match its data");
        }

        if (_s.VerifyTaskTag && h.InitiatorTaskTag != _s.InitiatorTaskTag)
        {
            ThrowHelper.ThrowProtocol("Login Response carries a foreign Initiator Task Tag");
        }

        if (h.StatusClass != LoginStatus.ClassSuccess)
        {
            // Checked before the ISID: some targets (tgtd) zero the ISID in failure responses.
            ThrowStatus(h.StatusClass, h.StatusDetail, data);
        }

        if (h.Isid != _s.Isid)
        {
            ThrowHelper.ThrowProtocol("Login Response carries a foreign ISID");
        }

        if (h.Byte3 != 0)
        {
            ThrowHelper.ThrowProtocol($"Target chose unsupported iSCSI version {h.Byte3}");
        }

        bool transit = h.IsTransit;
        if (transit && h.IsContinue)
        {
            ThrowHelper.ThrowProtocol("Login Response has both T and C set");
        }

        if (h.CurrentStage != _stage)
        {
            ThrowHelper.ThrowProtocol($"Login Response CSG {(int)h.CurrentStage} differs from the request's {(int)_stage}");
        }

        if (transit && (!_requestedTransit || h.NextStage != _requestedNext))
        {
            ThrowHelper.ThrowProtocol($"Target moved to stage {(int)h.NextStage} which the initiator did not request");
        }

        _tsih = h.Tsih;
        _statSN = h.StatSN;
        _expStatSN = h.StatSN + 1;
        _expCmdSN = h.ExpCmdSN;
        _maxCmdSN = h.MaxCmdSN;

        _text.Append(data);
        if (h.IsContinue)
        {
            _sendContinueAck = true;
            return;
        }

        _sendContinueAck = false;
        ProcessText(_text.Text);
        _text.Reset();

        if (_stage == LoginStage.SecurityNegotiation)
        {
            _chap!.OnResponse(transit);
        }

        if (transit)
        {
            _stage = h.NextStage;
            _awaitingAnswer.Clear();
            if (_stage == LoginStage.FullFeaturePhase)
            {
                _result = BuildResult();
            }
        }
    }

    public void Dispose()
    {
        _text.Dispose();
        _chap?.Dispose();
    }

    private static IscsiDigest FirstOffered(IscsiDigest p) =>
        p is IscsiDigest.Crc32C or IscsiDigest.Crc32CThenNone ? IscsiDigest.Crc32C : IscsiDigest.None;

    private static ReadOnlySpan<byte> DigestOffer(IscsiDigest p) => p switch
    {
        IscsiDigest.Crc32C => "CRC32C"u8,
        IscsiDigest.Crc32CThenNone => "CRC32C,None"u8,
        IscsiDigest.NoneThenCrc32C => "None,CRC32C"u8,
        _ => "None"u8,
    };

    private LoginStage StageAfterSecurity() =>
        _s.SessionType == IscsiSessionType.Discovery && _s.MaxRecvDataSegmentLength == 8192
            ? LoginStage.FullFeaturePhase
            : LoginStage.LoginOperationalNegotiation;

    private void WriteLeadingKeys(ref TextKeyValueWriter w)
    {
        w.Write("InitiatorName"u8, _s.InitiatorName);
        if (!string.IsNullOrEmpty(_s.InitiatorAlias))
        {
            w.Write("InitiatorAlias"u8, _s.InitiatorAlias);
        }

        if (_s.SessionType == IscsiSessionType.Normal)
        {
            w.Write("TargetName"u8, _s.TargetName!);
        }

        w.Write("SessionType"u8, _s.SessionType == IscsiSessionType.Discovery ? "Discovery"u8 : "Normal"u8);
    }

    /// <summary>open-iscsi's fill_op_params_text order (OPEN-ISCSI.md §4).</summary>
    private void WriteOperationalOffer(ref TextKeyValueWriter w)
    {
        Offer(ref w, "HeaderDigest", DigestOffer(_s.HeaderDigest));
        Offer(ref w, "DataDigest", DigestOffer(_s.DataDigest));
        OfferNumber(ref w, "DefaultTime2Wait", _s.DefaultTime2Wait);
        OfferNumber(ref w, "DefaultTime2Retain", _s.DefaultTime2Retain);
        Offer(ref w, "IFMarker", "No"u8);
        Offer(ref w, "OFMarker", "No"u8);
        Offer(ref w, "ErrorRecoveryLevel", "0"u8);
        if (_s.SessionType == IscsiSessionType.Normal)
        {
            Offer(ref w, "InitialR2T", _s.InitialR2T ? "Yes"u8 : "No"u8);
            Offer(ref w, "ImmediateData", _s.ImmediateData ? "Yes"u8 : "No"u8);
            OfferNumber(ref w, "MaxBurstLength", _s.MaxBurstLength);
            OfferNumber(ref w, "FirstBurstLength", _s.FirstBurstLength);
            OfferNumber(ref w, "MaxOutstandingR2T", _s.MaxOutstandingR2T);
            Offer(ref w, "MaxConnections", "1"u8);
            Offer(ref w, "DataPDUInOrder", "Yes"u8);
            Offer(ref w, "DataSequenceInOrder", "Yes"u8);
        }

        w.Write("MaxRecvDataSegmentLength"u8, (long)_s.MaxRecvDataSegmentLength);
    }

    private void Offer(ref TextKeyValueWriter w, string key, ReadOnlySpan<byte> value)
    {
        w.Write(Encoding.ASCII.GetBytes(key), value);
        _awaitingAnswer.Add(key);
    }

    private void OfferNumber(ref TextKeyValueWriter w, string key, long value)
    {
        w.Write(Encoding.ASCII.GetBytes(key), value);
        _awaitingAnswer.Add(key);
    }

    private void ThrowStatus(byte statusClass, byte statusDetail, ReadOnlySpan<byte> data)
    {
        string? targetAddress = null;
        if (statusClass == LoginStatus.ClassRedirection)
        {
            var reader = new TextKeyValueReader(data, _s.TextLimits);
            while (reader.TryRead(out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value))
            {
                if (key.SequenceEqual("TargetAddress"u8))
                {
                    targetAddress = Encoding.UTF8.GetString(value);
                }
            }
        }

        if (statusClass == LoginStatus.ClassInitiatorError && statusDetail is 1 or 2)
        {
            throw new IscsiAuthenticationException(statusClass, statusDetail);
        }

        throw new IscsiLoginException(statusClass, statusDetail, targetAddress);
    }

    private void ProcessText(ReadOnlySpan<byte> text)
    {
        var reader = new TextKeyValueReader(text, _s.TextLimits);
        while (reader.TryRead(out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value))
        {
            if (_stage == LoginStage.SecurityNegotiation && _chap!.TryHandle(key, value))
            {
                continue;
            }

            if (!HandleOperationalKey(key, value))
            {
                _replies.Add(new(Encoding.UTF8.GetString(key), "NotUnderstood"));
            }
        }
    }

    private NegotiatedParameters BuildResult()
    {
        int xmit;
        if (_targetMaxRecv > 0)
        {
            xmit = _s.MaxXmitDataSegmentLength == 0 || _s.MaxXmitDataSegmentLength > _targetMaxRecv ? _targetMaxRecv : _s.MaxXmitDataSegmentLength;
        }
        else
        {
            xmit = _s.MaxXmitDataSegmentLength == 0 ? 8192 : Math.Min(_s.MaxXmitDataSegmentLength, 8192);
        }

        return new NegotiatedParameters
        {
            SessionType = _s.SessionType,
            TargetName = _s.SessionType == IscsiSessionType.Normal ? _s.TargetName : null,
            TargetAlias = _targetAlias,
            TargetPortalGroupTag = _tpgt,
            Isid = _s.Isid,
            Tsih = _tsih,
            Cid = _s.Cid,
            MaxRecvDataSegmentLength = _s.MaxRecvDataSegmentLength,
            MaxXmitDataSegmentLength = xmit,
            FirstBurstLength = Math.Min(_firstBurst, _maxBurst),
            MaxBurstLength = _maxBurst,
            ImmediateData = _immediateData,
            InitialR2T = _initialR2T,
            MaxOutstandingR2T = _maxOutstandingR2T,
            MaxConnections = _maxConnections,
            HeaderDigest = _headerDigest,
            DataDigest = _dataDigest,
            DataPduInOrder = _dataPduInOrder,
            DataSequenceInOrder = _dataSequenceInOrder,
            ErrorRecoveryLevel = _erl,
            DefaultTime2Wait = _time2Wait,
            DefaultTime2Retain = _time2Retain,
            IFMarker = _ifMarker,
            OFMarker = _ofMarker,
            ChapAlgorithm = _chap?.Algorithm,
            CmdSN = _s.CmdSN,
            StatSN = _statSN,
            ExpStatSN = _expStatSN,
            ExpCmdSN = _expCmdSN,
            MaxCmdSN = _maxCmdSN,
        };
    }
}
