namespace IscsiNative.Netlink;

/// <summary><c>enum iscsi_host_param</c>: parameters of ISCSI_UEVENT_SET_HOST_PARAM (iscsi_tcp accepts 0–2).</summary>
internal enum IscsiHostParam : uint
{
    /// <summary><c>ISCSI_HOST_PARAM_HWADDRESS</c>.</summary>
    Hwaddress = 0,

    /// <summary><c>ISCSI_HOST_PARAM_INITIATOR_NAME</c>.</summary>
    InitiatorName = 1,

    /// <summary><c>ISCSI_HOST_PARAM_NETDEV_NAME</c>.</summary>
    NetdevName = 2,

    /// <summary><c>ISCSI_HOST_PARAM_IPADDRESS</c>.</summary>
    Ipaddress = 3,

    /// <summary><c>ISCSI_HOST_PARAM_PORT_STATE</c>.</summary>
    PortState = 4,

    /// <summary><c>ISCSI_HOST_PARAM_PORT_SPEED</c>.</summary>
    PortSpeed = 5,
}
