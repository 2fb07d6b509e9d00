using IscsiNative.Sysfs;

namespace IscsiNative.Initiator;

/// <summary>Session listing from sysfs.</summary>
public sealed partial class IscsiInitiator
{
    private SysfsSessionReader? _sessionReader;

    /// <summary>
    /// Enumerates the active sessions without allocating, in the order iscsiadm lists them (alphasort of
    /// <c>sessionN</c>): <c>foreach (ref readonly IscsiSessionEntry s in initiator.EnumerateSessions())</c>.
    /// </summary>
    /// <returns>A struct enumerable over reusable entries; see <see cref="IscsiSessionEntry"/> for lifetimes.</returns>
    /// <exception cref="ObjectDisposedException">The initiator was disposed.</exception>
    public SysfsSessionEnumerable EnumerateSessions() => SessionReader.EnumerateSessions();

    /// <summary>
    /// Enumerates the active sessions without allocating, reading only <paramref name="fields"/>: each attribute is
    /// a file read, so asking for what you use is the fast path (e.g. <see cref="IscsiSessionFields.Flat"/>).
    /// </summary>
    /// <param name="fields">What to read; what is left out reads as unknown (empty or <see langword="null"/>).</param>
    /// <returns>A struct enumerable over reusable entries; see <see cref="IscsiSessionEntry"/> for lifetimes.</returns>
    /// <exception cref="ObjectDisposedException">The initiator was disposed.</exception>
    public SysfsSessionEnumerable EnumerateSessions(IscsiSessionFields fields) => SessionReader.EnumerateSessions(fields);

    /// <summary>Reads every active session into materialized objects.</summary>
    /// <returns>The sessions in alphasort order of their names; empty when there are none.</returns>
    /// <exception cref="IscsiSysfsException">A numeric attribute holds text that is not a number.</exception>
    /// <exception cref="ObjectDisposedException">The initiator was disposed.</exception>
    public IReadOnlyList<IscsiSession> GetSessions() => SessionReader.GetSessions();

    /// <summary>Reads one session.</summary>
    /// <param name="sid">The session id.</param>
    /// <param name="session">The session, or <see langword="null"/> when there is no such session.</param>
    /// <returns>True when the session exists.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sid"/> is negative.</exception>
    /// <exception cref="IscsiSysfsException">A numeric attribute holds text that is not a number.</exception>
    /// <exception cref="ObjectDisposedException">The initiator was disposed.</exception>
    public bool TryGetSession(int sid, out IscsiSession? session) => SessionReader.TryGetSession(sid, out session);

    internal SysfsSessionReader SessionReader
    {
        get
        {
            ThrowIfDisposed();
            if (_sessionReader is null)
            {
                Interlocked.CompareExchange(ref _sessionReader, new SysfsSessionReader(Options.SysfsRoot, Options.DevRoot), null);
            }

            return _sessionReader;
        }
    }

    partial void DisposeParts()
    {
        _sessionReader?.Dispose();
    }
}
