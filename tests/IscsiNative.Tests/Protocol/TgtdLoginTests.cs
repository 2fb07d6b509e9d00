using IscsiNative.Protocol;

namespace IscsiNative.Tests.Protocol;

/// <summary>Full normal-session logins (to full feature phase, then logout) against a real tgtd on loopback.</summary>
public sealed class TgtdLoginTests : IClassFixture<TgtdFixture>
{
    private readonly TgtdFixture _tgtd;

    public TgtdLoginTests(TgtdFixture tgtd) => _tgtd = tgtd;

    [Fact]
    public async Task Login_without_auth_reaches_full_feature_phase_and_logs_out()
    {
        _tgtd.RequireAvailable();
        NegotiatedParameters p = await LoginAndLogoutAsync(TgtdFixture.OpenTarget, null);

        Assert.Equal(IscsiSessionType.Normal, p.SessionType);
        Assert.NotEqual(0, p.Tsih);
        Assert.Equal(1, p.TargetPortalGroupTag);
        Assert.Equal(IscsiDigest.None, p.HeaderDigest);
        Assert.Equal(262144, p.MaxRecvDataSegmentLength);
        Assert.InRange(p.MaxXmitDataSegmentLength, 512, 16777215);
        Assert.True(p.FirstBurstLength <= p.MaxBurstLength);
        Assert.Equal(0, p.ErrorRecoveryLevel);
        Assert.Equal(1, p.MaxConnections);
        Assert.Null(p.ChapAlgorithm);
    }

    [Fact]
    public async Task Login_with_chap_reaches_full_feature_phase()
    {
        _tgtd.RequireAvailable();
        using var chap = ChapCredentials.OneWay(TgtdFixture.ChapUser, TgtdFixture.ChapSecret);
        NegotiatedParameters p = await LoginAndLogoutAsync(TgtdFixture.ChapTarget, chap);
        Assert.Equal(ChapAlgorithm.Md5, p.ChapAlgorithm);
    }

    [Fact]
    public async Task Login_with_mutual_chap_verifies_the_target()
    {
        _tgtd.RequireAvailable();
        using var chap = ChapCredentials.Mutual(TgtdFixture.MutualUser, TgtdFixture.MutualSecret, TgtdFixture.TargetUser, TgtdFixture.TargetSecret);
        NegotiatedParameters p = await LoginAndLogoutAsync(TgtdFixture.MutualTarget, chap);
        Assert.Equal(ChapAlgorithm.Md5, p.ChapAlgorithm);
    }

    [Fact]
    public async Task Login_with_wrong_chap_secret_fails_with_authentication_status()
    {
        _tgtd.RequireAvailable();
        using var chap = ChapCredentials.OneWay(TgtdFixture.ChapUser, "not-the-secret");
        var e = await Assert.ThrowsAsync<IscsiAuthenticationException>(() => LoginAndLogoutAsync(TgtdFixture.ChapTarget, chap));
        Assert.Equal(0x0201, e.Status);
        Assert.Equal(LoginFailureKind.AuthenticationFailed, e.Kind);
        Assert.DoesNotContain("not-the-secret", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_with_wrong_target_secret_in_mutual_chap_fails_locally()
    {
        _tgtd.RequireAvailable();
        using var chap = ChapCredentials.Mutual(TgtdFixture.MutualUser, TgtdFixture.MutualSecret, TgtdFixture.TargetUser, "wrong-target-secret");
        var e = await Assert.ThrowsAsync<IscsiAuthenticationException>(() => LoginAndLogoutAsync(TgtdFixture.MutualTarget, chap));
        Assert.True(e.IsTargetVerificationFailure);
        Assert.Equal(LoginFailureKind.TargetAuthenticationFailed, e.Kind);
    }

    [Fact]
    public async Task Login_without_credentials_to_a_chap_target_is_refused()
    {
        _tgtd.RequireAvailable();
        var e = await Assert.ThrowsAsync<IscsiAuthenticationException>(() => LoginAndLogoutAsync(TgtdFixture.ChapTarget, null));
        Assert.Equal(2, e.StatusClass);
    }

    [Fact]
    public async Task Login_to_an_unknown_target_fails_with_not_found()
    {
        _tgtd.RequireAvailable();
        var e = await Assert.ThrowsAsync<IscsiLoginException>(() => LoginAndLogoutAsync(TgtdFixture.Prefix + "missing", null));
        Assert.Equal(0x0203, e.Status);
        Assert.Equal(LoginFailureKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task Login_offering_sha3_and_sha1_first_falls_back_to_md5_which_tgtd_supports()
    {
        _tgtd.RequireAvailable();
        using var chap = ChapCredentials.OneWay(TgtdFixture.ChapUser, TgtdFixture.ChapSecret);
        NegotiatedParameters p = await LoginAndLogoutAsync(TgtdFixture.ChapTarget, chap, [ChapAlgorithm.Sha3_256, ChapAlgorithm.Sha1, ChapAlgorithm.Md5]);
        Assert.Equal(ChapAlgorithm.Md5, p.ChapAlgorithm);
    }

    [Fact]
    public async Task Login_offering_sha256_to_tgtd_fails_with_initiator_error()
    {
        // tgtd 1.0.85 reads CHAP_A=7 with its pre-RFC numbering (SHA1) and answers status 0x0200.
        _tgtd.RequireAvailable();
        using var chap = ChapCredentials.OneWay(TgtdFixture.ChapUser, TgtdFixture.ChapSecret);
        var e = await Assert.ThrowsAsync<IscsiLoginException>(() => LoginAndLogoutAsync(TgtdFixture.ChapTarget, chap, [ChapAlgorithm.Sha256, ChapAlgorithm.Md5]));
        Assert.Equal(LoginFailureKind.InitiatorError, e.Kind);
    }

    [Fact]
    public async Task Discovery_session_login_negotiates_only_discovery_keys()
    {
        _tgtd.RequireAvailable();
        var settings = new LoginSettings { InitiatorName = "iqn.2025-01.org.iscsinative:tests", SessionType = IscsiSessionType.Discovery, MaxRecvDataSegmentLength = 32768 };
        TimeSpan t = TimeSpan.FromSeconds(10);
        IscsiLoginSession session = await IscsiLoginSession.ConnectAsync("127.0.0.1", _tgtd.Port, settings, t, t, t, TestContext.Current.CancellationToken);
        await using (session)
        {
            Assert.Equal(IscsiSessionType.Discovery, session.Parameters.SessionType);
            Assert.Equal(32768, session.Parameters.MaxRecvDataSegmentLength);
            await session.LogoutAsync(TestContext.Current.CancellationToken);
        }
    }

    private async Task<NegotiatedParameters> LoginAndLogoutAsync(string target, ChapCredentials? chap, IReadOnlyList<ChapAlgorithm>? algorithms = null)
    {
        var settings = new LoginSettings
        {
            InitiatorName = "iqn.2025-01.org.iscsinative:tests",
            TargetName = target,
            Credentials = chap,
            ChapAlgorithms = algorithms ?? [ChapAlgorithm.Md5],
            Isid = LoginSettings.IsidFor((uint)Random.Shared.Next(1, 0xFFFFFF)),
        };
        TimeSpan t = TimeSpan.FromSeconds(10);
        IscsiLoginSession session = await IscsiLoginSession.ConnectAsync(
            "127.0.0.1", _tgtd.Port, settings, t, t, t, TestContext.Current.CancellationToken);
        await using (session)
        {
            await session.LogoutAsync(TestContext.Current.CancellationToken);
            return session.Parameters;
        }
    }
}
