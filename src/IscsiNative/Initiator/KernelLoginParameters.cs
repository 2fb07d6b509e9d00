using System.Globalization;
using System.Text;
using IscsiNative.Netlink;
using IscsiNative.Protocol;

namespace IscsiNative.Initiator;

/// <summary>The SET_PARAM lists iscsid sends around the login (OPEN-ISCSI.md §4), as (param, value) in its order.</summary>
internal static class KernelLoginParameters
{
    /// <summary>
    /// List 1, after BIND and before the login: TARGET_NAME, PERSISTENT_ADDRESS, PERSISTENT_PORT, SESS_RECOVERY_TMO,
    /// USERNAME, USERNAME_IN, (passwords separately), FAST_ABORT, ABORT_TMO, LU_RESET_TMO, TGT_RESET_TMO, PING_TMO,
    /// RECV_TMO, IFACE_NAME, INITIATOR_NAME, DISCOVERY_SESS. Empty values are left out, as iscsid does (BOOT_* are empty).
    /// </summary>
    /// <remarks>The CHAP passwords (24, 25) go between USERNAME_IN and FAST_ABORT; the caller sends them as cleared byte arrays.</remarks>
    internal static (List<(IscsiParam Param, string Value)> BeforePasswords, List<(IscsiParam Param, string Value)> AfterPasswords) BeforeLogin(
        string targetName, IscsiPortal portal, LoginOptions options, string initiatorName)
    {
        List<(IscsiParam, string)> before =
        [
            (IscsiParam.TargetName, targetName),
            (IscsiParam.PersistentAddress, portal.Address),
            (IscsiParam.PersistentPort, Number(portal.Port)),
            (IscsiParam.SessRecoveryTmo, Number(options.RecoveryTimeout)),
        ];
        if (options.Credentials is { } chap)
        {
            before.Add((IscsiParam.Username, chap.Username));
            if (chap.TargetUsername is { } usernameIn)
            {
                before.Add((IscsiParam.UsernameIn, usernameIn));
            }
        }

        List<(IscsiParam, string)> after =
        [
            (IscsiParam.FastAbort, options.FastAbort ? "1" : "0"),
            (IscsiParam.AbortTmo, Number(options.AbortTimeout)),
            (IscsiParam.LuResetTmo, Number(options.LunResetTimeout)),
            (IscsiParam.TgtResetTmo, Number(options.TargetResetTimeout)),
            (IscsiParam.PingTmo, Number(options.NoopOutTimeout)),
            (IscsiParam.RecvTmo, Number(options.NoopOutInterval)),
            (IscsiParam.IfaceName, options.IfaceName),
            (IscsiParam.InitiatorName, initiatorName),
            (IscsiParam.DiscoverySess, "0"),
        ];
        before.RemoveAll(p => string.IsNullOrEmpty(p.Item2));
        after.RemoveAll(p => string.IsNullOrEmpty(p.Item2));
        return (before, after);
    }

    /// <summary>
    /// The CHAP secrets as ASCII arrays for PASSWORD (24) and PASSWORD_IN (25), so sysfs shows them as iscsiadm expects;
    /// a secret that is not NUL-free ASCII is not passed to the kernel (sysfs then shows it unset).
    /// </summary>
    internal static List<(IscsiParam Param, byte[] Value)> Passwords(ChapCredentials? chap)
    {
        var list = new List<(IscsiParam, byte[])>(2);
        if (chap is null)
        {
            return list;
        }

        if (IsKernelText(chap.Secret))
        {
            list.Add((IscsiParam.Password, ChapCredentials.PinnedCopy(chap.Secret)));
        }

        if (chap.IsMutual && IsKernelText(chap.TargetSecret))
        {
            list.Add((IscsiParam.PasswordIn, ChapCredentials.PinnedCopy(chap.TargetSecret)));
        }

        return list;
    }

    /// <summary>
    /// List 2, after the final Login Response: MAX_RECV_DLENGTH .. ERL, EXP_STATSN (StatSN + 1), TPGT. The markers
    /// (12, 13) are skipped: iscsi_tcp lacks CAP_MARKERS.
    /// </summary>
    internal static List<(IscsiParam Param, string Value)> AfterLogin(NegotiatedParameters p, int fallbackTpgt) =>
    [
        (IscsiParam.MaxRecvDlength, Number(p.MaxRecvDataSegmentLength)),
        (IscsiParam.MaxXmitDlength, Number(p.MaxXmitDataSegmentLength)),
        (IscsiParam.HdrdgstEn, p.HeaderDigest == IscsiDigest.Crc32C ? "1" : "0"),
        (IscsiParam.DatadgstEn, p.DataDigest == IscsiDigest.Crc32C ? "1" : "0"),
        (IscsiParam.InitialR2tEn, p.InitialR2T ? "1" : "0"),
        (IscsiParam.MaxR2t, Number(p.MaxOutstandingR2T)),
        (IscsiParam.ImmDataEn, p.ImmediateData ? "1" : "0"),
        (IscsiParam.FirstBurst, Number(p.FirstBurstLength)),
        (IscsiParam.MaxBurst, Number(p.MaxBurstLength)),
        (IscsiParam.PduInorderEn, p.DataPduInOrder ? "1" : "0"),
        (IscsiParam.DataseqInorderEn, p.DataSequenceInOrder ? "1" : "0"),
        (IscsiParam.Erl, Number(p.ErrorRecoveryLevel)),
        (IscsiParam.ExpStatsn, unchecked(p.StatSN + 1).ToString(CultureInfo.InvariantCulture)),
        (IscsiParam.Tpgt, Number(p.TargetPortalGroupTag >= 0 ? p.TargetPortalGroupTag : fallbackTpgt)),
    ];

    private static bool IsKernelText(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (byte b in value)
        {
            if (b is 0 or > 0x7F)
            {
                return false;
            }
        }

        return Encoding.ASCII.GetCharCount(value) == value.Length;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
