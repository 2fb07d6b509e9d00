using System.Globalization;

namespace IscsiNative.Sysfs;

/// <summary>Number parsing for sysfs values: strict for the typed API, C-compatible for iscsiadm emulation.</summary>
internal static class SysfsNumber
{
    /// <summary>An optional '-' and decimal digits only, within Int32.</summary>
    internal static bool TryParseStrict(ReadOnlySpan<byte> value, out int result) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);

    /// <summary>
    /// strtoll(value, NULL, 10) as glibc does it: leading whitespace, optional sign, the longest run of digits,
    /// saturating at the Int64 range; 0 when there are no digits.
    /// </summary>
    internal static long StrToLL(ReadOnlySpan<byte> value)
    {
        int i = 0;
        while (i < value.Length && (value[i] == (byte)' ' || (value[i] >= (byte)'\t' && value[i] <= (byte)'\r')))
        {
            i++;
        }

        bool negative = false;
        if (i < value.Length && (value[i] == (byte)'-' || value[i] == (byte)'+'))
        {
            negative = value[i] == (byte)'-';
            i++;
        }

        ulong magnitude = 0;
        bool overflow = false;
        for (; i < value.Length && value[i] >= (byte)'0' && value[i] <= (byte)'9'; i++)
        {
            if (!overflow)
            {
                // Saturate before the multiplication: a 20th digit could wrap the ulong back below the limit.
                ulong digit = (ulong)(value[i] - (byte)'0');
                overflow = magnitude > (((ulong)long.MaxValue + 1) - digit) / 10;
                magnitude = overflow ? magnitude : (magnitude * 10) + digit;
            }
        }

        if (negative)
        {
            return overflow || magnitude > (ulong)long.MaxValue + 1 ? long.MinValue : (long)(0 - magnitude);
        }

        return overflow || magnitude > long.MaxValue ? long.MaxValue : (long)magnitude;
    }

    /// <summary>libopeniscsiusr's <c>_sysfs_prop_get_i32</c>: strtoll clamped to the Int32 range.</summary>
    internal static int StrToI32Clamped(ReadOnlySpan<byte> value) => (int)Math.Clamp(StrToLL(value), int.MinValue, int.MaxValue);

    /// <summary>glibc atoi: <c>(int)strtol(value, NULL, 10)</c>, truncating.</summary>
    internal static int Atoi(ReadOnlySpan<byte> value) => unchecked((int)StrToLL(value));
}
