using System.Buffers;
using System.Globalization;
using IscsiNative.Iscsid;
using IscsiNative.Sysfs;

namespace IscsiNative.Formatting;

/// <summary>
/// Writes <c>iscsiadm -m session [-P level]</c> text, byte for byte as open-iscsi 2.1.8 prints it
/// (usr/session_info.c), from <see cref="IscsiSessionEntry"/> values to an <see cref="IBufferWriter{T}"/>.
/// Allocation-free after the first sessions; feed the sessions in enumeration order, as the tree groups
/// consecutive sessions of the same target.
/// </summary>
/// <remarks>Not thread-safe: one writer per output.</remarks>
internal sealed class IscsiadmSessionWriter
{
    /// <summary>The open-iscsi version this emulates, printed by <c>-P 3</c> as <c>version 2.1.8</c>.</summary>
    public const string DefaultOpenIscsiVersion = "2.1.8";

    private readonly IBufferWriter<byte> _output;
    private readonly IIscsidStateSource? _states;
    private readonly byte[] _version;
    private byte[] _previousTarget = new byte[256];
    private int _previousTargetLength = -1;
    private byte[] _previousAddress = new byte[64];
    private int _previousAddressLength = -1;
    private int _previousPort;
    private bool _headerDone;
    private readonly SessionTreeSections _sections;

    /// <summary>Creates a writer for one listing. The two lines only iscsid knows (its internal session and connection states) print Unknown.</summary>
    /// <param name="output">Where the text goes.</param>
    /// <param name="infoLevel">-1 (no <c>-P</c>) or 0 for the flat list, 1 to 3 for the tree.</param>
    /// <param name="openIscsiVersion">The version printed by <c>-P 3</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> or <paramref name="openIscsiVersion"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="infoLevel"/> is not -1 to 3.</exception>
    public IscsiadmSessionWriter(IBufferWriter<byte> output, int infoLevel, string openIscsiVersion = DefaultOpenIscsiVersion)
        : this(output, infoLevel, null, openIscsiVersion)
    {
    }

    /// <summary>Creates a writer that asks <paramref name="stateSource"/> (iscsid) for the two lines sysfs does not hold.</summary>
    internal IscsiadmSessionWriter(IBufferWriter<byte> output, int infoLevel, IIscsidStateSource? stateSource, string openIscsiVersion = DefaultOpenIscsiVersion)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(openIscsiVersion);
        if (!IsValidInfoLevel(infoLevel))
        {
            throw new ArgumentOutOfRangeException(nameof(infoLevel), infoLevel, "Invalid info level. Try 0 - 3.");
        }

        _output = output;
        InfoLevel = infoLevel;
        _states = stateSource;
        _version = System.Text.Encoding.UTF8.GetBytes(openIscsiVersion);
        _sections = SectionsOf(infoLevel);
    }

    /// <summary>
    /// A tree writer with an explicit set of sections (iscsiadm's <c>SESSION_INFO_*</c> flags), as <c>-m host -P 2..4</c>
    /// prints the sessions of a host: no header, the caller indents.
    /// </summary>
    internal IscsiadmSessionWriter(IBufferWriter<byte> output, SessionTreeSections sections, IIscsidStateSource? stateSource)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        InfoLevel = 1;
        _states = stateSource;
        _version = [];
        _sections = sections;
    }

    /// <summary>usr/session_info.c session_info_print: the sections of <c>-m session -P level</c>.</summary>
    private static SessionTreeSections SectionsOf(int infoLevel) => infoLevel switch
    {
        >= 3 => SessionTreeSections.SessionLevel3,
        2 => SessionTreeSections.SessionLevel2,
        1 => SessionTreeSections.Iface | SessionTreeSections.State,
        _ => SessionTreeSections.None,
    };

    /// <summary>The <c>-P</c> level: -1 or 0 flat, 1 to 3 tree.</summary>
    public int InfoLevel { get; }

    /// <summary>True for the levels iscsiadm accepts (-1 meaning no <c>-P</c>, 0 to 3).</summary>
    /// <param name="infoLevel">The level.</param>
    /// <returns>Whether iscsiadm would print at that level.</returns>
    public static bool IsValidInfoLevel(int infoLevel) => infoLevel is >= -1 and <= 3;

    /// <summary>
    /// Writes the <c>-P 3</c> header (<c>iSCSI Transport Class version …</c>, <c>version …</c>) once, before the
    /// first session; nothing at other levels or when <paramref name="transportClassVersion"/> is empty (unreadable).
    /// </summary>
    /// <param name="transportClassVersion">Content of <c>/sys/module/scsi_transport_iscsi/version</c>.</param>
    public void WriteHeader(ReadOnlySpan<byte> transportClassVersion)
    {
        if (_headerDone || InfoLevel != 3)
        {
            return;
        }

        _headerDone = true;
        if (transportClassVersion.IsEmpty)
        {
            return;
        }

        Write("iSCSI Transport Class version "u8);
        Write(transportClassVersion);
        Write("\nversion "u8);
        Write(_version);
        Write("\n"u8);
    }

    /// <summary>Writes one session at this writer's level.</summary>
    /// <param name="session">The session, in enumeration order.</param>
    public void WriteSession(in IscsiSessionEntry session)
    {
        if (InfoLevel <= 0)
        {
            WriteFlat(session);
        }
        else
        {
            WriteTree(session);
        }
    }

    /// <summary>
    /// Writes every session of a reader as <c>iscsiadm -m session -P level</c> does, header included.
    /// Writes nothing when there are no sessions (iscsiadm then says <c>No active sessions.</c> on stderr).
    /// </summary>
    /// <param name="reader">The sysfs reader.</param>
    /// <param name="output">Where the text goes.</param>
    /// <param name="infoLevel">-1 to 3.</param>
    /// <param name="sid">Only this session when 0 or more; every session when negative.</param>
    /// <returns>How many sessions were written.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="infoLevel"/> is not -1 to 3.</exception>
    internal static int WriteSessions(SysfsSessionReader reader, IBufferWriter<byte> output, int infoLevel, int sid = -1) =>
        WriteSessions(reader, output, infoLevel, null, sid);

    /// <summary>As the public overload, with iscsid's states (or <see langword="null"/>) for the two lines sysfs does not hold.</summary>
    internal static int WriteSessions(SysfsSessionReader reader, IBufferWriter<byte> output, int infoLevel, IIscsidStateSource? stateSource, int sid = -1)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var writer = new IscsiadmSessionWriter(output, infoLevel, stateSource);
        int count = 0;
        Span<byte> version = stackalloc byte[128];
        // The flat list prints seven attributes; the tree needs everything.
        IscsiSessionFields fields = infoLevel <= 0 ? IscsiSessionFields.Flat : IscsiSessionFields.All;
        foreach (ref readonly IscsiSessionEntry session in sid < 0 ? reader.EnumerateSessions(fields) : reader.EnumerateSession(sid, fields))
        {
            if (count++ == 0 && infoLevel == 3)
            {
                writer.WriteHeader(reader.TryReadTransportClassVersion(version, out int n) ? version[..n] : default);
            }

            writer.WriteSession(session);
        }

        return count;
    }

    private void WriteFlat(in IscsiSessionEntry s)
    {
        (_, int persistentPort) = IscsiadmValues.Ports(s);
        Write(s.TransportName.IsEmpty || !s.IsTransportLoaded ? "<empty>"u8 : s.TransportName);
        Write(": ["u8);
        WriteNumber(s.Sid);
        Write("] "u8);
        WritePortalAddress(s.PersistentAddress);
        Write(":"u8);
        WriteNumber(persistentPort);
        Write(","u8);
        WriteNumber(IscsiadmValues.LibInt(s, IscsiSessionAttribute.Tpgt));
        Write(" "u8);
        Write(s.TargetName);
        Write(IscsiadmValues.IsFlash(s) ? " (flash)\n"u8 : " (non-flash)\n"u8);
    }

    private void WriteTree(in IscsiSessionEntry s)
    {
        ReadOnlySpan<byte> target = s.TargetName;
        bool samePrevious = _previousTargetLength >= 0 && target.SequenceEqual(_previousTarget.AsSpan(0, _previousTargetLength));
        if (!samePrevious)
        {
            Write("Target: "u8);
            Write(target);
            Write(IscsiadmValues.IsFlash(s) ? " (flash)\n"u8 : " (non-flash)\n"u8);
            _previousAddressLength = -1;
        }

        (int port, int persistentPort) = IscsiadmValues.Ports(s);
        int tpgt = IscsiadmValues.LibInt(s, IscsiSessionAttribute.Tpgt);
        ReadOnlySpan<byte> address = s.Address;
        bool samePortal = _previousAddressLength >= 0 && _previousPort != 0 && port != 0
            && address.SequenceEqual(_previousAddress.AsSpan(0, _previousAddressLength)) && port == _previousPort;
        if (!samePortal)
        {
            Write("\tCurrent Portal: "u8);
            WritePortal(address, port, tpgt);
            Write("\tPersistent Portal: "u8);
            WritePortal(s.PersistentAddress, persistentPort, tpgt);
        }
        else
        {
            Write("\n"u8);
        }

        if ((_sections & SessionTreeSections.Iface) != 0)
        {
            WriteIface(s);
        }

        if ((_sections & SessionTreeSections.State) != 0)
        {
            WriteStates(s);
        }

        if ((_sections & SessionTreeSections.Timeouts) != 0)
        {
            WriteTimeouts(s);
        }

        if ((_sections & SessionTreeSections.Chap) != 0)
        {
            WriteChap(s);
        }

        if ((_sections & SessionTreeSections.Params) != 0)
        {
            WriteNegotiated(s);
        }

        if ((_sections & (SessionTreeSections.HostDevices | SessionTreeSections.ScsiDevices)) != 0)
        {
            WriteDevices(s);
        }

        Remember(ref _previousTarget, ref _previousTargetLength, target);
        Remember(ref _previousAddress, ref _previousAddressLength, address);
        _previousPort = port;
    }

    private void WriteIface(in IscsiSessionEntry s)
    {
        Write("\t\t**********\n\t\tInterface:\n\t\t**********\n"u8);
        WriteLine("\t\tIface Name: "u8, s.IfaceName);
        WriteLine("\t\tIface Transport: "u8, s.TransportName);
        WriteLine("\t\tIface Initiatorname: "u8, s.InitiatorName);
        ReadOnlySpan<byte> ip = IscsiadmValues.OrDefault(s.IfaceIPAddress);
        Write("\t\tIface IPaddress: "u8);
        if (ip.IndexOf((byte)'.') >= 0)
        {
            Write(ip);
        }
        else
        {
            Write("["u8);
            Write(ip);
            Write("]"u8);
        }

        Write("\n"u8);
        WriteLine("\t\tIface HWaddress: "u8, IscsiadmValues.OrDefault(s.IfaceHWAddress));
        WriteLine("\t\tIface Netdev: "u8, IscsiadmValues.OrDefault(s.IfaceNetdev));
    }

    private void WriteStates(in IscsiSessionEntry s)
    {
        Write("\t\tSID: "u8);
        WriteNumber(s.Sid);
        Write("\n"u8);
        int connectionState = -1;
        int sessionState = -1;
        bool known = false;
        try
        {
            known = _states is not null && _states.TryGetState(s.Sid, out connectionState, out sessionState);
        }
        catch (IOException)
        {
            known = false;
        }

        Write("\t\tiSCSI Connection State: "u8);
        WriteAscii(known ? IscsidSessionState.GetConnectionStateName((IscsidConnectionState)connectionState) : IscsidSessionState.UnknownName);
        Write("\n\t\tiSCSI Session State: "u8);
        Write(s.GetStatus(IscsiSessionAttribute.SessionState) == SysfsValueStatus.Present ? s.StateText : "Unknown"u8);
        Write("\n\t\tInternal iscsid Session State: "u8);
        WriteAscii(known ? IscsidSessionState.GetInternalStateName((IscsidInternalSessionState)sessionState) : IscsidSessionState.UnknownName);
        Write("\n"u8);
    }

    private void WriteTimeouts(in IscsiSessionEntry s)
    {
        Write("\t\t*********\n\t\tTimeouts:\n\t\t*********\n\t\tRecovery Timeout: "u8);
        WriteNumber(IscsiadmValues.LibInt(s, IscsiSessionAttribute.RecoveryTimeout));
        Write("\n"u8);
        WriteTimeout("\t\tTarget Reset Timeout: "u8, IscsiadmValues.LibInt(s, IscsiSessionAttribute.TargetResetTimeout));
        WriteTimeout("\t\tLUN Reset Timeout: "u8, IscsiadmValues.LibInt(s, IscsiSessionAttribute.LunResetTimeout));
        WriteTimeout("\t\tAbort Timeout: "u8, IscsiadmValues.LibInt(s, IscsiSessionAttribute.AbortTimeout));
    }

    private void WriteChap(in IscsiSessionEntry s)
    {
        // Passwords are never read; without --show iscsiadm prints eight stars whatever they hold.
        Write("\t\t*****\n\t\tCHAP:\n\t\t*****\n"u8);
        WriteLine("\t\tusername: "u8, s.Username);
        Write("\t\tpassword: ********\n"u8);
        WriteLine("\t\tusername_in: "u8, s.UsernameIn);
        Write("\t\tpassword_in: ********\n"u8);
    }

    private void WriteNegotiated(in IscsiSessionEntry s)
    {
        Write("\t\t************************\n\t\tNegotiated iSCSI params:\n\t\t************************\n"u8);
        WriteFlag(s, IscsiSessionAttribute.HeaderDigest, "\t\tHeaderDigest: CRC32C\n"u8, "\t\tHeaderDigest: None\n"u8);
        WriteFlag(s, IscsiSessionAttribute.DataDigest, "\t\tDataDigest: CRC32C\n"u8, "\t\tDataDigest: None\n"u8);
        WriteParam("\t\tMaxRecvDataSegmentLength: "u8, IscsiadmValues.SysfsInt(s, IscsiSessionAttribute.MaxRecvDataSegmentLength));
        WriteParam("\t\tMaxXmitDataSegmentLength: "u8, IscsiadmValues.SysfsInt(s, IscsiSessionAttribute.MaxXmitDataSegmentLength));
        WriteParam("\t\tFirstBurstLength: "u8, IscsiadmValues.SysfsInt(s, IscsiSessionAttribute.FirstBurstLength));
        WriteParam("\t\tMaxBurstLength: "u8, IscsiadmValues.SysfsInt(s, IscsiSessionAttribute.MaxBurstLength));
        WriteFlag(s, IscsiSessionAttribute.ImmediateData, "\t\tImmediateData: Yes\n"u8, "\t\tImmediateData: No\n"u8);
        WriteFlag(s, IscsiSessionAttribute.InitialR2T, "\t\tInitialR2T: Yes\n"u8, "\t\tInitialR2T: No\n"u8);
        WriteParam("\t\tMaxOutstandingR2T: "u8, IscsiadmValues.SysfsInt(s, IscsiSessionAttribute.MaxOutstandingR2T));
    }

    /// <summary>A 0/1 attribute as one of two lines; nothing when the kernel does not report it (-1).</summary>
    private void WriteFlag(in IscsiSessionEntry s, IscsiSessionAttribute attribute, ReadOnlySpan<byte> whenSet, ReadOnlySpan<byte> whenClear)
    {
        int v = IscsiadmValues.SysfsInt(s, attribute);
        if (v != -1)
        {
            Write(v != 0 ? whenSet : whenClear);
        }
    }

    private void WriteDevices(in IscsiSessionEntry s)
    {
        Write("\t\t************************\n\t\tAttached SCSI devices:\n\t\t************************\n"u8);
        if (s.HostNumber is not int host)
        {
            Write("\t\tUnavailable\n"u8);
            return;
        }

        if ((_sections & SessionTreeSections.HostDevices) != 0)
        {
            Write("\t\tHost Number: "u8);
            WriteNumber(host);
            Write("\tState: "u8);
            Write(s.GetStatus(IscsiSessionAttribute.ScsiHostState) == SysfsValueStatus.Present ? s.HostState : "Unknown"u8);
            Write("\n"u8);
        }

        if ((_sections & SessionTreeSections.ScsiDevices) == 0)
        {
            return;
        }

        foreach (IscsiDeviceEntry device in s.Devices)
        {
            Write("\t\tscsi"u8);
            WriteNumber(device.HostNumber);
            Write(" Channel 00 Id "u8);
            WriteNumber(device.Target);
            Write(" Lun: "u8);
            WriteNumber(device.Lun);
            Write("\n"u8);
            if (device.HasBlockDevice)
            {
                Write("\t\t\tAttached scsi disk "u8);
                Write(device.BlockDeviceName);
                Write("\t\tState: "u8);
                Write(device.StateStatus == SysfsValueStatus.Present ? device.State : "Unknown"u8);
                Write("\n"u8);
            }
        }
    }

    private void WritePortal(ReadOnlySpan<byte> address, int port, int tpgt)
    {
        WritePortalAddress(address);
        Write(":"u8);
        WriteNumber(port);
        Write(","u8);
        WriteNumber(tpgt);
        Write("\n"u8);
    }

    /// <summary>iscsiadm's IPv6 test: an address without a '.' is bracketed.</summary>
    private void WritePortalAddress(ReadOnlySpan<byte> address)
    {
        if (address.IndexOf((byte)'.') >= 0)
        {
            Write(address);
            return;
        }

        Write("["u8);
        Write(address);
        Write("]"u8);
    }

    private void WriteTimeout(ReadOnlySpan<byte> label, int value)
    {
        Write(label);
        if (value >= 0)
        {
            WriteNumber(value);
        }
        else
        {
            Write("<empty>"u8);
        }

        Write("\n"u8);
    }

    private void WriteParam(ReadOnlySpan<byte> label, int value)
    {
        if (value == -1)
        {
            return;
        }

        Write(label);
        WriteNumber(value);
        Write("\n"u8);
    }

    /// <summary>label, then the value or <c>&lt;empty&gt;</c>, then a newline.</summary>
    private void WriteLine(ReadOnlySpan<byte> label, ReadOnlySpan<byte> value)
    {
        Write(label);
        Write(value.IsEmpty ? "<empty>"u8 : value);
        Write("\n"u8);
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        Span<byte> destination = _output.GetSpan(bytes.Length);
        bytes.CopyTo(destination);
        _output.Advance(bytes.Length);
    }

    /// <summary>Writes a short ASCII constant (state names) without allocating.</summary>
    private void WriteAscii(string text)
    {
        Span<byte> destination = _output.GetSpan(text.Length);
        int written = System.Text.Encoding.ASCII.GetBytes(text, destination);
        _output.Advance(written);
    }

    private void WriteNumber(int value)
    {
        Span<byte> destination = _output.GetSpan(11);
        value.TryFormat(destination, out int written, default, CultureInfo.InvariantCulture);
        _output.Advance(written);
    }

    private static void Remember(ref byte[] store, ref int length, ReadOnlySpan<byte> value)
    {
        if (value.Length > store.Length)
        {
            store = new byte[Math.Max(value.Length, store.Length * 2)];
        }

        value.CopyTo(store);
        length = value.Length;
    }
}

/// <summary>The parts of a session in the tree form (usr/session_info.h <c>SESSION_INFO_*</c>).</summary>
[Flags]
internal enum SessionTreeSections
{
    /// <summary>Target and portal lines only.</summary>
    None = 0,

    /// <summary>The Interface block.</summary>
    Iface = 0x1,

    /// <summary>SID and the three state lines.</summary>
    State = 0x2,

    /// <summary>The Timeouts block.</summary>
    Timeouts = 0x4,

    /// <summary>The CHAP block.</summary>
    Chap = 0x8,

    /// <summary>The negotiated iSCSI parameters.</summary>
    Params = 0x10,

    /// <summary>The <c>Host Number: N\tState: S</c> line of the devices block.</summary>
    HostDevices = 0x20,

    /// <summary>The LUNs of the devices block.</summary>
    ScsiDevices = 0x40,

    /// <summary>What <c>-m session -P 2</c> prints.</summary>
    SessionLevel2 = Iface | State | Timeouts | Chap | Params,

    /// <summary>What <c>-m session -P 3</c> prints.</summary>
    SessionLevel3 = SessionLevel2 | HostDevices | ScsiDevices,
}
