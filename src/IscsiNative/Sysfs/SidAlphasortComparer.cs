namespace IscsiNative.Sysfs;

/// <summary>
/// Orders session ids as alphasort orders the directory names <c>sessionN</c>: byte-wise on the decimal text,
/// so 10 sorts before 2 (what iscsiadm prints).
/// </summary>
internal readonly struct SidAlphasortComparer : IComparer<int>
{
    public int Compare(int x, int y)
    {
        Span<byte> a = stackalloc byte[11];
        Span<byte> b = stackalloc byte[11];
        x.TryFormat(a, out int la, default, System.Globalization.CultureInfo.InvariantCulture);
        y.TryFormat(b, out int lb, default, System.Globalization.CultureInfo.InvariantCulture);
        return a[..la].SequenceCompareTo(b[..lb]);
    }
}
