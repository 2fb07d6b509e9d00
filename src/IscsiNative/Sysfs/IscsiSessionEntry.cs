using System.Text;

namespace IscsiNative.Sysfs;

/// <summary>
/// One iSCSI session as read from sysfs, handed out by reference during enumeration
/// (<c>foreach (ref readonly IscsiSessionEntry s in initiator.EnumerateSessions())</c>).
/// </summary>
/// <remarks>
/// <para>Strings are <see cref="ReadOnlySpan{T}"/> of UTF-8 bytes pointing into the reader's reusable buffer: they are
/// valid until the enumerator moves to the next session or is disposed. Call <see cref="ToSession"/> to keep a copy.</para>
/// <para>Unknown values (file missing, unreadable, EACCES, ENOTCONN, <c>(null)</c>) read as empty spans or
/// <see langword="null"/> numbers; <see cref="ToSession"/> tells an unreadable string (<see langword="null"/>) from an
/// unset one (empty). Numeric accessors throw <see cref="IscsiSysfsException"/> naming the file and its content when a
/// file holds text that is not a number.</para>
/// <para>Shape: a struct that lives in the reader's pooled state and is handed out by <c>ref readonly</c>; every
/// public member is read-only and its fields are not public, so callers cannot change it. It is deliberately not a
/// <c>ref struct</c>: the entry with its per-attribute slots lives inside the pooled heap buffer set, which is what
/// makes a full enumeration allocate 0 bytes without copying the entry on every <c>MoveNext</c>. Do not keep a copy
/// past the iteration: its spans point into the buffer the next session overwrites.</para>
/// </remarks>
public struct IscsiSessionEntry
{
    internal SysfsReaderState? _state;
    internal SysfsValueSlots _slots;
    internal int _sid;
    internal int _host;
    internal int _ifaceNameOffset;
    internal int _ifaceNameLength;
    internal int _transportOffset;
    internal int _transportLength;
    internal bool _transportLoaded;
    internal int _deviceCount;

    /// <summary>The session id (N of <c>sessionN</c>).</summary>
    public readonly int Sid => _sid;

    /// <summary>The SCSI host number of the session, from the sysfs device path; <see langword="null"/> when unknown.</summary>
    public readonly int? HostNumber => _host >= 0 ? _host : null;

    /// <summary>How reading an attribute went.</summary>
    /// <param name="attribute">The attribute.</param>
    /// <returns>The status of that read.</returns>
    internal readonly SysfsValueStatus GetStatus(IscsiSessionAttribute attribute) => _slots[(int)attribute].Status;

    /// <summary>The errno of a failed read, 0 when it worked.</summary>
    /// <param name="attribute">The attribute.</param>
    /// <returns>The errno value.</returns>
    internal readonly int GetErrno(IscsiSessionAttribute attribute) => _slots[(int)attribute].Errno;

    /// <summary>An attribute's content without its trailing newline; empty unless <see cref="SysfsValueStatus.Present"/>.</summary>
    /// <param name="attribute">The attribute.</param>
    /// <returns>UTF-8 bytes valid until the enumerator moves on.</returns>
    internal readonly ReadOnlySpan<byte> GetRaw(IscsiSessionAttribute attribute)
    {
        SysfsValueSlot slot = _slots[(int)attribute];
        return _state is null || slot.Status != SysfsValueStatus.Present ? default : new(_state.Values, slot.Offset, slot.Length);
    }

    /// <summary>Parses a numeric attribute strictly (optional '-', digits); never throws.</summary>
    /// <param name="attribute">The attribute.</param>
    /// <param name="value">The number, or 0.</param>
    /// <returns>False when the value is unknown or not a number.</returns>
    internal readonly bool TryGetInt32(IscsiSessionAttribute attribute, out int value)
    {
        value = 0;
        return GetStatus(attribute) == SysfsValueStatus.Present && SysfsNumber.TryParseStrict(GetRaw(attribute), out value);
    }

    /// <summary>A numeric attribute, <see langword="null"/> when unknown.</summary>
    /// <param name="attribute">The attribute.</param>
    /// <returns>The number or <see langword="null"/>.</returns>
    /// <exception cref="IscsiSysfsException">The file holds text that is not a number.</exception>
    internal readonly int? GetInt32(IscsiSessionAttribute attribute)
    {
        if (GetStatus(attribute) != SysfsValueStatus.Present)
        {
            return null;
        }

        if (SysfsNumber.TryParseStrict(GetRaw(attribute), out int value))
        {
            return value;
        }

        throw NotANumber(attribute);
    }

    /// <summary>The target's IQN (<c>targetname</c>).</summary>
    public readonly ReadOnlySpan<byte> TargetName => GetRaw(IscsiSessionAttribute.TargetName);

    /// <summary>Target portal group tag.</summary>
    /// <exception cref="IscsiSysfsException">The file holds text that is not a number.</exception>
    public readonly int? Tpgt => GetInt32(IscsiSessionAttribute.Tpgt);

    /// <summary>The kernel session state.</summary>
    public readonly IscsiSessionState State
    {
        get
        {
            ReadOnlySpan<byte> s = GetRaw(IscsiSessionAttribute.SessionState);
            return s.SequenceEqual("LOGGED_IN"u8) ? IscsiSessionState.LoggedIn
                : s.SequenceEqual("FAILED"u8) ? IscsiSessionState.Failed
                : s.SequenceEqual("FREE"u8) ? IscsiSessionState.Free
                : IscsiSessionState.Unknown;
        }
    }

    /// <summary>The session state text as the kernel wrote it (e.g. <c>LOGGED_IN</c>).</summary>
    public readonly ReadOnlySpan<byte> StateText => GetRaw(IscsiSessionAttribute.SessionState);

    /// <summary>The <c>creator</c> value: the netlink port id of the creator, -1 when the kernel created the session.</summary>
    /// <exception cref="IscsiSysfsException">The file holds text that is not a number.</exception>
    public readonly int? Creator => GetInt32(IscsiSessionAttribute.Creator);

    /// <summary>True for a kernel-created (flash/boot) session (<c>creator</c> = -1), what iscsiadm prints as <c>flash</c>.</summary>
    public readonly bool IsFlash => TryGetInt32(IscsiSessionAttribute.Creator, out int c) && c == -1;

    /// <summary>The connection's peer address; the persistent address when the current one is unknown.</summary>
    public readonly ReadOnlySpan<byte> Address
    {
        get
        {
            ReadOnlySpan<byte> a = GetRaw(IscsiSessionAttribute.Address);
            return a.IsEmpty ? GetRaw(IscsiSessionAttribute.PersistentAddress) : a;
        }
    }

    /// <summary>The persistent (configured) portal address; the current address when it is unset.</summary>
    public readonly ReadOnlySpan<byte> PersistentAddress
    {
        get
        {
            ReadOnlySpan<byte> a = GetRaw(IscsiSessionAttribute.PersistentAddress);
            return a.IsEmpty ? GetRaw(IscsiSessionAttribute.Address) : a;
        }
    }

    /// <summary>The connection's peer port; the persistent port when the current one is unknown.</summary>
    /// <exception cref="IscsiSysfsException">The file holds text that is not a number.</exception>
    public readonly int? Port => GetInt32(IscsiSessionAttribute.Port) ?? GetInt32(IscsiSessionAttribute.PersistentPort);

    /// <summary>The persistent portal port; the current port when it is unknown.</summary>
    /// <exception cref="IscsiSysfsException">The file holds text that is not a number.</exception>
    public readonly int? PersistentPort => GetInt32(IscsiSessionAttribute.PersistentPort) ?? GetInt32(IscsiSessionAttribute.Port);

    /// <summary>The kernel connection state (<c>up</c>, <c>down</c>, <c>failed</c>, <c>bound</c>).</summary>
    public readonly ReadOnlySpan<byte> ConnectionStateText => GetRaw(IscsiSessionAttribute.ConnectionState);

    /// <summary>
    /// The iface name as iscsiadm shows it: <c>ifacename</c>, or <c>transport.hwaddress.ipv4|ipv6.0</c> for a session
    /// bound by hardware address, or <c>default</c>.
    /// </summary>
    public readonly ReadOnlySpan<byte> IfaceName => _state is null ? default : new(_state.Values, _ifaceNameOffset, _ifaceNameLength);

    /// <summary>The transport class name (<c>tcp</c>): the SCSI host's <c>proc_name</c> without its <c>iscsi_</c> prefix.</summary>
    public readonly ReadOnlySpan<byte> TransportName => _state is null ? default : new(_state.Values, _transportOffset, _transportLength);

    /// <summary>True when <c>/sys/class/iscsi_transport/&lt;TransportName&gt;</c> exists.</summary>
    public readonly bool IsTransportLoaded => _transportLoaded;

    /// <summary>The initiator name: the session's, else the host's; empty when neither is set.</summary>
    public readonly ReadOnlySpan<byte> InitiatorName
    {
        get
        {
            ReadOnlySpan<byte> s = GetRaw(IscsiSessionAttribute.InitiatorName);
            return s.IsEmpty ? GetRaw(IscsiSessionAttribute.HostInitiatorName) : s;
        }
    }

    /// <summary>The host's local address; empty when unknown (ENOTCONN on a failed session).</summary>
    public readonly ReadOnlySpan<byte> IfaceIPAddress => GetRaw(IscsiSessionAttribute.HostIPAddress);

    /// <summary>The host's hardware address; empty when unset.</summary>
    public readonly ReadOnlySpan<byte> IfaceHWAddress => GetRaw(IscsiSessionAttribute.HostHWAddress);

    /// <summary>The host's network device; empty when unset.</summary>
    public readonly ReadOnlySpan<byte> IfaceNetdev => GetRaw(IscsiSessionAttribute.HostNetdev);

    /// <summary>Session recovery timeout in seconds; -1 when the kernel reads <c>off</c>.</summary>
    /// <exception cref="IscsiSysfsException">The file holds text that is neither a number nor <c>off</c>.</exception>
    public readonly int? RecoveryTimeout =>
        GetRaw(IscsiSessionAttribute.RecoveryTimeout).SequenceEqual("off"u8) ? -1 : GetInt32(IscsiSessionAttribute.RecoveryTimeout);

    /// <summary>Target reset timeout in seconds.</summary>
    /// <exception cref="IscsiSysfsException">The file holds text that is not a number.</exception>
    public readonly int? TargetResetTimeout => GetInt32(IscsiSessionAttribute.TargetResetTimeout);

    /// <summary>LUN reset timeout in seconds.</summary>
    /// <exception cref="IscsiSysfsException">The file holds text that is not a number.</exception>
    public readonly int? LunResetTimeout => GetInt32(IscsiSessionAttribute.LunResetTimeout);

    /// <summary>Abort timeout in seconds.</summary>
    /// <exception cref="IscsiSysfsException">The file holds text that is not a number.</exception>
    public readonly int? AbortTimeout => GetInt32(IscsiSessionAttribute.AbortTimeout);

    /// <summary>Negotiated HeaderDigest: true for CRC32C.</summary>
    /// <exception cref="IscsiSysfsException">The file holds text that is not a number.</exception>
    public readonly bool? HeaderDigest => AsBool(GetInt32(IscsiSessionAttribute.HeaderDigest));

    /// <summary>Negotiated DataDigest: true for CRC32C.</summary>
    /// <exception cref="IscsiSysfsException">The file holds text that is not a number.</exception>
    public readonly bool? DataDigest => AsBool(GetInt32(IscsiSessionAttribute.DataDigest));

    /// <summary>Negotiated MaxRecvDataSegmentLength.</summary>
    /// <exception cref="IscsiSysfsException">The file holds text that is not a number.</exception>
    public readonly int? MaxRecvDataSegmentLength => GetInt32(IscsiSessionAttribute.MaxRecvDataSegmentLength);

    /// <summary>Negotiated MaxXmitDataSegmentLength.</summary>
    /// <exception cref="IscsiSysfsException">The file holds text that is not a number.</exception>
    public readonly int? MaxXmitDataSegmentLength => GetInt32(IscsiSessionAttribute.MaxXmitDataSegmentLength);

    /// <summary>Negotiated FirstBurstLength.</summary>
    /// <exception cref="IscsiSysfsException">The file holds text that is not a number.</exception>
    public readonly int? FirstBurstLength => GetInt32(IscsiSessionAttribute.FirstBurstLength);

    /// <summary>Negotiated MaxBurstLength.</summary>
    /// <exception cref="IscsiSysfsException">The file holds text that is not a number.</exception>
    public readonly int? MaxBurstLength => GetInt32(IscsiSessionAttribute.MaxBurstLength);

    /// <summary>Negotiated ImmediateData.</summary>
    /// <exception cref="IscsiSysfsException">The file holds text that is not a number.</exception>
    public readonly bool? ImmediateData => AsBool(GetInt32(IscsiSessionAttribute.ImmediateData));

    /// <summary>Negotiated InitialR2T.</summary>
    /// <exception cref="IscsiSysfsException">The file holds text that is not a number.</exception>
    public readonly bool? InitialR2T => AsBool(GetInt32(IscsiSessionAttribute.InitialR2T));

    /// <summary>Negotiated MaxOutstandingR2T.</summary>
    /// <exception cref="IscsiSysfsException">The file holds text that is not a number.</exception>
    public readonly int? MaxOutstandingR2T => GetInt32(IscsiSessionAttribute.MaxOutstandingR2T);

    /// <summary>Outgoing CHAP user name; empty when unset or unreadable (EACCES without CAP_SYS_ADMIN: <see cref="ToSession"/> gives <see langword="null"/> then).</summary>
    public readonly ReadOnlySpan<byte> Username => GetRaw(IscsiSessionAttribute.Username);

    /// <summary>Incoming (mutual) CHAP user name; empty when unset or unreadable.</summary>
    public readonly ReadOnlySpan<byte> UsernameIn => GetRaw(IscsiSessionAttribute.UsernameIn);

    /// <summary>The SCSI host state (e.g. <c>running</c>); empty when unknown.</summary>
    public readonly ReadOnlySpan<byte> HostState => GetRaw(IscsiSessionAttribute.ScsiHostState);

    /// <summary>The session's SCSI devices in alphasort order of their H:C:T:L names.</summary>
    public readonly ReadOnlySpan<IscsiDeviceEntry> Devices =>
        _state is null ? default : new(_state.Devices, 0, _deviceCount);

    /// <summary>Copies this entry into an <see cref="IscsiSession"/> with strings, to keep after the enumeration moves on.</summary>
    /// <returns>The materialized session (<see cref="IscsiSession.Parameters"/> is <see langword="null"/>: sysfs does not hold them all).</returns>
    /// <exception cref="IscsiSysfsException">A numeric attribute holds text that is not a number.</exception>
    public readonly IscsiSession ToSession()
    {
        var devices = new IscsiDevice[_deviceCount];
        ReadOnlySpan<IscsiDeviceEntry> entries = Devices;
        for (int i = 0; i < devices.Length; i++)
        {
            devices[i] = entries[i].ToDevice();
        }

        string persistentAddress = Encoding.UTF8.GetString(PersistentAddress);
        int? persistentPort = PersistentPort;
        return new IscsiSession
        {
            Sid = Sid,
            HostNumber = HostNumber,
            TargetName = Encoding.UTF8.GetString(TargetName),
            Tpgt = Tpgt,
            State = State,
            StateText = Text(IscsiSessionAttribute.SessionState),
            IsFlash = IsFlash,
            Creator = Creator,
            Address = Encoding.UTF8.GetString(Address),
            Port = Port,
            PersistentAddress = persistentAddress,
            PersistentPort = persistentPort,
            Portal = IscsiPortal.TryCreate(persistentAddress, persistentPort),
            ConnectionState = Text(IscsiSessionAttribute.ConnectionState),
            IfaceName = Encoding.UTF8.GetString(IfaceName),
            TransportName = Encoding.UTF8.GetString(TransportName),
            InitiatorName = Encoding.UTF8.GetString(InitiatorName),
            IfaceIPAddress = Encoding.UTF8.GetString(IfaceIPAddress),
            IfaceHWAddress = Encoding.UTF8.GetString(IfaceHWAddress),
            IfaceNetdev = Encoding.UTF8.GetString(IfaceNetdev),
            RecoveryTimeout = RecoveryTimeout,
            TargetResetTimeout = TargetResetTimeout,
            LunResetTimeout = LunResetTimeout,
            AbortTimeout = AbortTimeout,
            Username = Text(IscsiSessionAttribute.Username),
            UsernameIn = Text(IscsiSessionAttribute.UsernameIn),
            HeaderDigest = HeaderDigest,
            DataDigest = DataDigest,
            MaxRecvDataSegmentLength = MaxRecvDataSegmentLength,
            MaxXmitDataSegmentLength = MaxXmitDataSegmentLength,
            FirstBurstLength = FirstBurstLength,
            MaxBurstLength = MaxBurstLength,
            ImmediateData = ImmediateData,
            InitialR2T = InitialR2T,
            MaxOutstandingR2T = MaxOutstandingR2T,
            HostState = Text(IscsiSessionAttribute.ScsiHostState),
            Devices = devices,
        };
    }

    private static bool? AsBool(int? value) => value is null ? null : value.Value != 0;

    /// <summary>Present → the text, Empty → "", anything else → null.</summary>
    private readonly string? Text(IscsiSessionAttribute attribute) => GetStatus(attribute) switch
    {
        SysfsValueStatus.Present => Encoding.UTF8.GetString(GetRaw(attribute)),
        SysfsValueStatus.Empty => string.Empty,
        _ => null,
    };

    private readonly IscsiSysfsException NotANumber(IscsiSessionAttribute attribute)
    {
        string root = _state?.Owner.Root ?? "/sys";
        string path = SessionAttributeTable.DescribePath(root, _sid, _host, attribute);
        string value = Encoding.UTF8.GetString(GetRaw(attribute));
        return new IscsiSysfsException($"The sysfs attribute '{path}' holds '{value}', which is not a number.", path, value);
    }
}
