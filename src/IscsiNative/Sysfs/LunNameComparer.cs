namespace IscsiNative.Sysfs;

/// <summary>Orders LUN directory names byte-wise, as alphasort does (so 0:0:0:10 before 0:0:0:2).</summary>
internal readonly struct LunNameComparer : IComparer<LunName>
{
    private readonly byte[] _values;

    internal LunNameComparer(byte[] values) => _values = values;

    public int Compare(LunName x, LunName y) =>
        _values.AsSpan(x.Offset, x.Length).SequenceCompareTo(_values.AsSpan(y.Offset, y.Length));
}
