using IscsiNative.Initiator;
using IscsiNative.Netlink;
using IscsiNative.Protocol;

namespace IscsiNative.Tests.Initiator;

/// <summary>The SET_PARAM lists around the login, in iscsid's order with its values.</summary>
public sealed class KernelLoginParametersTests
{
    [Fact]
    public void Before_login_list_follows_iscsid_order_and_leaves_out_empty_values()
    {
        var portal = new IscsiPortal("127.0.0.1", 3260);
        var (before, after) = KernelLoginParameters.BeforeLogin("iqn.t:1", portal, new LoginOptions(), "iqn.i:1");

        Assert.Equal(
            [
                (IscsiParam.TargetName, "iqn.t:1"), (IscsiParam.PersistentAddress, "127.0.0.1"), (IscsiParam.PersistentPort, "3260"),
                (IscsiParam.SessRecoveryTmo, "120"),
            ],
            before);
        Assert.Equal(
            [
                (IscsiParam.FastAbort, "1"), (IscsiParam.AbortTmo, "15"), (IscsiParam.LuResetTmo, "30"), (IscsiParam.TgtResetTmo, "30"),
                (IscsiParam.PingTmo, "5"), (IscsiParam.RecvTmo, "5"), (IscsiParam.IfaceName, "default"), (IscsiParam.InitiatorName, "iqn.i:1"),
                (IscsiParam.DiscoverySess, "0"),
            ],
            after);
    }

    [Fact]
    public void Chap_usernames_go_in_list_one_and_secrets_as_separate_byte_arrays()
    {
        using var chap = ChapCredentials.Mutual("out", "secret-out-1", "in", "secret-in-22");
        var (before, _) = KernelLoginParameters.BeforeLogin("iqn.t:1", new IscsiPortal("10.0.0.1"), new LoginOptions { Credentials = chap }, "iqn.i:1");

        Assert.Equal([(IscsiParam.Username, "out"), (IscsiParam.UsernameIn, "in")], before.Skip(4));
        Assert.DoesNotContain(before, p => p.Value.Contains("secret", StringComparison.Ordinal));
        var passwords = KernelLoginParameters.Passwords(chap);
        Assert.Equal([IscsiParam.Password, IscsiParam.PasswordIn], passwords.Select(p => p.Param));
        Assert.Equal("secret-out-1"u8.ToArray(), passwords[0].Value);
    }

    [Fact]
    public void A_secret_that_is_not_ascii_is_not_given_to_the_kernel()
    {
        using var chap = ChapCredentials.OneWay("u", [0xFF, 0x00, 0x41]);
        Assert.Empty(KernelLoginParameters.Passwords(chap));
    }

    [Fact]
    public void After_login_list_carries_negotiated_values_expstatsn_and_tpgt_without_markers()
    {
        var p = new NegotiatedParameters
        {
            MaxRecvDataSegmentLength = 262144,
            MaxXmitDataSegmentLength = 65536,
            HeaderDigest = IscsiDigest.Crc32C,
            DataDigest = IscsiDigest.None,
            InitialR2T = true,
            MaxOutstandingR2T = 1,
            ImmediateData = true,
            FirstBurstLength = 65536,
            MaxBurstLength = 262144,
            DataPduInOrder = true,
            DataSequenceInOrder = true,
            ErrorRecoveryLevel = 0,
            StatSN = 0xFFFFFFFF,
            TargetPortalGroupTag = 1,
        };

        Assert.Equal(
            [
                (IscsiParam.MaxRecvDlength, "262144"), (IscsiParam.MaxXmitDlength, "65536"), (IscsiParam.HdrdgstEn, "1"), (IscsiParam.DatadgstEn, "0"),
                (IscsiParam.InitialR2tEn, "1"), (IscsiParam.MaxR2t, "1"), (IscsiParam.ImmDataEn, "1"), (IscsiParam.FirstBurst, "65536"),
                (IscsiParam.MaxBurst, "262144"), (IscsiParam.PduInorderEn, "1"), (IscsiParam.DataseqInorderEn, "1"), (IscsiParam.Erl, "0"),
                (IscsiParam.ExpStatsn, "0"), (IscsiParam.Tpgt, "1"),
            ],
            KernelLoginParameters.AfterLogin(p, fallbackTpgt: -1));
    }
}
