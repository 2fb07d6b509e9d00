using IscsiNative.Sysfs;

namespace IscsiNative.Tests.Fuzz;

/// <summary>Every input a fuzz target crashed on, pinned with the behaviour the fix gives it.</summary>
public sealed class FuzzRegressionTests
{
    /// <summary>
    /// sysfs-value corpus seed "big": 18446744073709551616 wrapped the ulong accumulator to 0 before the overflow
    /// check saw it, so strtoll emulation returned 0 instead of saturating at LLONG_MAX like glibc.
    /// </summary>
    [Theory]
    [InlineData("18446744073709551616", long.MaxValue)]
    [InlineData("92233720368547758080", long.MaxValue)]
    [InlineData("-18446744073709551616", long.MinValue)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("9223372036854775808", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("-9223372036854775809", long.MinValue)]
    [InlineData("184467440737095516160000", long.MaxValue)]
    public void StrToLL_saturates_numbers_that_would_wrap_a_ulong(string text, long expected)
    {
        Assert.Equal(expected, SysfsNumber.StrToLL(System.Text.Encoding.ASCII.GetBytes(text)));
        Assert.Equal(expected > 0 ? int.MaxValue : int.MinValue, SysfsNumber.StrToI32Clamped(System.Text.Encoding.ASCII.GetBytes(text)));
    }
}
