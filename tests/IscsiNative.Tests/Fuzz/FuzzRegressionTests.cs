using IscsiNative.TestShared;
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

/// <summary>Login target regressions.</summary>
public sealed class LoginFuzzRegressionTests
{
    /// <summary>
    /// Found while writing the login target and confirmed by replaying a crafted input through it (afl had not
    /// reached it in 60 s): 700 unknown keys make 700 NotUnderstood replies, more than the 8192-byte request holds,
    /// and WriteRequest threw an undocumented InvalidOperationException out of the login.
    /// </summary>
    [Fact]
    public void Too_many_keys_needing_an_answer_is_a_protocol_error()
    {
        string text = string.Concat(Enumerable.Range(0, 700).Select(i => $"k{i}=v\0"));
        byte[] input = [0, 0x00, (byte)(text.Length >> 8), (byte)text.Length, .. System.Text.Encoding.ASCII.GetBytes(text), 0x0D, 0, 0];
        IscsiNative.Fuzz.LoginTarget.Run(input);

        using var m = new IscsiNative.Protocol.LoginStateMachine(new IscsiNative.Protocol.LoginSettings { InitiatorName = "iqn.i:1", TargetName = "iqn.t:1" });
        byte[] buf = new byte[IscsiNative.Protocol.LoginStateMachine.RequestBufferSize];
        m.WriteRequest(buf);
        byte[] data = System.Text.Encoding.ASCII.GetBytes(text);
        byte[] bhs = new byte[48];
        TargetPduWriter.WriteLoginResponse(bhs, false, false, IscsiNative.Protocol.LoginStage.LoginOperationalNegotiation,
            IscsiNative.Protocol.LoginStage.LoginOperationalNegotiation, IscsiNative.Protocol.LoginSettings.IsidFor(0), 0, 0, 1, 1, 1, 0, 0, data.Length);
        m.ProcessResponse(bhs, data);
        Assert.Throws<IscsiProtocolException>(() => m.WriteRequest(buf));
    }
}
