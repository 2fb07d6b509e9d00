namespace IscsiNative.Sysfs;

/// <summary>The sessions of a <see cref="SysfsSessionReader"/>, enumerated without allocation.</summary>
public readonly struct SysfsSessionEnumerable
{
    private readonly SysfsSessionReader _reader;
    private readonly int _sid;

    internal SysfsSessionEnumerable(SysfsSessionReader reader, int sid)
    {
        _reader = reader;
        _sid = sid;
    }

    /// <summary>Starts an enumeration: lists and sorts the session directories.</summary>
    /// <returns>The enumerator; dispose it (foreach does) to return its buffers.</returns>
    public SysfsSessionEnumerator GetEnumerator() => new(_reader, _sid);
}
