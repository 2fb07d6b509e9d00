namespace IscsiNative.Netlink;

/// <summary>Kernel spellings of <see cref="IscsiUeventType"/> values, used in errors and logs.</summary>
internal static class IscsiUeventTypeExtensions
{
    /// <summary>The kernel's name of the message type, e.g. <c>ISCSI_UEVENT_BIND_CONN</c>.</summary>
    /// <param name="type">The message type.</param>
    /// <returns>The constant's name in iscsi_if.h, or <c>ISCSI_UEVENT_&lt;n&gt;</c> for a number it does not define.</returns>
    public static string ToKernelName(this IscsiUeventType type)
    {
        return type switch
        {
            IscsiUeventType.Unknown => "ISCSI_UEVENT_UNKNOWN",
            IscsiUeventType.CreateSession => "ISCSI_UEVENT_CREATE_SESSION",
            IscsiUeventType.DestroySession => "ISCSI_UEVENT_DESTROY_SESSION",
            IscsiUeventType.CreateConn => "ISCSI_UEVENT_CREATE_CONN",
            IscsiUeventType.DestroyConn => "ISCSI_UEVENT_DESTROY_CONN",
            IscsiUeventType.BindConn => "ISCSI_UEVENT_BIND_CONN",
            IscsiUeventType.SetParam => "ISCSI_UEVENT_SET_PARAM",
            IscsiUeventType.StartConn => "ISCSI_UEVENT_START_CONN",
            IscsiUeventType.StopConn => "ISCSI_UEVENT_STOP_CONN",
            IscsiUeventType.SendPdu => "ISCSI_UEVENT_SEND_PDU",
            IscsiUeventType.GetStats => "ISCSI_UEVENT_GET_STATS",
            IscsiUeventType.GetParam => "ISCSI_UEVENT_GET_PARAM",
            IscsiUeventType.TransportEpConnect => "ISCSI_UEVENT_TRANSPORT_EP_CONNECT",
            IscsiUeventType.TransportEpPoll => "ISCSI_UEVENT_TRANSPORT_EP_POLL",
            IscsiUeventType.TransportEpDisconnect => "ISCSI_UEVENT_TRANSPORT_EP_DISCONNECT",
            IscsiUeventType.TgtDscvr => "ISCSI_UEVENT_TGT_DSCVR",
            IscsiUeventType.SetHostParam => "ISCSI_UEVENT_SET_HOST_PARAM",
            IscsiUeventType.UnbindSession => "ISCSI_UEVENT_UNBIND_SESSION",
            IscsiUeventType.CreateBoundSession => "ISCSI_UEVENT_CREATE_BOUND_SESSION",
            IscsiUeventType.TransportEpConnectThroughHost => "ISCSI_UEVENT_TRANSPORT_EP_CONNECT_THROUGH_HOST",
            IscsiUeventType.PathUpdate => "ISCSI_UEVENT_PATH_UPDATE",
            IscsiUeventType.SetIfaceParams => "ISCSI_UEVENT_SET_IFACE_PARAMS",
            IscsiUeventType.Ping => "ISCSI_UEVENT_PING",
            IscsiUeventType.GetChap => "ISCSI_UEVENT_GET_CHAP",
            IscsiUeventType.DeleteChap => "ISCSI_UEVENT_DELETE_CHAP",
            IscsiUeventType.SetFlashnodeParams => "ISCSI_UEVENT_SET_FLASHNODE_PARAMS",
            IscsiUeventType.NewFlashnode => "ISCSI_UEVENT_NEW_FLASHNODE",
            IscsiUeventType.DelFlashnode => "ISCSI_UEVENT_DEL_FLASHNODE",
            IscsiUeventType.LoginFlashnode => "ISCSI_UEVENT_LOGIN_FLASHNODE",
            IscsiUeventType.LogoutFlashnode => "ISCSI_UEVENT_LOGOUT_FLASHNODE",
            IscsiUeventType.LogoutFlashnodeSid => "ISCSI_UEVENT_LOGOUT_FLASHNODE_SID",
            IscsiUeventType.SetChap => "ISCSI_UEVENT_SET_CHAP",
            IscsiUeventType.GetHostStats => "ISCSI_UEVENT_GET_HOST_STATS",
            IscsiUeventType.DestroySessionAsync => "ISCSI_UEVENT_DESTROY_SESSION_ASYNC",
            IscsiUeventType.KernelRecvPdu => "ISCSI_KEVENT_RECV_PDU",
            IscsiUeventType.KernelConnError => "ISCSI_KEVENT_CONN_ERROR",
            IscsiUeventType.KernelIfError => "ISCSI_KEVENT_IF_ERROR",
            IscsiUeventType.KernelDestroySession => "ISCSI_KEVENT_DESTROY_SESSION",
            IscsiUeventType.KernelUnbindSession => "ISCSI_KEVENT_UNBIND_SESSION",
            IscsiUeventType.KernelCreateSession => "ISCSI_KEVENT_CREATE_SESSION",
            IscsiUeventType.KernelPathReq => "ISCSI_KEVENT_PATH_REQ",
            IscsiUeventType.KernelIfDown => "ISCSI_KEVENT_IF_DOWN",
            IscsiUeventType.KernelConnLoginState => "ISCSI_KEVENT_CONN_LOGIN_STATE",
            IscsiUeventType.KernelHostEvent => "ISCSI_KEVENT_HOST_EVENT",
            IscsiUeventType.KernelPingComp => "ISCSI_KEVENT_PING_COMP",
            _ => "ISCSI_UEVENT_" + ((uint)type).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
