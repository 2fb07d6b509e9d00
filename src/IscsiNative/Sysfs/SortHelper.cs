namespace IscsiNative.Sysfs;

/// <summary>An allocation-free heap sort over a struct comparer (MemoryExtensions.Sort boxes the comparer).</summary>
internal static class SortHelper
{
    internal static void Sort<T, TComparer>(Span<T> items, TComparer comparer)
        where TComparer : struct, IComparer<T>
    {
        int n = items.Length;
        for (int start = (n / 2) - 1; start >= 0; start--)
        {
            SiftDown(items, start, n, comparer);
        }

        for (int end = n - 1; end > 0; end--)
        {
            (items[0], items[end]) = (items[end], items[0]);
            SiftDown(items, 0, end, comparer);
        }
    }

    private static void SiftDown<T, TComparer>(Span<T> items, int root, int count, TComparer comparer)
        where TComparer : struct, IComparer<T>
    {
        while (true)
        {
            int child = (2 * root) + 1;
            if (child >= count)
            {
                return;
            }

            if (child + 1 < count && comparer.Compare(items[child], items[child + 1]) < 0)
            {
                child++;
            }

            if (comparer.Compare(items[root], items[child]) >= 0)
            {
                return;
            }

            (items[root], items[child]) = (items[child], items[root]);
            root = child;
        }
    }
}
