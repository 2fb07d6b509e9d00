using IscsiNative.Initiator;

namespace IscsiNative.Tests.Initiator;

/// <summary>Every login wait is bounded: a zero, negative or infinite timeout is refused before anything is created.</summary>
public sealed class LoginOptionsTimeoutTests
{
    public static TheoryData<string, LoginOptions> Unbounded()
    {
        var data = new TheoryData<string, LoginOptions>();
        foreach (TimeSpan bad in new[] { Timeout.InfiniteTimeSpan, TimeSpan.Zero, TimeSpan.FromSeconds(-3), TimeSpan.FromDays(30) })
        {
            data.Add(nameof(LoginOptions.ConnectTimeout), new LoginOptions { ConnectTimeout = bad });
            data.Add(nameof(LoginOptions.LoginTimeout), new LoginOptions { LoginTimeout = bad });
            data.Add(nameof(LoginOptions.LogoutTimeout), new LoginOptions { LogoutTimeout = bad });
            data.Add(nameof(LoginOptions.DeviceTimeout), new LoginOptions { DeviceTimeout = bad });
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Unbounded))]
    public async Task LoginAsync_refuses_an_unbounded_timeout_naming_it(string name, LoginOptions options)
    {
        // The sysfs root is an empty directory: had validation come after the transport-module check, the call would
        // fail there (no iscsi_transport/tcp) with a different exception instead.
        string sysfs = Directory.CreateTempSubdirectory("iscsinative-opts-").FullName;
        try
        {
            using var initiator = new IscsiInitiator(new IscsiInitiatorOptions { SysfsRoot = sysfs });
            var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
                () => initiator.LoginAsync("iqn.2003-01.org.example:t", IscsiPortal.Parse("127.0.0.1:3260"), options, TestContext.Current.CancellationToken));
            Assert.Equal(name, e.ParamName);
        }
        finally
        {
            Directory.Delete(sysfs, recursive: true);
        }
    }

    [Fact]
    public void The_defaults_are_bounded()
    {
        new LoginOptions().ValidateTimeouts();
    }
}
