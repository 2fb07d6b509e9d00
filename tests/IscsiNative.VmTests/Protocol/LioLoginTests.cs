using IscsiNative.Protocol;
using IscsiNative.VmTests.Infrastructure;
using ChapCredentials = IscsiNative.Protocol.ChapCredentials;
using LioChap = IscsiNative.VmTests.Infrastructure.ChapCredentials;

namespace IscsiNative.VmTests.Protocol;

/// <summary>
/// The managed login (internal <see cref="IscsiLoginSession"/> over TCP, no kernel) against LIO in the VM: the tgtd
/// matrix of the unit tests (no auth, CHAP, mutual CHAP, wrong secret, unknown target) plus the CHAP_A values LIO
/// accepts. Each login goes to full feature phase and logs out; LIO's configfs view confirms the session.
/// </summary>
[Collection(VmCollection.Name)]
public sealed class LioLoginTests
{
    internal const string Initiator = "iqn.2025-01.org.iscsinative:vm-protocol";
    private static readonly LioChap Chap = new("protocol-user", "protocol-secret-1");
    private static readonly LioChap Mutual = new("protocol-user", "protocol-secret-1", "protocol-target", "target-secret-22");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [VmFact]
    public async Task Login_without_auth_reaches_full_feature_phase_with_LIO_s_parameters_and_logs_out()
    {
        using LioTarget target = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(nameof(Login_without_auth_reaches_full_feature_phase_with_LIO_s_parameters_and_logs_out))));

        // LIO lists the session after it has sent the final Login Response (its post-login handler runs on), so the
        // initiator can be in full feature phase a moment before: wait for it, bounded (a CI run read the list empty).
        NegotiatedParameters p = await LoginAndLogoutAsync(target, null, whileLoggedIn: () =>
            Assert.True(
                Wait.Until(() => Configfs.Read(Path.Combine(target.TpgDirectory, "dynamic_sessions")).Contains(Initiator, StringComparison.Ordinal), TimeSpan.FromSeconds(10)),
                $"LIO does not list {Initiator} in dynamic_sessions 10 s after the login"));

        Assert.Equal(IscsiSessionType.Normal, p.SessionType);
        Assert.NotEqual(0, p.Tsih);
        Assert.Equal(1, p.TargetPortalGroupTag);
        Assert.Null(p.ChapAlgorithm);
        // What open-iscsi negotiates with the same LIO (tests/fixtures/iscsiadm-captures/session-P2.txt).
        Assert.Equal((IscsiDigest.None, IscsiDigest.None), (p.HeaderDigest, p.DataDigest));
        Assert.Equal(262144, p.MaxRecvDataSegmentLength);
        Assert.Equal(262144, p.MaxXmitDataSegmentLength);
        Assert.Equal((65536, 262144), (p.FirstBurstLength, p.MaxBurstLength));
        Assert.Equal((true, true, 1), (p.ImmediateData, p.InitialR2T, p.MaxOutstandingR2T));
        Assert.Equal((0, 1), (p.ErrorRecoveryLevel, p.MaxConnections));
        Assert.True(
            Wait.Until(() => !Configfs.Read(Path.Combine(target.TpgDirectory, "dynamic_sessions")).Contains(Initiator, StringComparison.Ordinal), TimeSpan.FromSeconds(10)),
            "LIO still lists the session after logout");
    }

    [VmFact]
    public async Task Login_with_chap_reaches_full_feature_phase()
    {
        using LioTarget target = AclTarget(nameof(Login_with_chap_reaches_full_feature_phase), Chap);
        using var chap = ChapCredentials.OneWay(Chap.UserId, Chap.Password);

        NegotiatedParameters p = await LoginAndLogoutAsync(target, chap, whileLoggedIn: () =>
            Assert.Contains(Initiator, AclInfo(target), StringComparison.Ordinal));

        Assert.Equal(ChapAlgorithm.Md5, p.ChapAlgorithm);
    }

    [VmFact]
    public async Task Login_with_mutual_chap_verifies_the_target()
    {
        using LioTarget target = AclTarget(nameof(Login_with_mutual_chap_verifies_the_target), Mutual);
        using var chap = ChapCredentials.Mutual(Mutual.UserId, Mutual.Password, Mutual.MutualUserId!, Mutual.MutualPassword!);

        NegotiatedParameters p = await LoginAndLogoutAsync(target, chap);

        Assert.Equal(ChapAlgorithm.Md5, p.ChapAlgorithm);
    }

    [VmFact]
    public async Task Login_with_wrong_chap_secret_fails_with_authentication_status()
    {
        using LioTarget target = AclTarget(nameof(Login_with_wrong_chap_secret_fails_with_authentication_status), Chap);
        using var chap = ChapCredentials.OneWay(Chap.UserId, "wrong-secret-0001");

        var e = await Assert.ThrowsAsync<IscsiAuthenticationException>(() => LoginAndLogoutAsync(target, chap));

        Assert.Equal(0x0201, e.Status);
        Assert.Equal(LoginFailureKind.AuthenticationFailed, e.Kind);
        Assert.DoesNotContain("wrong-secret-0001", e.ToString(), StringComparison.Ordinal);
    }

    [VmFact]
    public async Task Login_with_wrong_target_secret_in_mutual_chap_fails_locally()
    {
        using LioTarget target = AclTarget(nameof(Login_with_wrong_target_secret_in_mutual_chap_fails_locally), Mutual);
        using var chap = ChapCredentials.Mutual(Mutual.UserId, Mutual.Password, Mutual.MutualUserId!, "not-the-target-00");

        var e = await Assert.ThrowsAsync<IscsiAuthenticationException>(() => LoginAndLogoutAsync(target, chap));

        Assert.True(e.IsTargetVerificationFailure);
        Assert.Equal(LoginFailureKind.TargetAuthenticationFailed, e.Kind);
    }

    [VmFact]
    public async Task Login_without_credentials_to_a_chap_target_is_refused_with_authentication_status()
    {
        using LioTarget target = AclTarget(nameof(Login_without_credentials_to_a_chap_target_is_refused_with_authentication_status), Chap);

        var e = await Assert.ThrowsAsync<IscsiAuthenticationException>(() => LoginAndLogoutAsync(target, null));

        Assert.Equal(0x0201, e.Status);
    }

    [VmFact]
    public async Task Login_from_an_initiator_outside_the_acl_fails_with_authorization_status()
    {
        using LioTarget target = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(nameof(Login_from_an_initiator_outside_the_acl_fails_with_authorization_status)))
        {
            InitiatorIqn = "iqn.2025-01.org.iscsinative:someone-else",
        });

        var e = await Assert.ThrowsAsync<IscsiAuthenticationException>(() => LoginAndLogoutAsync(target, null));

        Assert.Equal(0x0202, e.Status);
        Assert.Equal(LoginFailureKind.AuthorizationFailed, e.Kind);
    }

    /// <summary>
    /// LIO answers an unknown TargetName with 0x0301 "service unavailable" (iscsi_target_nego.c: "Unable to locate
    /// Target IQN"), where tgtd answers 0x0203 "not found".
    /// </summary>
    [VmFact]
    public async Task Login_to_an_unknown_target_fails_with_LIO_s_service_unavailable_status()
    {
        using LioTarget target = LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(nameof(Login_to_an_unknown_target_fails_with_LIO_s_service_unavailable_status))));

        var e = await Assert.ThrowsAsync<IscsiLoginException>(() => LoginAndLogoutAsync(target.Iqn + "-missing", target.Options.Port, null, null));

        Assert.Equal(0x0301, e.Status);
        Assert.Equal(LoginFailureKind.ServiceUnavailable, e.Kind);
    }

    /// <summary>
    /// Kernel 6.1 LIO implements CHAP_A 5 (MD5), 6 (SHA1), 7 (SHA256) and 8 (SHA3-256), each only if the kernel crypto API
    /// has the hash: SHA3-256 lives in the sha3_generic module, which nothing loads on demand in the VM (the vmtests stage
    /// loads it; without it LIO logs "Unsupported CHAP_A value" and refuses CHAP_A=8 with 0x0201).
    /// </summary>
    [Theory]
    [InlineData(ChapAlgorithm.Md5)]
    [InlineData(ChapAlgorithm.Sha1)]
    [InlineData(ChapAlgorithm.Sha256)]
    [InlineData(ChapAlgorithm.Sha3_256)]
    public async Task Login_offering_one_chap_algorithm_alone_is_accepted_by_LIO(ChapAlgorithm algorithm)
    {
        VmStage.Require();
        Assert.True(
            algorithm != ChapAlgorithm.Sha3_256 || File.ReadAllText("/proc/crypto").Contains(": sha3-256\n", StringComparison.Ordinal),
            "the kernel has no sha3-256 (tests/vm/stages/vmtests.sh loads sha3_generic)");
        using LioTarget target = AclTarget($"chap-a-{(int)algorithm}", Mutual);
        using var chap = ChapCredentials.Mutual(Mutual.UserId, Mutual.Password, Mutual.MutualUserId!, Mutual.MutualPassword!);

        NegotiatedParameters p = await LoginAndLogoutAsync(target, chap, [algorithm]);

        Assert.Equal(algorithm, p.ChapAlgorithm);
    }

    /// <summary>LIO takes the first value of the initiator's CHAP_A list that it implements (iscsi_target_auth.c).</summary>
    [Theory]
    [InlineData(new[] { ChapAlgorithm.Sha3_256, ChapAlgorithm.Sha256, ChapAlgorithm.Sha1, ChapAlgorithm.Md5 }, ChapAlgorithm.Sha3_256)]
    [InlineData(new[] { ChapAlgorithm.Sha1, ChapAlgorithm.Sha3_256, ChapAlgorithm.Md5 }, ChapAlgorithm.Sha1)]
    [InlineData(new[] { ChapAlgorithm.Md5, ChapAlgorithm.Sha256 }, ChapAlgorithm.Md5)]
    public async Task Login_offering_a_preference_list_gets_LIO_s_choice(ChapAlgorithm[] offered, ChapAlgorithm chosen)
    {
        VmStage.Require();
        using LioTarget target = AclTarget($"chap-list-{(int)offered[0]}", Chap);
        using var chap = ChapCredentials.OneWay(Chap.UserId, Chap.Password);

        NegotiatedParameters p = await LoginAndLogoutAsync(target, chap, offered);

        Assert.Equal(chosen, p.ChapAlgorithm);
    }

    private static LioTarget AclTarget(string test, LioChap chap) =>
        LioTarget.Create(new LioTargetOptions(LioTarget.UniqueIqn(test)) { InitiatorIqn = Initiator, Chap = chap });

    private static string AclInfo(LioTarget target) =>
        Configfs.Read(Path.Combine(target.TpgDirectory, "acls", Initiator, "info"));

    private static Task<NegotiatedParameters> LoginAndLogoutAsync(
        LioTarget target, ChapCredentials? chap, IReadOnlyList<ChapAlgorithm>? algorithms = null, Action? whileLoggedIn = null) =>
        LoginAndLogoutAsync(target.Iqn, target.Options.Port, chap, algorithms, whileLoggedIn);

    private static async Task<NegotiatedParameters> LoginAndLogoutAsync(
        string targetName, int port, ChapCredentials? chap, IReadOnlyList<ChapAlgorithm>? algorithms, Action? whileLoggedIn = null)
    {
        var settings = new LoginSettings
        {
            InitiatorName = Initiator,
            TargetName = targetName,
            Credentials = chap,
            ChapAlgorithms = algorithms ?? [ChapAlgorithm.Md5],
            Isid = LoginSettings.IsidFor((uint)Random.Shared.Next(1, 0xFFFFFF)),
        };
        IscsiLoginSession session = await IscsiLoginSession.ConnectAsync(
            "127.0.0.1", port, settings, Timeout, Timeout, Timeout, TestContext.Current.CancellationToken);
        await using (session)
        {
            whileLoggedIn?.Invoke();
            await session.LogoutAsync(TestContext.Current.CancellationToken);
            return session.Parameters;
        }
    }
}
