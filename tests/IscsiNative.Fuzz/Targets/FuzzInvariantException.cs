namespace IscsiNative.Fuzz;

/// <summary>
/// A parser returned something its own contract rules out (a length beyond the input, a value outside its range).
/// Never caught by a target: like any undocumented exception, it is a finding.
/// </summary>
public sealed class FuzzInvariantException(string message) : Exception(message)
{
    internal static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(what);
        }
    }
}
