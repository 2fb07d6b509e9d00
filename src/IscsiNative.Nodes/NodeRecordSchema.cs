namespace IscsiNative.Nodes;

/// <summary>
/// The keys open-iscsi 2.1.8 writes and prints, in its order, with the defaults its code starts a record from
/// (usr/idbm.c <c>idbm_node_setup_defaults</c>, <c>idbm_recinfo_node</c>/<c>_iface</c>/<c>_discovery</c>; order
/// checked against the real iscsiadm 2.1.8, tests/fixtures/nodes). An empty default means "empty string".
/// </summary>
internal static class NodeRecordSchema
{
    /// <summary>The version string of the record header (<c># BEGIN RECORD 2.1.8</c>).</summary>
    internal const string Version = "2.1.8";

    internal const string BeginPrefix = "# BEGIN RECORD";
    internal const string EndLine = "# END RECORD";

    internal static readonly string[] PasswordKeys =
    [
        "node.session.auth.password", "node.session.auth.password_in",
        "discovery.sendtargets.auth.password", "discovery.sendtargets.auth.password_in",
    ];

    private static readonly (string Key, string Default)[] NodeHead =
    [
        ("node.name", ""), ("node.tpgt", "-1"), ("node.startup", "manual"), ("node.leading_login", "No"),
    ];

    private static readonly (string Key, string Default)[] IfaceHead =
    [
        ("iface.iscsi_ifacename", "default"), ("iface.net_ifacename", ""), ("iface.ipaddress", ""), ("iface.prefix_len", "0"),
        ("iface.hwaddress", ""), ("iface.transport_name", "tcp"), ("iface.initiatorname", ""), ("iface.state", ""),
        ("iface.vlan_id", "0"), ("iface.vlan_priority", "0"), ("iface.vlan_state", ""), ("iface.iface_num", "0"),
        ("iface.mtu", "0"), ("iface.port", "0"),
    ];

    private static readonly (string Key, string Default)[] IfaceIPv4 =
    [
        ("iface.bootproto", ""), ("iface.subnet_mask", ""), ("iface.gateway", ""), ("iface.dhcp_alt_client_id_state", ""),
        ("iface.dhcp_alt_client_id", ""), ("iface.dhcp_dns", ""), ("iface.dhcp_learn_iqn", ""), ("iface.dhcp_req_vendor_id_state", ""),
        ("iface.dhcp_vendor_id_state", ""), ("iface.dhcp_vendor_id", ""), ("iface.dhcp_slp_da", ""), ("iface.fragmentation", ""),
        ("iface.gratuitous_arp", ""), ("iface.incoming_forwarding", ""), ("iface.tos_state", ""), ("iface.tos", "0"), ("iface.ttl", "0"),
    ];

    private static readonly (string Key, string Default)[] IfaceIPv6 =
    [
        ("iface.ipv6_autocfg", ""), ("iface.linklocal_autocfg", ""), ("iface.router_autocfg", ""), ("iface.ipv6_linklocal", ""),
        ("iface.ipv6_router", ""), ("iface.dup_addr_detect_cnt", "0"), ("iface.flow_label", "0"), ("iface.gratuitous_neighbor_adv", ""),
        ("iface.hop_limit", "0"), ("iface.mld", ""), ("iface.nd_reachable_tmo", "0"), ("iface.nd_rexmit_time", "0"),
        ("iface.nd_stale_tmo", "0"), ("iface.router_adv_link_mtu", "0"), ("iface.traffic_class", "0"),
    ];

    private static readonly (string Key, string Default)[] IfaceTail =
    [
        ("iface.delayed_ack", ""), ("iface.tcp_nagle", ""), ("iface.tcp_wsf_state", ""), ("iface.tcp_wsf", "0"),
        ("iface.tcp_timer_scale", "0"), ("iface.tcp_timestamp", ""), ("iface.redirect", ""), ("iface.def_task_mgmt_timeout", "0"),
        ("iface.header_digest", ""), ("iface.data_digest", ""), ("iface.immediate_data", ""), ("iface.initial_r2t", ""),
        ("iface.data_seq_inorder", ""), ("iface.data_pdu_inorder", ""), ("iface.erl", "0"), ("iface.max_receive_data_len", "0"),
        ("iface.first_burst_len", "0"), ("iface.max_outstanding_r2t", "0"), ("iface.max_burst_len", "0"), ("iface.chap_auth", ""),
        ("iface.bidi_chap", ""), ("iface.strict_login_compliance", ""), ("iface.discovery_auth", ""), ("iface.discovery_logout", ""),
    ];

    private static readonly (string Key, string Default)[] NodeTail =
    [
        ("node.discovery_address", ""), ("node.discovery_port", "0"), ("node.discovery_type", "static"),
        ("node.session.initial_cmdsn", "0"), ("node.session.initial_login_retry_max", "4"), ("node.session.xmit_thread_priority", "-20"),
        ("node.session.cmds_max", "128"), ("node.session.queue_depth", "32"), ("node.session.nr_sessions", "1"),
        ("node.session.auth.authmethod", "None"), ("node.session.auth.username", ""), ("node.session.auth.password", ""),
        ("node.session.auth.username_in", ""), ("node.session.auth.password_in", ""), ("node.session.auth.chap_algs", "MD5"),
        ("node.session.timeo.replacement_timeout", "120"), ("node.session.err_timeo.abort_timeout", "15"),
        ("node.session.err_timeo.lu_reset_timeout", "30"), ("node.session.err_timeo.tgt_reset_timeout", "30"),
        ("node.session.err_timeo.host_reset_timeout", "60"), ("node.session.iscsi.FastAbort", "Yes"),
        ("node.session.iscsi.InitialR2T", "No"), ("node.session.iscsi.ImmediateData", "Yes"),
        ("node.session.iscsi.FirstBurstLength", "262144"), ("node.session.iscsi.MaxBurstLength", "16776192"),
        ("node.session.iscsi.DefaultTime2Retain", "0"), ("node.session.iscsi.DefaultTime2Wait", "2"),
        ("node.session.iscsi.MaxConnections", "1"), ("node.session.iscsi.MaxOutstandingR2T", "1"), ("node.session.iscsi.ERL", "0"),
        ("node.session.scan", "auto"), ("node.session.reopen_max", "0"),
        ("node.conn[0].address", ""), ("node.conn[0].port", "3260"), ("node.conn[0].startup", "manual"),
        ("node.conn[0].tcp.window_size", "524288"), ("node.conn[0].tcp.type_of_service", "0"),
        ("node.conn[0].timeo.logout_timeout", "15"), ("node.conn[0].timeo.login_timeout", "30"),
        ("node.conn[0].timeo.auth_timeout", "45"), ("node.conn[0].timeo.noop_out_interval", "5"),
        ("node.conn[0].timeo.noop_out_timeout", "5"), ("node.conn[0].iscsi.MaxXmitDataSegmentLength", "0"),
        ("node.conn[0].iscsi.MaxRecvDataSegmentLength", "262144"), ("node.conn[0].iscsi.HeaderDigest", "None"),
        ("node.conn[0].iscsi.DataDigest", "None"), ("node.conn[0].iscsi.IFMarker", "No"), ("node.conn[0].iscsi.OFMarker", "No"),
    ];

    private static readonly (string Key, string Default)[] SendTargets =
    [
        ("discovery.startup", "manual"), ("discovery.type", "sendtargets"), ("discovery.sendtargets.address", ""),
        ("discovery.sendtargets.port", "3260"), ("discovery.sendtargets.auth.authmethod", "None"),
        ("discovery.sendtargets.auth.username", ""), ("discovery.sendtargets.auth.password", ""),
        ("discovery.sendtargets.auth.username_in", ""), ("discovery.sendtargets.auth.password_in", ""),
        ("node.session.auth.chap_algs", "MD5"), ("discovery.sendtargets.timeo.login_timeout", "15"),
        ("discovery.sendtargets.use_discoveryd", "No"), ("discovery.sendtargets.discoveryd_poll_inval", "30"),
        ("discovery.sendtargets.reopen_max", "5"), ("discovery.sendtargets.timeo.auth_timeout", "45"),
        ("discovery.sendtargets.timeo.active_timeout", "30"), ("discovery.sendtargets.iscsi.MaxRecvDataSegmentLength", "32768"),
    ];

    /// <summary>Node record keys with an IPv4 (or unset) iface.</summary>
    internal static readonly (string Key, string Default)[] NodeIPv4 = [.. NodeHead, .. IfaceHead, .. IfaceIPv4, .. IfaceTail, .. NodeTail];

    /// <summary>Node record keys with an IPv6 iface.</summary>
    internal static readonly (string Key, string Default)[] NodeIPv6 = [.. NodeHead, .. IfaceHead, .. IfaceIPv6, .. IfaceTail, .. NodeTail];

    /// <summary>Iface record keys (ifaces/NAME) with an IPv4 (or unset) address.</summary>
    internal static readonly (string Key, string Default)[] IfaceRecordIPv4 = [.. IfaceHead, .. IfaceIPv4, .. IfaceTail];

    /// <summary>Iface record keys with an IPv6 address.</summary>
    internal static readonly (string Key, string Default)[] IfaceRecordIPv6 = [.. IfaceHead, .. IfaceIPv6, .. IfaceTail];

    /// <summary>SendTargets discovery record keys (send_targets/ADDR,PORT/st_config), chap_algs under its node name as in 2.1.8.</summary>
    internal static readonly (string Key, string Default)[] Discovery = SendTargets;

    /// <summary>
    /// Which key block applies (iface.c <c>iface_get_iptype</c>): IPv6 when the iface address is set, is not
    /// <c>&lt;empty&gt;</c>, has no '.' and bootproto is not dhcp; with no address, when the iface name contains "ipv6".
    /// </summary>
    internal static bool IsIPv6Iface(string ipAddress, string ifaceName, string bootProto) =>
        ipAddress.Length == 0 || ipAddress == "<empty>"
            ? ifaceName.Contains("ipv6", StringComparison.Ordinal)
            : bootProto != "dhcp" && !ipAddress.Contains('.');

    internal static bool IsPassword(string key) => Array.IndexOf(PasswordKeys, key) >= 0;
}
