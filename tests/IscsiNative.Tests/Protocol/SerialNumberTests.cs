using IscsiNative.Protocol;

namespace IscsiNative.Tests.Protocol;

public sealed class SerialNumberTests
{
    [Theory]
    [InlineData(1u, 2u, true)]
    [InlineData(2u, 1u, false)]
    [InlineData(0xFFFFFFFFu, 0u, true)]
    [InlineData(0u, 0xFFFFFFFFu, false)]
    [InlineData(5u, 5u, false)]
    [InlineData(0x7FFFFFFFu, 0x80000000u, true)]
    public void Less_than_wraps_around(uint a, uint b, bool expected)
    {
        Assert.Equal(expected, SerialNumber.LessThan(a, b));
        Assert.Equal(expected, SerialNumber.GreaterThan(b, a));
    }

    [Fact]
    public void Command_window_wraps_around()
    {
        Assert.True(SerialNumber.InWindow(0, 0xFFFFFFF0, 5));
        Assert.False(SerialNumber.InWindow(6, 0xFFFFFFF0, 5));
        Assert.False(SerialNumber.InWindow(10, 10, 9));
    }
}
