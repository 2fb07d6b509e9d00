using IscsiNative.Netlink;

namespace IscsiNative.Tests.Netlink;

/// <summary>
/// The managed codec's offsets against the shim's compiled view of the same structs (which _Static_asserts pin to
/// KERNEL-ABI.md): a mismatch on either side fails here or fails the native build.
/// </summary>
public sealed class LayoutTests
{
    public static TheoryData<string, int, int> Fields => new()
    {
        { nameof(LayoutId.NlmsghdrSize), 0, NetlinkHeaderLayout.Size },
        { nameof(LayoutId.NlmsgLen), NetlinkHeaderLayout.NlmsgLen, 4 },
        { nameof(LayoutId.NlmsgType), NetlinkHeaderLayout.NlmsgType, 2 },
        { nameof(LayoutId.NlmsgFlags), NetlinkHeaderLayout.NlmsgFlags, 2 },
        { nameof(LayoutId.NlmsgSeq), NetlinkHeaderLayout.NlmsgSeq, 4 },
        { nameof(LayoutId.NlmsgPid), NetlinkHeaderLayout.NlmsgPid, 4 },
        { nameof(LayoutId.SockaddrNlSize), 0, 12 },
        { nameof(LayoutId.SockaddrNlFamily), 0, 2 },
        { nameof(LayoutId.SockaddrNlPid), 4, 4 },
        { nameof(LayoutId.SockaddrNlGroups), 8, 4 },
        { nameof(LayoutId.UeventSize), 0, IscsiUeventLayout.Size },
        { nameof(LayoutId.UeventType), IscsiUeventLayout.Type, 4 },
        { nameof(LayoutId.UeventIfError), IscsiUeventLayout.IfError, 4 },
        { nameof(LayoutId.UeventTransportHandle), IscsiUeventLayout.TransportHandle, 8 },
        { nameof(LayoutId.UeventU), IscsiUeventLayout.U, 24 },
        { nameof(LayoutId.UeventR), IscsiUeventLayout.R, 16 },
        { nameof(LayoutId.UeventCSessionInitialCmdSn), IscsiUeventLayout.CSessionInitialCmdSn, 4 },
        { nameof(LayoutId.UeventCSessionCmdsMax), IscsiUeventLayout.CSessionCmdsMax, 2 },
        { nameof(LayoutId.UeventCSessionQueueDepth), IscsiUeventLayout.CSessionQueueDepth, 2 },
        { nameof(LayoutId.UeventCBoundSessionEpHandle), IscsiUeventLayout.CBoundSessionEpHandle, 8 },
        { nameof(LayoutId.UeventCBoundSessionInitialCmdSn), IscsiUeventLayout.CBoundSessionInitialCmdSn, 4 },
        { nameof(LayoutId.UeventCBoundSessionCmdsMax), IscsiUeventLayout.CBoundSessionCmdsMax, 2 },
        { nameof(LayoutId.UeventCBoundSessionQueueDepth), IscsiUeventLayout.CBoundSessionQueueDepth, 2 },
        { nameof(LayoutId.UeventDSessionSid), IscsiUeventLayout.DSessionSid, 4 },
        { nameof(LayoutId.UeventCConnSid), IscsiUeventLayout.CConnSid, 4 },
        { nameof(LayoutId.UeventCConnCid), IscsiUeventLayout.CConnCid, 4 },
        { nameof(LayoutId.UeventBConnSid), IscsiUeventLayout.BConnSid, 4 },
        { nameof(LayoutId.UeventBConnCid), IscsiUeventLayout.BConnCid, 4 },
        { nameof(LayoutId.UeventBConnTransportEph), IscsiUeventLayout.BConnTransportEph, 8 },
        { nameof(LayoutId.UeventBConnIsLeading), IscsiUeventLayout.BConnIsLeading, 4 },
        { nameof(LayoutId.UeventDConnSid), IscsiUeventLayout.DConnSid, 4 },
        { nameof(LayoutId.UeventDConnCid), IscsiUeventLayout.DConnCid, 4 },
        { nameof(LayoutId.UeventSendPduSid), IscsiUeventLayout.SendPduSid, 4 },
        { nameof(LayoutId.UeventSendPduCid), IscsiUeventLayout.SendPduCid, 4 },
        { nameof(LayoutId.UeventSendPduHdrSize), IscsiUeventLayout.SendPduHdrSize, 4 },
        { nameof(LayoutId.UeventSendPduDataSize), IscsiUeventLayout.SendPduDataSize, 4 },
        { nameof(LayoutId.UeventSetParamSid), IscsiUeventLayout.SetParamSid, 4 },
        { nameof(LayoutId.UeventSetParamCid), IscsiUeventLayout.SetParamCid, 4 },
        { nameof(LayoutId.UeventSetParamParam), IscsiUeventLayout.SetParamParam, 4 },
        { nameof(LayoutId.UeventSetParamLen), IscsiUeventLayout.SetParamLen, 4 },
        { nameof(LayoutId.UeventStartConnSid), IscsiUeventLayout.StartConnSid, 4 },
        { nameof(LayoutId.UeventStartConnCid), IscsiUeventLayout.StartConnCid, 4 },
        { nameof(LayoutId.UeventStopConnSid), IscsiUeventLayout.StopConnSid, 4 },
        { nameof(LayoutId.UeventStopConnCid), IscsiUeventLayout.StopConnCid, 4 },
        { nameof(LayoutId.UeventStopConnConnHandle), IscsiUeventLayout.StopConnConnHandle, 8 },
        { nameof(LayoutId.UeventStopConnFlag), IscsiUeventLayout.StopConnFlag, 4 },
        { nameof(LayoutId.UeventGetStatsSid), IscsiUeventLayout.GetStatsSid, 4 },
        { nameof(LayoutId.UeventGetStatsCid), IscsiUeventLayout.GetStatsCid, 4 },
        { nameof(LayoutId.UeventEpConnectNonBlocking), IscsiUeventLayout.EpConnectNonBlocking, 4 },
        { nameof(LayoutId.UeventEpPollEpHandle), IscsiUeventLayout.EpPollEpHandle, 8 },
        { nameof(LayoutId.UeventEpPollTimeoutMs), IscsiUeventLayout.EpPollTimeoutMs, 4 },
        { nameof(LayoutId.UeventEpDisconnectEpHandle), IscsiUeventLayout.EpDisconnectEpHandle, 8 },
        { nameof(LayoutId.UeventTgtDscvrType), IscsiUeventLayout.TgtDscvrType, 4 },
        { nameof(LayoutId.UeventTgtDscvrHostNo), IscsiUeventLayout.TgtDscvrHostNo, 4 },
        { nameof(LayoutId.UeventTgtDscvrEnable), IscsiUeventLayout.TgtDscvrEnable, 4 },
        { nameof(LayoutId.UeventSetHostParamHostNo), IscsiUeventLayout.SetHostParamHostNo, 4 },
        { nameof(LayoutId.UeventSetHostParamParam), IscsiUeventLayout.SetHostParamParam, 4 },
        { nameof(LayoutId.UeventSetHostParamLen), IscsiUeventLayout.SetHostParamLen, 4 },
        { nameof(LayoutId.UeventSetPathHostNo), IscsiUeventLayout.SetPathHostNo, 4 },
        { nameof(LayoutId.UeventGetHostStatsHostNo), IscsiUeventLayout.GetHostStatsHostNo, 4 },
        { nameof(LayoutId.UeventRetCode), IscsiUeventLayout.RetCode, 4 },
        { nameof(LayoutId.UeventCSessionRetSid), IscsiUeventLayout.CSessionRetSid, 4 },
        { nameof(LayoutId.UeventCSessionRetHostNo), IscsiUeventLayout.CSessionRetHostNo, 4 },
        { nameof(LayoutId.UeventCConnRetSid), IscsiUeventLayout.CConnRetSid, 4 },
        { nameof(LayoutId.UeventCConnRetCid), IscsiUeventLayout.CConnRetCid, 4 },
        { nameof(LayoutId.UeventUnbindSessionSid), IscsiUeventLayout.UnbindSessionSid, 4 },
        { nameof(LayoutId.UeventUnbindSessionHostNo), IscsiUeventLayout.UnbindSessionHostNo, 4 },
        { nameof(LayoutId.UeventRecvReqSid), IscsiUeventLayout.RecvReqSid, 4 },
        { nameof(LayoutId.UeventRecvReqCid), IscsiUeventLayout.RecvReqCid, 4 },
        { nameof(LayoutId.UeventRecvReqRecvHandle), IscsiUeventLayout.RecvReqRecvHandle, 8 },
        { nameof(LayoutId.UeventConnErrorSid), IscsiUeventLayout.ConnErrorSid, 4 },
        { nameof(LayoutId.UeventConnErrorCid), IscsiUeventLayout.ConnErrorCid, 4 },
        { nameof(LayoutId.UeventConnErrorError), IscsiUeventLayout.ConnErrorError, 4 },
        { nameof(LayoutId.UeventConnLoginSid), IscsiUeventLayout.ConnLoginSid, 4 },
        { nameof(LayoutId.UeventConnLoginCid), IscsiUeventLayout.ConnLoginCid, 4 },
        { nameof(LayoutId.UeventConnLoginState), IscsiUeventLayout.ConnLoginState, 4 },
        { nameof(LayoutId.UeventDestroyedSessionHostNo), IscsiUeventLayout.DestroyedSessionHostNo, 4 },
        { nameof(LayoutId.UeventDestroyedSessionSid), IscsiUeventLayout.DestroyedSessionSid, 4 },
        { nameof(LayoutId.UeventEpConnectRetHandle), IscsiUeventLayout.EpConnectRetHandle, 8 },
        { nameof(LayoutId.UeventHostEventHostNo), IscsiUeventLayout.HostEventHostNo, 4 },
        { nameof(LayoutId.UeventHostEventDataSize), IscsiUeventLayout.HostEventDataSize, 4 },
        { nameof(LayoutId.UeventHostEventCode), IscsiUeventLayout.HostEventCode, 4 },
        { nameof(LayoutId.UeventPingCompHostNo), IscsiUeventLayout.PingCompHostNo, 4 },
        { nameof(LayoutId.UeventPingCompStatus), IscsiUeventLayout.PingCompStatus, 4 },
        { nameof(LayoutId.UeventPingCompPid), IscsiUeventLayout.PingCompPid, 4 },
        { nameof(LayoutId.UeventPingCompDataSize), IscsiUeventLayout.PingCompDataSize, 4 },
        { nameof(LayoutId.StatsSize), 0, IscsiStatsLayout.Size },
        { nameof(LayoutId.StatsTxDataOctets), IscsiStatsLayout.TxDataOctets, 8 },
        { nameof(LayoutId.StatsRxDataOctets), IscsiStatsLayout.RxDataOctets, 8 },
        { nameof(LayoutId.StatsNoptxPdus), IscsiStatsLayout.NoptxPdus, 4 },
        { nameof(LayoutId.StatsScsicmdPdus), IscsiStatsLayout.ScsicmdPdus, 4 },
        { nameof(LayoutId.StatsTmfcmdPdus), IscsiStatsLayout.TmfcmdPdus, 4 },
        { nameof(LayoutId.StatsLoginPdus), IscsiStatsLayout.LoginPdus, 4 },
        { nameof(LayoutId.StatsTextPdus), IscsiStatsLayout.TextPdus, 4 },
        { nameof(LayoutId.StatsDataoutPdus), IscsiStatsLayout.DataoutPdus, 4 },
        { nameof(LayoutId.StatsLogoutPdus), IscsiStatsLayout.LogoutPdus, 4 },
        { nameof(LayoutId.StatsSnackPdus), IscsiStatsLayout.SnackPdus, 4 },
        { nameof(LayoutId.StatsNoprxPdus), IscsiStatsLayout.NoprxPdus, 4 },
        { nameof(LayoutId.StatsScsirspPdus), IscsiStatsLayout.ScsirspPdus, 4 },
        { nameof(LayoutId.StatsTmfrspPdus), IscsiStatsLayout.TmfrspPdus, 4 },
        { nameof(LayoutId.StatsTextrspPdus), IscsiStatsLayout.TextrspPdus, 4 },
        { nameof(LayoutId.StatsDatainPdus), IscsiStatsLayout.DatainPdus, 4 },
        { nameof(LayoutId.StatsLogoutrspPdus), IscsiStatsLayout.LogoutrspPdus, 4 },
        { nameof(LayoutId.StatsR2tPdus), IscsiStatsLayout.R2tPdus, 4 },
        { nameof(LayoutId.StatsAsyncPdus), IscsiStatsLayout.AsyncPdus, 4 },
        { nameof(LayoutId.StatsRjtPdus), IscsiStatsLayout.RjtPdus, 4 },
        { nameof(LayoutId.StatsDigestErr), IscsiStatsLayout.DigestErr, 4 },
        { nameof(LayoutId.StatsTimeoutErr), IscsiStatsLayout.TimeoutErr, 4 },
        { nameof(LayoutId.StatsCustomLength), IscsiStatsLayout.CustomLength, 4 },
        { nameof(LayoutId.StatsCustom), IscsiStatsLayout.Custom, 0 },
        { nameof(LayoutId.StatsCustomSize), 0, IscsiStatsLayout.CustomSize },
        { nameof(LayoutId.StatsCustomDesc), IscsiStatsLayout.CustomDesc, IscsiStatsLayout.CustomDescMax },
        { nameof(LayoutId.StatsCustomValue), IscsiStatsLayout.CustomValue, 8 },
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public void Codec_offset_and_size_match_the_shims_compiled_layout(string field, int offset, int size)
    {
        Assert.Equal(0, IscsiNative.Interop.Shim.GetLayout((int)Enum.Parse<LayoutId>(field), out int nativeOffset, out int nativeSize));
        Assert.Equal((offset, size), (nativeOffset, nativeSize));
    }

    [Fact]
    public void Every_layout_id_is_covered_and_unknown_ids_are_rejected()
    {
        Assert.Equal((int)LayoutId.Count, Fields.Count);
        Assert.Equal(-22, IscsiNative.Interop.Shim.GetLayout((int)LayoutId.Count, out _, out _));
        Assert.Equal(-22, IscsiNative.Interop.Shim.GetLayout(-1, out _, out _));
    }
}
