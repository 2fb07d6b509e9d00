using IscsiNative.Initiator;

namespace IscsiNative.Tests.Initiator;

/// <summary>Reading /etc/iscsi/initiatorname.iscsi the way iscsid does.</summary>
public sealed class InitiatorNameFileTests
{
    [Theory]
    [InlineData("InitiatorName=iqn.1993-08.org.debian:01:abc\n", "iqn.1993-08.org.debian:01:abc")]
    [InlineData("## comment InitiatorName=iqn.bad\nInitiatorName = iqn.good:1 \n", "iqn.good:1")]
    [InlineData("InitiatorAlias=box\nInitiatorName=iqn.a:b\nInitiatorName=iqn.second", "iqn.a:b")]
    public void The_first_uncommented_InitiatorName_line_wins(string text, string expected) =>
        Assert.Equal(expected, InitiatorNameFile.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("# InitiatorName=iqn.commented\n")]
    [InlineData("InitiatorName=\n")]
    public void No_usable_line_gives_null(string text) => Assert.Null(InitiatorNameFile.Parse(text));

    [Fact]
    public void An_explicit_name_wins_over_the_file()
    {
        var options = new LoginOptions { InitiatorName = "iqn.explicit:1", InitiatorNameFile = "/nonexistent/initiatorname.iscsi" };
        Assert.Equal("iqn.explicit:1", InitiatorNameFile.Resolve(options.InitiatorName, options.InitiatorNameFile));
    }

    [Fact]
    public void A_missing_file_without_explicit_name_is_an_error_that_says_what_to_do()
    {
        var options = new LoginOptions { InitiatorNameFile = "/nonexistent/initiatorname.iscsi" };
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => InitiatorNameFile.Resolve(options.InitiatorName, options.InitiatorNameFile));
        Assert.Contains("LoginOptions.InitiatorName", e.Message, StringComparison.Ordinal);
    }
}
