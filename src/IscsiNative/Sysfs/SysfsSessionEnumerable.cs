namespace IscsiNative.Sysfs;

/// <summary>
/// Sessions enumerated without allocation (<c>IscsiInitiator.EnumerateSessions</c>):
/// <c>foreach (ref readonly IscsiSessionEntry s in ...)</c>.
/// </summary>
public readonly partial struct SysfsSessionEnumerable
{
    private readonly SysfsSessionReader _reader;
    private readonly int _sid;
    private readonly IscsiSessionFields _fields;

    internal SysfsSessionEnumerable(SysfsSessionReader reader, int sid, IscsiSessionFields fields)
    {
        _reader = reader;
        _sid = sid;
        _fields = fields;
    }

    /// <summary>Starts an enumeration: lists and sorts the session directories.</summary>
    /// <returns>The enumerator; dispose it (foreach does) to return its buffers.</returns>
    public Enumerator GetEnumerator() => new(_reader, _sid, _fields);
}
