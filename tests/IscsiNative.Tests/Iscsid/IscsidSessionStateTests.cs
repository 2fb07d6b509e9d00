using IscsiNative.Iscsid;

namespace IscsiNative.Tests.Iscsid;

public sealed class IscsidSessionStateTests
{
    [Theory]
    [InlineData(0, "FREE")]
    [InlineData(1, "TRANSPORT WAIT")]
    [InlineData(2, "IN LOGIN")]
    [InlineData(3, "LOGGED IN")]
    [InlineData(4, "IN LOGOUT")]
    [InlineData(5, "LOGOUT REQUESTED")]
    [InlineData(6, "CLEANUP WAIT")]
    [InlineData(7, "Unknown")]
    [InlineData(-1, "Unknown")]
    public void Connection_state_names_match_iscsiadm_conn_state_table(int value, string name)
    {
        Assert.Equal(name, IscsidSessionState.GetConnectionStateName((IscsidConnectionState)value));
    }

    [Theory]
    [InlineData(0, "NO CHANGE")]
    [InlineData(1, "CLEANUP")]
    [InlineData(2, "REOPEN")]
    [InlineData(3, "REDIRECT")]
    [InlineData(4, "Unknown")]
    [InlineData(-1, "Unknown")]
    public void Internal_state_names_match_iscsiadm_session_state_table(int value, string name)
    {
        Assert.Equal(name, IscsidSessionState.GetInternalStateName((IscsidInternalSessionState)value));
    }

    [Fact]
    public void Unknown_prints_unknown_twice_and_differs_from_default()
    {
        Assert.Equal("Unknown / Unknown", IscsidSessionState.Unknown.ToString());
        Assert.Equal("FREE / NO CHANGE", default(IscsidSessionState).ToString());
        Assert.NotEqual(default, IscsidSessionState.Unknown);
    }
}
