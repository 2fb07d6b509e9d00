using System.Globalization;
using System.Numerics;
using IscsiNative.Sysfs;

namespace IscsiNative.Fuzz;

/// <summary>
/// sysfs attribute value parsing: the strict typed parse and the glibc-compatible strtoll/atoi emulation iscsiadm
/// output relies on, checked against a BigInteger reference of strtoll. Failure is <c>false</c> or a defined value.
/// </summary>
public static class SysfsValueTarget
{
    public static void Run(ReadOnlySpan<byte> input)
    {
        // The reader strips trailing newlines before any parser sees a value.
        ReadOnlySpan<byte> value = input;
        while (value.Length > 0 && value[^1] == (byte)'\n')
        {
            value = value[..^1];
        }

        long ll = SysfsNumber.StrToLL(value);
        FuzzInvariantException.Check(ll == ReferenceStrToLL(value), "StrToLL differs from the strtoll reference");
        FuzzInvariantException.Check(SysfsNumber.StrToI32Clamped(value) == (int)Math.Clamp(ll, int.MinValue, int.MaxValue), "clamp");
        FuzzInvariantException.Check(SysfsNumber.Atoi(value) == unchecked((int)ll), "atoi");
        if (SysfsNumber.TryParseStrict(value, out int strict))
        {
            FuzzInvariantException.Check(strict == ll, "strict parse differs from strtoll");
        }
    }

    private static long ReferenceStrToLL(ReadOnlySpan<byte> value)
    {
        int i = 0;
        while (i < value.Length && value[i] is (byte)' ' or >= (byte)'\t' and <= (byte)'\r')
        {
            i++;
        }

        int sign = 1;
        if (i < value.Length && value[i] is (byte)'-' or (byte)'+')
        {
            sign = value[i] == (byte)'-' ? -1 : 1;
            i++;
        }

        int start = i;
        while (i < value.Length && value[i] is >= (byte)'0' and <= (byte)'9')
        {
            i++;
        }

        if (i == start)
        {
            return 0;
        }

        BigInteger n = sign * BigInteger.Parse(System.Text.Encoding.ASCII.GetString(value[start..i]), CultureInfo.InvariantCulture);
        return n > long.MaxValue ? long.MaxValue : n < long.MinValue ? long.MinValue : (long)n;
    }
}
