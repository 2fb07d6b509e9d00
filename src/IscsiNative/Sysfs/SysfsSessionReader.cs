using System.Text;

namespace IscsiNative.Sysfs;

/// <summary>
/// Reads the kernel's iSCSI session state from sysfs without allocating: sessions in alphasort order of their
/// <c>sessionN</c> names (as iscsiadm lists them), their connection, iface, negotiated parameters and SCSI devices.
/// </summary>
/// <remarks>
/// Thread-safe: each enumeration takes a reusable buffer set; concurrent enumerations get their own set.
/// Sessions that vanish while being read are skipped; unreadable attributes read as unknown (see
/// <see cref="IscsiSessionEntry"/>).
/// </remarks>
internal sealed partial class SysfsSessionReader : IDisposable
{
    private readonly byte[] _root;

    /// <summary>
    /// Whether attributes are opened by their real device path after one readlink of the session's class link (true),
    /// or through the class links (false; kept for the benchmark's A/B comparison, <c>enum-ab</c>).
    /// </summary>
    internal bool ResolveClassLinks { get; init; } = true;
    private SysfsReaderState? _cached;
    private bool _disposed;

    /// <summary>Creates a reader over a sysfs tree and its device nodes.</summary>
    /// <param name="sysfsRoot">The sysfs mount point, <c>/sys</c> normally; a fixture tree in tests.</param>
    /// <param name="devRoot">Where device nodes live, <c>/dev</c> normally; a fixture directory in tests. Only used to
    /// check that a block device's node exists; <see cref="IscsiDevice.DevicePath"/> always names <c>/dev</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="sysfsRoot"/> or <paramref name="devRoot"/> is empty.</exception>
    public SysfsSessionReader(string sysfsRoot = "/sys", string devRoot = "/dev")
    {
        ArgumentException.ThrowIfNullOrEmpty(sysfsRoot);
        ArgumentException.ThrowIfNullOrEmpty(devRoot);
        Root = sysfsRoot.Length > 1 ? sysfsRoot.TrimEnd('/') : sysfsRoot;
        DevRoot = devRoot;
        _root = Encoding.UTF8.GetBytes(Root == "/" ? string.Empty : Root);
    }

    /// <summary>The sysfs root this reader reads.</summary>
    public string Root { get; }

    /// <summary>The directory of device nodes (<c>/dev</c> unless injected).</summary>
    public string DevRoot { get; }

    /// <summary>Enumerates every session, in alphasort order of the <c>sessionN</c> names (session10 before session2).</summary>
    /// <returns>A struct enumerable; use it with <c>foreach (ref readonly IscsiSessionEntry s in ...)</c>.</returns>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public SysfsSessionEnumerable EnumerateSessions() => EnumerateSessions(IscsiSessionFields.All);

    /// <summary>
    /// Enumerates every session, reading only the requested fields (each attribute costs a file read; the rest
    /// read as <see cref="SysfsValueStatus.NotRead"/>), in alphasort order of the <c>sessionN</c> names.
    /// </summary>
    /// <param name="fields">What to read, e.g. <see cref="IscsiSessionFields.Flat"/> for what <c>-P 0</c> prints.</param>
    /// <returns>A struct enumerable; use it with <c>foreach (ref readonly IscsiSessionEntry s in ...)</c>.</returns>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public SysfsSessionEnumerable EnumerateSessions(IscsiSessionFields fields)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new SysfsSessionEnumerable(this, -1, fields);
    }

    /// <summary>Enumerates the one session with the given id: nothing when it does not exist.</summary>
    /// <param name="sid">The session id (N of sessionN).</param>
    /// <returns>A struct enumerable yielding zero or one entry.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sid"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public SysfsSessionEnumerable EnumerateSession(int sid) => EnumerateSession(sid, IscsiSessionFields.All);

    /// <summary>Enumerates session <paramref name="sid"/> alone (zero or one entry), reading only the requested fields.</summary>
    /// <param name="sid">The session id.</param>
    /// <param name="fields">What to read.</param>
    /// <returns>A struct enumerable with at most one entry.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sid"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public SysfsSessionEnumerable EnumerateSession(int sid, IscsiSessionFields fields)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sid);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new SysfsSessionEnumerable(this, sid, fields);
    }

    /// <summary>Reads every session into materialized objects.</summary>
    /// <returns>The sessions in alphasort order of their names.</returns>
    /// <exception cref="IscsiSysfsException">A numeric attribute holds text that is not a number.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public IReadOnlyList<IscsiSession> GetSessions()
    {
        var list = new List<IscsiSession>();
        foreach (ref readonly IscsiSessionEntry entry in EnumerateSessions())
        {
            list.Add(entry.ToSession());
        }

        return list;
    }

    /// <summary>Reads one session into a materialized object.</summary>
    /// <param name="sid">The session id.</param>
    /// <param name="session">The session, or <see langword="null"/> when it does not exist.</param>
    /// <returns>True when the session exists.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sid"/> is negative.</exception>
    /// <exception cref="IscsiSysfsException">A numeric attribute holds text that is not a number.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public bool TryGetSession(int sid, out IscsiSession? session)
    {
        foreach (ref readonly IscsiSessionEntry entry in EnumerateSession(sid))
        {
            session = entry.ToSession();
            return true;
        }

        session = null;
        return false;
    }

    /// <summary>
    /// Reads <c>module/scsi_transport_iscsi/version</c> (e.g. <c>2.0-870</c>), which iscsiadm prints as the
    /// "iSCSI Transport Class version" of <c>-P 3</c>.
    /// </summary>
    /// <param name="destination">Where the UTF-8 version goes.</param>
    /// <param name="bytesWritten">How many bytes were written.</param>
    /// <returns>False when the file is missing, unreadable, empty or longer than <paramref name="destination"/>.</returns>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public bool TryReadTransportClassVersion(Span<byte> destination, out int bytesWritten)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        bytesWritten = 0;
        SysfsReaderState state = RentState();
        try
        {
            state.ValuesUsed = 0;
            state.PathSet(_root);
            state.PathAppend("/module/scsi_transport_iscsi/version"u8);
            SysfsValueSlot slot = state.ReadFile();
            if (slot.Status != SysfsValueStatus.Present || slot.Length > destination.Length)
            {
                return false;
            }

            state.Values.AsSpan(slot.Offset, slot.Length).CopyTo(destination);
            bytesWritten = slot.Length;
            return true;
        }
        finally
        {
            ReturnState(state);
        }
    }

    /// <summary>Releases the pooled buffers.</summary>
    public void Dispose()
    {
        _disposed = true;
        Interlocked.Exchange(ref _cached, null)?.Dispose();
    }

    internal SysfsReaderState RentState() => Interlocked.Exchange(ref _cached, null) ?? new SysfsReaderState(this);

    internal void ReturnState(SysfsReaderState state)
    {
        if (_disposed || Interlocked.CompareExchange(ref _cached, state, null) is not null)
        {
            state.Dispose();
        }
    }
}
