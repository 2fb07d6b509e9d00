using IscsiNative.TestShared;
using System.Security.Cryptography;
using System.Text;
using IscsiNative.Initiator;
using IscsiNative.Protocol;

namespace IscsiNative.Tests.Protocol;

/// <summary>Every misbehaviour of a hostile target ends in a typed exception within the timeout, never a hang.</summary>
public sealed class HostileTargetTests
{
    private static readonly DiscoveryOptions Short = new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(2),
        LoginTimeout = TimeSpan.FromSeconds(2),
        ResponseTimeout = TimeSpan.FromSeconds(2),
        MaxResponseLength = 16 * 1024,
    };

    [Fact(Timeout = 20000)]
    public async Task Silent_target_times_out_with_an_iscsi_exception()
    {
        await using var target = new FakeHostileTarget(async (c, ct) => await c.ReadPduAsync(ct));
        using var initiator = new IscsiInitiator();
        var e = await Assert.ThrowsAsync<IscsiTimeoutException>(() => initiator.DiscoverAsync(target.Portal, Short, TestContext.Current.CancellationToken));
        Assert.Equal(("login", Short.LoginTimeout), (e.Operation, e.Elapsed));

        // The message says where the login stood: the first request was sent and its response never came.
        Assert.Contains("no response to login request 1 (LoginOperationalNegotiation)", e.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 20000)]
    public async Task Malformed_header_with_a_foreign_opcode_is_a_protocol_error()
    {
        await using var target = new FakeHostileTarget(async (c, ct) =>
        {
            await c.ReadPduAsync(ct);
            byte[] junk = new byte[48];
            junk[0] = 0x21;
            await c.WriteAsync(junk, ct);
        });
        using var initiator = new IscsiInitiator();
        await Assert.ThrowsAsync<IscsiProtocolException>(() => initiator.DiscoverAsync(target.Portal, Short, TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = 20000)]
    public async Task Oversized_data_segment_is_refused_before_it_is_read()
    {
        await using var target = new FakeHostileTarget(async (c, ct) =>
        {
            (byte[] bhs, _) = await c.ReadPduAsync(ct);
            await c.WriteAsync(c.LoginResponse(bhs, true, LoginStage.FullFeaturePhase, "", forcedLength: 0xFFFFFF), ct);
        });
        using var initiator = new IscsiInitiator();
        var e = await Assert.ThrowsAsync<IscsiProtocolException>(() => initiator.DiscoverAsync(target.Portal, Short, TestContext.Current.CancellationToken));
        Assert.Contains("16777215", e.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 20000)]
    public async Task Endless_login_continue_hits_the_text_limit()
    {
        await using var target = new FakeHostileTarget(async (c, ct) =>
        {
            string chunk = "X-Junk=" + new string('a', 4000);
            while (true)
            {
                (byte[] bhs, _) = await c.ReadPduAsync(ct);
                await c.WriteAsync(c.LoginResponse(bhs, false, LoginStage.LoginOperationalNegotiation, chunk, cont: true), ct);
            }
        });
        using var initiator = new IscsiInitiator();
        await Assert.ThrowsAsync<IscsiProtocolException>(() => initiator.DiscoverAsync(target.Portal, Short with { LoginTimeout = TimeSpan.FromSeconds(10) }, TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = 20000)]
    public async Task Endless_sendtargets_continuation_hits_the_response_limit()
    {
        await using var target = new FakeHostileTarget(async (c, ct) =>
        {
            await c.AcceptLoginAsync(ct);
            await c.EndlessTextAsync(1000, ct);
        });
        using var initiator = new IscsiInitiator();
        var e = await Assert.ThrowsAsync<IscsiProtocolException>(() => initiator.DiscoverAsync(target.Portal, Short, TestContext.Current.CancellationToken));
        Assert.Contains("16384", e.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 20000)]
    public async Task Target_that_never_transits_is_stopped_after_bounded_exchanges()
    {
        await using var target = new FakeHostileTarget(async (c, ct) =>
        {
            while (true)
            {
                (byte[] bhs, _) = await c.ReadPduAsync(ct);
                await c.WriteAsync(c.LoginResponse(bhs, false, LoginStage.LoginOperationalNegotiation, ""), ct);
            }
        });
        using var initiator = new IscsiInitiator();
        var e = await Assert.ThrowsAsync<IscsiProtocolException>(() => initiator.DiscoverAsync(target.Portal, Short with { LoginTimeout = TimeSpan.FromSeconds(10) }, TestContext.Current.CancellationToken));
        Assert.Contains("exchanges", e.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 20000)]
    public async Task Reject_pdu_during_login_is_a_protocol_error()
    {
        await using var target = new FakeHostileTarget(async (c, ct) =>
        {
            (byte[] bhs, _) = await c.ReadPduAsync(ct);
            byte[] pdu = new byte[96];
            TargetPduWriter.WriteReject(pdu, 0x04, 1, 1, 1, 0, 48);
            bhs.CopyTo(pdu, 48);
            await c.WriteAsync(pdu, ct);
        });
        using var initiator = new IscsiInitiator();
        var e = await Assert.ThrowsAsync<IscsiProtocolException>(() => initiator.DiscoverAsync(target.Portal, Short, TestContext.Current.CancellationToken));
        Assert.Contains("0x04", e.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 20000)]
    public async Task Closed_connection_is_an_iscsi_exception()
    {
        await using var target = new FakeHostileTarget(async (c, ct) =>
        {
            await c.ReadPduAsync(ct);
            throw new IOException("close");
        });
        using var initiator = new IscsiInitiator();
        await Assert.ThrowsAnyAsync<IscsiException>(() => initiator.DiscoverAsync(target.Portal, Short with { LoginTimeout = TimeSpan.FromSeconds(10) }, TestContext.Current.CancellationToken));
    }

    [Theory(Timeout = 20000)]
    [InlineData("CHAP_A=5\0CHAP_I=1\0CHAP_C=0xZZ\0", "not valid")]
    [InlineData("CHAP_A=5\0CHAP_I=300\0CHAP_C=0x0102\0", "CHAP_I")]
    [InlineData("CHAP_A=9\0CHAP_I=1\0CHAP_C=0x0102\0", "CHAP_A")]
    [InlineData("CHAP_A=5\0CHAP_I=1\0CHAP_C=abc\0", "0x hex")]
    public async Task Bad_chap_challenge_values_are_protocol_errors(string challenge, string expected)
    {
        await using var target = ChapTarget(challenge, null);
        using var chap = ChapCredentials.OneWay("user", "secret-secret");
        using var initiator = new IscsiInitiator();
        var e = await Assert.ThrowsAsync<IscsiProtocolException>(() => initiator.DiscoverAsync(target.Portal, Short with { Credentials = chap }, TestContext.Current.CancellationToken));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-secret", e.ToString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 20000)]
    public async Task Oversized_chap_challenge_is_a_protocol_error()
    {
        await using var target = ChapTarget("CHAP_A=5\0CHAP_I=1\0CHAP_C=0x" + Convert.ToHexString(new byte[2000]) + "\0", null);
        using var chap = ChapCredentials.OneWay("user", "secret-secret");
        using var initiator = new IscsiInitiator();
        var e = await Assert.ThrowsAsync<IscsiProtocolException>(() => initiator.DiscoverAsync(target.Portal, Short with { Credentials = chap }, TestContext.Current.CancellationToken));
        Assert.Contains("1024", e.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 20000)]
    public async Task Mutual_chap_response_of_wrong_length_fails_authentication()
    {
        await using var target = ChapTarget("CHAP_A=5\0CHAP_I=1\0CHAP_C=0x0102030405060708\0", (_, _) => "CHAP_N=tuser\0CHAP_R=0x0102\0");
        using var chap = ChapCredentials.Mutual("user", "secret-secret", "tuser", "target-secret");
        using var initiator = new IscsiInitiator();
        var e = await Assert.ThrowsAsync<IscsiAuthenticationException>(() => initiator.DiscoverAsync(target.Portal, Short with { Credentials = chap }, TestContext.Current.CancellationToken));
        Assert.True(e.IsTargetVerificationFailure);
    }

    [Fact(Timeout = 20000)]
    public async Task Mutual_chap_target_reflecting_the_initiator_secret_is_refused()
    {
        await using var target = ChapTarget("CHAP_A=5\0CHAP_I=1\0CHAP_C=0x0102030405060708\0", (id, challenge) =>
        {
            byte[] r = MD5.HashData([id, .. "secret-secret"u8, .. challenge]);
            return "CHAP_N=tuser\0CHAP_R=0x" + Convert.ToHexStringLower(r) + "\0";
        });
        using var chap = ChapCredentials.Mutual("user", "secret-secret", "tuser", "target-secret");
        using var initiator = new IscsiInitiator();
        var e = await Assert.ThrowsAsync<IscsiAuthenticationException>(() => initiator.DiscoverAsync(target.Portal, Short with { Credentials = chap }, TestContext.Current.CancellationToken));
        Assert.Contains("reflection", e.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 20000)]
    public async Task Mutual_chap_with_a_correct_target_response_succeeds()
    {
        await using var target = ChapTarget("CHAP_A=5\0CHAP_I=1\0CHAP_C=0b" + Convert.ToBase64String([1, 2, 3, 4, 5, 6, 7, 8]) + "\0", (id, challenge) =>
        {
            byte[] r = MD5.HashData([id, .. "target-secret"u8, .. challenge]);
            return "CHAP_N=tuser\0CHAP_R=0X" + Convert.ToHexString(r) + "\0";
        }, discovery: "TargetName=iqn.x:a\0");
        using var chap = ChapCredentials.Mutual("user", "secret-secret", "tuser", "target-secret");
        using var initiator = new IscsiInitiator();
        IReadOnlyList<DiscoveredTarget> targets = await initiator.DiscoverAsync(target.Portal, Short with { Credentials = chap }, TestContext.Current.CancellationToken);
        Assert.Equal("iqn.x:a", Assert.Single(targets).Name);
    }

    [Fact(Timeout = 20000)]
    public async Task Redirect_carries_the_target_address()
    {
        await using var target = new FakeHostileTarget(async (c, ct) =>
        {
            (byte[] bhs, _) = await c.ReadPduAsync(ct);
            await c.WriteAsync(c.LoginResponse(bhs, true, LoginStage.FullFeaturePhase, "TargetAddress=10.1.2.3:3261,2\0", statusClass: 1, statusDetail: 1), ct);
        });
        using var initiator = new IscsiInitiator();
        var e = await Assert.ThrowsAsync<IscsiLoginException>(() => initiator.DiscoverAsync(target.Portal, Short, TestContext.Current.CancellationToken));
        Assert.True(e.IsRedirect);
        Assert.Equal(LoginFailureKind.TemporaryRedirect, e.Kind);
        Assert.Equal("10.1.2.3:3261,2", e.TargetAddress);
    }

    [Fact(Timeout = 20000)]
    public async Task Discovery_parses_several_targets_portals_ipv6_and_defaults()
    {
        const string text =
            "TargetName=iqn.x:one\0TargetAddress=10.0.0.1:3260,1\0TargetAddress=[fe80::1]:3261,2\0TargetAddress=10.0.0.2\0" +
            "TargetName=iqn.x:two\0" +
            "TargetName=iqn.x:three\0TargetAddress=[::1],7\0";
        await using var target = new FakeHostileTarget(async (c, ct) =>
        {
            await c.AcceptLoginAsync(ct);
            await c.AnswerTextAsync(text, ct);
            await c.AnswerLogoutAsync(ct);
        });
        using var initiator = new IscsiInitiator();
        IReadOnlyList<DiscoveredTarget> targets = await initiator.DiscoverAsync(target.Portal, Short, TestContext.Current.CancellationToken);

        Assert.Equal(["iqn.x:one", "iqn.x:two", "iqn.x:three"], targets.Select(t => t.Name));
        Assert.Equal(
            [new DiscoveredPortal(new("10.0.0.1", 3260), 1), new DiscoveredPortal(new("fe80::1", 3261), 2), new DiscoveredPortal(new("10.0.0.2", 3260), -1)],
            targets[0].Portals);
        Assert.Equal(new DiscoveredPortal(new("127.0.0.1", target.Port), -1), Assert.Single(targets[1].Portals));
        Assert.Equal(new DiscoveredPortal(new("::1", 3260), 7), Assert.Single(targets[2].Portals));
        Assert.Equal(
            "10.0.0.1:3260,1 iqn.x:one\n[fe80::1]:3261,2 iqn.x:one\n10.0.0.2:3260,-1 iqn.x:one\n" +
            $"127.0.0.1:{target.Port},-1 iqn.x:two\n[::1]:3260,7 iqn.x:three\n",
            IscsiNative.Formatting.DiscoveryFormatter.Format(targets));
    }

    [Fact(Timeout = 20000)]
    public async Task Nop_in_ping_and_async_message_during_sendtargets_are_handled()
    {
        byte[]? nopOut = null;
        await using var target = new FakeHostileTarget(async (c, ct) =>
        {
            await c.AcceptLoginAsync(ct);
            (byte[] text, _) = await c.ReadPduAsync(ct);
            byte[] nop = new byte[48];
            TargetPduWriter.WriteNopIn(nop, 0, 0xffffffff, 0xABCD, 101, 1, 17, 0);
            byte[] async = new byte[48];
            TargetPduWriter.WriteAsyncMessage(async, 0, 101, 1, 17, 4, 0, 0, 0, 0, 0);
            await c.WriteAsync([.. nop, .. async], ct);
            (nopOut, _) = await c.ReadPduAsync(ct);
            await c.WriteAsync(c.TextResponse(text, "TargetName=iqn.x:nop\0"), ct);
            await c.AnswerLogoutAsync(ct);
        });
        using var initiator = new IscsiInitiator();
        IReadOnlyList<DiscoveredTarget> targets = await initiator.DiscoverAsync(target.Portal, Short, TestContext.Current.CancellationToken);

        Assert.Equal("iqn.x:nop", Assert.Single(targets).Name);
        Assert.NotNull(nopOut);
        var h = new PduHeader(nopOut);
        Assert.Equal(IscsiOpcode.NopOut, h.Opcode);
        Assert.True(h.IsImmediate);
        Assert.Equal(0xABCDu, h.TargetTransferTag);
        Assert.Equal(0xFFFFFFFFu, h.InitiatorTaskTag);
    }

    /// <summary>A target that runs the CHAP security stage, sending <paramref name="challenge"/> after CHAP_A.</summary>
    private static FakeHostileTarget ChapTarget(string challenge, Func<byte, byte[], string>? mutualAnswer, string discovery = "")
    {
        return new FakeHostileTarget(async (c, ct) =>
        {
            (byte[] bhs, _) = await c.ReadPduAsync(ct);
            await c.WriteAsync(c.LoginResponse(bhs, false, LoginStage.SecurityNegotiation, "AuthMethod=CHAP\0"), ct);
            (bhs, _) = await c.ReadPduAsync(ct);
            await c.WriteAsync(c.LoginResponse(bhs, false, LoginStage.SecurityNegotiation, challenge), ct);
            (bhs, byte[] data) = await c.ReadPduAsync(ct);
            string answer = "";
            if (mutualAnswer is not null)
            {
                string[] pairs = Encoding.UTF8.GetString(data).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                byte id = byte.Parse(pairs.Single(p => p.StartsWith("CHAP_I=", StringComparison.Ordinal))[7..], System.Globalization.CultureInfo.InvariantCulture);
                byte[] ch = Convert.FromHexString(pairs.Single(p => p.StartsWith("CHAP_C=", StringComparison.Ordinal))[9..]);
                answer = mutualAnswer(id, ch);
            }

            await c.WriteAsync(c.LoginResponse(bhs, true, LoginStage.LoginOperationalNegotiation, answer), ct);
            (bhs, _) = await c.ReadPduAsync(ct);
            await c.WriteAsync(c.LoginResponse(bhs, true, LoginStage.FullFeaturePhase, FakeTargetConnection.DiscoveryAnswer), ct);
            await c.AnswerTextAsync(discovery, ct);
            await c.AnswerLogoutAsync(ct);
        });
    }
}
