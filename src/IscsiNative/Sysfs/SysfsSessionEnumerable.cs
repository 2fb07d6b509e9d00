namespace IscsiNative.Sysfs;

/// <summary>The sessions of a <see cref="SysfsSessionReader"/>, enumerated without allocation.</summary>
public readonly struct SysfsSessionEnumerable
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
    public SysfsSessionEnumerator GetEnumerator() => new(_reader, _sid, _fields);
}
