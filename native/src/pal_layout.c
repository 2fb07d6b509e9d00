/*
 * Struct layouts shared with the managed codec, proven at compile time.
 *
 * nlmsghdr and sockaddr_nl come from the system headers. struct iscsi_uevent, iscsi_stats and
 * iscsi_stats_custom come from the kernel's own include/scsi/iscsi_if.h when the build finds it
 * (ISCSINATIVE_KERNEL_ISCSI_IF, set by CMake from Debian's linux-headers-<abi>-common of the kernel the VM boots;
 * build.sh installs it): then every assert below checks the real header. Without it (a build machine without
 * that package) the structs are mirrored field for field from the 6.1 header, with every union member so that
 * the union sizes and alignment come out exactly as the kernel compiles them. The shim never encodes these
 * structs (C# does, over spans); they exist only to be measured.
 */
#include "iscsinative.h"

#include <errno.h>
#include <stddef.h>
#include <linux/netlink.h>

#define MEMBER_SIZE(type, member) ((int32_t)sizeof(((type*)0)->member))

#ifdef ISCSINATIVE_KERNEL_ISCSI_IF
#include "pal_kernel_iscsi_if.h"
#else
struct iscsi_uevent
{
    uint32_t type;
    uint32_t iferror;
    uint64_t transport_handle;

    union
    {
        struct { uint32_t initial_cmdsn; uint16_t cmds_max; uint16_t queue_depth; } c_session;
        struct { uint64_t ep_handle; uint32_t initial_cmdsn; uint16_t cmds_max; uint16_t queue_depth; } c_bound_session;
        struct { uint32_t sid; } d_session;
        struct { uint32_t sid; uint32_t cid; } c_conn;
        struct { uint32_t sid; uint32_t cid; uint64_t transport_eph; uint32_t is_leading; } b_conn;
        struct { uint32_t sid; uint32_t cid; } d_conn;
        struct { uint32_t sid; uint32_t cid; uint32_t hdr_size; uint32_t data_size; } send_pdu;
        struct { uint32_t sid; uint32_t cid; uint32_t param; uint32_t len; } set_param;
        struct { uint32_t sid; uint32_t cid; } start_conn;
        struct { uint32_t sid; uint32_t cid; uint64_t conn_handle; uint32_t flag; } stop_conn;
        struct { uint32_t sid; uint32_t cid; } get_stats;
        struct { uint32_t non_blocking; } ep_connect;
        struct { uint32_t host_no; uint32_t non_blocking; } ep_connect_through_host;
        struct { uint64_t ep_handle; uint32_t timeout_ms; } ep_poll;
        struct { uint64_t ep_handle; } ep_disconnect;
        struct { int32_t type; uint32_t host_no; uint32_t enable; } tgt_dscvr; /* enum iscsi_tgt_dscvr */
        struct { uint32_t host_no; uint32_t param; uint32_t len; } set_host_param;
        struct { uint32_t host_no; } set_path;
        struct { uint32_t host_no; uint32_t count; } set_iface_params;
        struct { uint32_t host_no; uint32_t iface_num; uint32_t iface_type; uint32_t payload_size; uint32_t pid; } iscsi_ping;
        struct { uint32_t host_no; uint32_t num_entries; uint16_t chap_tbl_idx; } get_chap;
        struct { uint32_t host_no; uint16_t chap_tbl_idx; } delete_chap;
        struct { uint32_t host_no; uint32_t flashnode_idx; uint32_t count; } set_flashnode;
        struct { uint32_t host_no; uint32_t len; } new_flashnode;
        struct { uint32_t host_no; uint32_t flashnode_idx; } del_flashnode;
        struct { uint32_t host_no; uint32_t flashnode_idx; } login_flashnode;
        struct { uint32_t host_no; uint32_t flashnode_idx; } logout_flashnode;
        struct { uint32_t host_no; uint32_t sid; } logout_flashnode_sid;
        struct { uint32_t host_no; } get_host_stats;
    } u;

    union
    {
        int32_t retcode;
        struct { uint32_t sid; uint32_t host_no; } c_session_ret;
        struct { uint32_t sid; uint32_t cid; } c_conn_ret;
        struct { uint32_t sid; uint32_t host_no; } unbind_session;
        struct { uint32_t sid; uint32_t cid; uint64_t recv_handle; } recv_req;
        struct { uint32_t sid; uint32_t cid; uint32_t state; } conn_login;
        struct { uint32_t sid; uint32_t cid; uint32_t error; } connerror;
        struct { uint32_t host_no; uint32_t sid; } d_session; /* event 104: host_no first */
        struct { uint64_t handle; } ep_connect_ret;
        struct { uint32_t host_no; } req_path;
        struct { uint32_t host_no; } notify_if_down;
        struct { uint32_t host_no; uint32_t data_size; int32_t code; } host_event; /* enum iscsi_host_event_code */
        struct { uint32_t host_no; uint32_t status; uint32_t pid; uint32_t data_size; } ping_comp;
        struct { uint32_t flashnode_idx; } new_flashnode_ret;
    } r;
} __attribute__((aligned(sizeof(uint64_t))));

struct iscsi_stats_custom
{
    char desc[64]; /* ISCSI_STATS_CUSTOM_DESC_MAX */
    uint64_t value;
};

struct iscsi_stats
{
    uint64_t txdata_octets;
    uint64_t rxdata_octets;

    uint32_t noptx_pdus;
    uint32_t scsicmd_pdus;
    uint32_t tmfcmd_pdus;
    uint32_t login_pdus;
    uint32_t text_pdus;
    uint32_t dataout_pdus;
    uint32_t logout_pdus;
    uint32_t snack_pdus;

    uint32_t noprx_pdus;
    uint32_t scsirsp_pdus;
    uint32_t tmfrsp_pdus;
    uint32_t textrsp_pdus;
    uint32_t datain_pdus;
    uint32_t logoutrsp_pdus;
    uint32_t r2t_pdus;
    uint32_t async_pdus;
    uint32_t rjt_pdus;

    uint32_t digest_err;
    uint32_t timeout_err;

    uint32_t custom_length;
    struct iscsi_stats_custom custom[]; /* ISCSI_STATS_CUSTOM_MAX (32) entries at most */
} __attribute__((aligned(sizeof(uint64_t))));

#endif

_Static_assert(_Alignof(struct iscsi_uevent) == 8, "struct iscsi_uevent alignment");

/* The numbers below are KERNEL-ABI.md's (x86_64 LP64). */
_Static_assert(sizeof(struct nlmsghdr) == 16, "sizeof(struct nlmsghdr)");
_Static_assert(offsetof(struct nlmsghdr, nlmsg_len) == 0 && MEMBER_SIZE(struct nlmsghdr, nlmsg_len) == 4, "struct nlmsghdr.nlmsg_len");
_Static_assert(offsetof(struct nlmsghdr, nlmsg_type) == 4 && MEMBER_SIZE(struct nlmsghdr, nlmsg_type) == 2, "struct nlmsghdr.nlmsg_type");
_Static_assert(offsetof(struct nlmsghdr, nlmsg_flags) == 6 && MEMBER_SIZE(struct nlmsghdr, nlmsg_flags) == 2, "struct nlmsghdr.nlmsg_flags");
_Static_assert(offsetof(struct nlmsghdr, nlmsg_seq) == 8 && MEMBER_SIZE(struct nlmsghdr, nlmsg_seq) == 4, "struct nlmsghdr.nlmsg_seq");
_Static_assert(offsetof(struct nlmsghdr, nlmsg_pid) == 12 && MEMBER_SIZE(struct nlmsghdr, nlmsg_pid) == 4, "struct nlmsghdr.nlmsg_pid");
_Static_assert(sizeof(struct sockaddr_nl) == 12, "sizeof(struct sockaddr_nl)");
_Static_assert(offsetof(struct sockaddr_nl, nl_family) == 0 && MEMBER_SIZE(struct sockaddr_nl, nl_family) == 2, "struct sockaddr_nl.nl_family");
_Static_assert(offsetof(struct sockaddr_nl, nl_pid) == 4 && MEMBER_SIZE(struct sockaddr_nl, nl_pid) == 4, "struct sockaddr_nl.nl_pid");
_Static_assert(offsetof(struct sockaddr_nl, nl_groups) == 8 && MEMBER_SIZE(struct sockaddr_nl, nl_groups) == 4, "struct sockaddr_nl.nl_groups");
_Static_assert(sizeof(struct iscsi_uevent) == 56, "sizeof(struct iscsi_uevent)");
_Static_assert(offsetof(struct iscsi_uevent, type) == 0 && MEMBER_SIZE(struct iscsi_uevent, type) == 4, "struct iscsi_uevent.type");
_Static_assert(offsetof(struct iscsi_uevent, iferror) == 4 && MEMBER_SIZE(struct iscsi_uevent, iferror) == 4, "struct iscsi_uevent.iferror");
_Static_assert(offsetof(struct iscsi_uevent, transport_handle) == 8 && MEMBER_SIZE(struct iscsi_uevent, transport_handle) == 8, "struct iscsi_uevent.transport_handle");
_Static_assert(offsetof(struct iscsi_uevent, u) == 16 && MEMBER_SIZE(struct iscsi_uevent, u) == 24, "struct iscsi_uevent.u");
_Static_assert(offsetof(struct iscsi_uevent, r) == 40 && MEMBER_SIZE(struct iscsi_uevent, r) == 16, "struct iscsi_uevent.r");
_Static_assert(offsetof(struct iscsi_uevent, u.c_session.initial_cmdsn) == 16 && MEMBER_SIZE(struct iscsi_uevent, u.c_session.initial_cmdsn) == 4, "struct iscsi_uevent.u.c_session.initial_cmdsn");
_Static_assert(offsetof(struct iscsi_uevent, u.c_session.cmds_max) == 20 && MEMBER_SIZE(struct iscsi_uevent, u.c_session.cmds_max) == 2, "struct iscsi_uevent.u.c_session.cmds_max");
_Static_assert(offsetof(struct iscsi_uevent, u.c_session.queue_depth) == 22 && MEMBER_SIZE(struct iscsi_uevent, u.c_session.queue_depth) == 2, "struct iscsi_uevent.u.c_session.queue_depth");
_Static_assert(offsetof(struct iscsi_uevent, u.c_bound_session.ep_handle) == 16 && MEMBER_SIZE(struct iscsi_uevent, u.c_bound_session.ep_handle) == 8, "struct iscsi_uevent.u.c_bound_session.ep_handle");
_Static_assert(offsetof(struct iscsi_uevent, u.c_bound_session.initial_cmdsn) == 24 && MEMBER_SIZE(struct iscsi_uevent, u.c_bound_session.initial_cmdsn) == 4, "struct iscsi_uevent.u.c_bound_session.initial_cmdsn");
_Static_assert(offsetof(struct iscsi_uevent, u.c_bound_session.cmds_max) == 28 && MEMBER_SIZE(struct iscsi_uevent, u.c_bound_session.cmds_max) == 2, "struct iscsi_uevent.u.c_bound_session.cmds_max");
_Static_assert(offsetof(struct iscsi_uevent, u.c_bound_session.queue_depth) == 30 && MEMBER_SIZE(struct iscsi_uevent, u.c_bound_session.queue_depth) == 2, "struct iscsi_uevent.u.c_bound_session.queue_depth");
_Static_assert(offsetof(struct iscsi_uevent, u.d_session.sid) == 16 && MEMBER_SIZE(struct iscsi_uevent, u.d_session.sid) == 4, "struct iscsi_uevent.u.d_session.sid");
_Static_assert(offsetof(struct iscsi_uevent, u.c_conn.sid) == 16 && MEMBER_SIZE(struct iscsi_uevent, u.c_conn.sid) == 4, "struct iscsi_uevent.u.c_conn.sid");
_Static_assert(offsetof(struct iscsi_uevent, u.c_conn.cid) == 20 && MEMBER_SIZE(struct iscsi_uevent, u.c_conn.cid) == 4, "struct iscsi_uevent.u.c_conn.cid");
_Static_assert(offsetof(struct iscsi_uevent, u.b_conn.sid) == 16 && MEMBER_SIZE(struct iscsi_uevent, u.b_conn.sid) == 4, "struct iscsi_uevent.u.b_conn.sid");
_Static_assert(offsetof(struct iscsi_uevent, u.b_conn.cid) == 20 && MEMBER_SIZE(struct iscsi_uevent, u.b_conn.cid) == 4, "struct iscsi_uevent.u.b_conn.cid");
_Static_assert(offsetof(struct iscsi_uevent, u.b_conn.transport_eph) == 24 && MEMBER_SIZE(struct iscsi_uevent, u.b_conn.transport_eph) == 8, "struct iscsi_uevent.u.b_conn.transport_eph");
_Static_assert(offsetof(struct iscsi_uevent, u.b_conn.is_leading) == 32 && MEMBER_SIZE(struct iscsi_uevent, u.b_conn.is_leading) == 4, "struct iscsi_uevent.u.b_conn.is_leading");
_Static_assert(offsetof(struct iscsi_uevent, u.d_conn.sid) == 16 && MEMBER_SIZE(struct iscsi_uevent, u.d_conn.sid) == 4, "struct iscsi_uevent.u.d_conn.sid");
_Static_assert(offsetof(struct iscsi_uevent, u.d_conn.cid) == 20 && MEMBER_SIZE(struct iscsi_uevent, u.d_conn.cid) == 4, "struct iscsi_uevent.u.d_conn.cid");
_Static_assert(offsetof(struct iscsi_uevent, u.send_pdu.sid) == 16 && MEMBER_SIZE(struct iscsi_uevent, u.send_pdu.sid) == 4, "struct iscsi_uevent.u.send_pdu.sid");
_Static_assert(offsetof(struct iscsi_uevent, u.send_pdu.cid) == 20 && MEMBER_SIZE(struct iscsi_uevent, u.send_pdu.cid) == 4, "struct iscsi_uevent.u.send_pdu.cid");
_Static_assert(offsetof(struct iscsi_uevent, u.send_pdu.hdr_size) == 24 && MEMBER_SIZE(struct iscsi_uevent, u.send_pdu.hdr_size) == 4, "struct iscsi_uevent.u.send_pdu.hdr_size");
_Static_assert(offsetof(struct iscsi_uevent, u.send_pdu.data_size) == 28 && MEMBER_SIZE(struct iscsi_uevent, u.send_pdu.data_size) == 4, "struct iscsi_uevent.u.send_pdu.data_size");
_Static_assert(offsetof(struct iscsi_uevent, u.set_param.sid) == 16 && MEMBER_SIZE(struct iscsi_uevent, u.set_param.sid) == 4, "struct iscsi_uevent.u.set_param.sid");
_Static_assert(offsetof(struct iscsi_uevent, u.set_param.cid) == 20 && MEMBER_SIZE(struct iscsi_uevent, u.set_param.cid) == 4, "struct iscsi_uevent.u.set_param.cid");
_Static_assert(offsetof(struct iscsi_uevent, u.set_param.param) == 24 && MEMBER_SIZE(struct iscsi_uevent, u.set_param.param) == 4, "struct iscsi_uevent.u.set_param.param");
_Static_assert(offsetof(struct iscsi_uevent, u.set_param.len) == 28 && MEMBER_SIZE(struct iscsi_uevent, u.set_param.len) == 4, "struct iscsi_uevent.u.set_param.len");
_Static_assert(offsetof(struct iscsi_uevent, u.start_conn.sid) == 16 && MEMBER_SIZE(struct iscsi_uevent, u.start_conn.sid) == 4, "struct iscsi_uevent.u.start_conn.sid");
_Static_assert(offsetof(struct iscsi_uevent, u.start_conn.cid) == 20 && MEMBER_SIZE(struct iscsi_uevent, u.start_conn.cid) == 4, "struct iscsi_uevent.u.start_conn.cid");
_Static_assert(offsetof(struct iscsi_uevent, u.stop_conn.sid) == 16 && MEMBER_SIZE(struct iscsi_uevent, u.stop_conn.sid) == 4, "struct iscsi_uevent.u.stop_conn.sid");
_Static_assert(offsetof(struct iscsi_uevent, u.stop_conn.cid) == 20 && MEMBER_SIZE(struct iscsi_uevent, u.stop_conn.cid) == 4, "struct iscsi_uevent.u.stop_conn.cid");
_Static_assert(offsetof(struct iscsi_uevent, u.stop_conn.conn_handle) == 24 && MEMBER_SIZE(struct iscsi_uevent, u.stop_conn.conn_handle) == 8, "struct iscsi_uevent.u.stop_conn.conn_handle");
_Static_assert(offsetof(struct iscsi_uevent, u.stop_conn.flag) == 32 && MEMBER_SIZE(struct iscsi_uevent, u.stop_conn.flag) == 4, "struct iscsi_uevent.u.stop_conn.flag");
_Static_assert(offsetof(struct iscsi_uevent, u.get_stats.sid) == 16 && MEMBER_SIZE(struct iscsi_uevent, u.get_stats.sid) == 4, "struct iscsi_uevent.u.get_stats.sid");
_Static_assert(offsetof(struct iscsi_uevent, u.get_stats.cid) == 20 && MEMBER_SIZE(struct iscsi_uevent, u.get_stats.cid) == 4, "struct iscsi_uevent.u.get_stats.cid");
_Static_assert(offsetof(struct iscsi_uevent, u.ep_connect.non_blocking) == 16 && MEMBER_SIZE(struct iscsi_uevent, u.ep_connect.non_blocking) == 4, "struct iscsi_uevent.u.ep_connect.non_blocking");
_Static_assert(offsetof(struct iscsi_uevent, u.ep_poll.ep_handle) == 16 && MEMBER_SIZE(struct iscsi_uevent, u.ep_poll.ep_handle) == 8, "struct iscsi_uevent.u.ep_poll.ep_handle");
_Static_assert(offsetof(struct iscsi_uevent, u.ep_poll.timeout_ms) == 24 && MEMBER_SIZE(struct iscsi_uevent, u.ep_poll.timeout_ms) == 4, "struct iscsi_uevent.u.ep_poll.timeout_ms");
_Static_assert(offsetof(struct iscsi_uevent, u.ep_disconnect.ep_handle) == 16 && MEMBER_SIZE(struct iscsi_uevent, u.ep_disconnect.ep_handle) == 8, "struct iscsi_uevent.u.ep_disconnect.ep_handle");
_Static_assert(offsetof(struct iscsi_uevent, u.tgt_dscvr.type) == 16 && MEMBER_SIZE(struct iscsi_uevent, u.tgt_dscvr.type) == 4, "struct iscsi_uevent.u.tgt_dscvr.type");
_Static_assert(offsetof(struct iscsi_uevent, u.tgt_dscvr.host_no) == 20 && MEMBER_SIZE(struct iscsi_uevent, u.tgt_dscvr.host_no) == 4, "struct iscsi_uevent.u.tgt_dscvr.host_no");
_Static_assert(offsetof(struct iscsi_uevent, u.tgt_dscvr.enable) == 24 && MEMBER_SIZE(struct iscsi_uevent, u.tgt_dscvr.enable) == 4, "struct iscsi_uevent.u.tgt_dscvr.enable");
_Static_assert(offsetof(struct iscsi_uevent, u.set_host_param.host_no) == 16 && MEMBER_SIZE(struct iscsi_uevent, u.set_host_param.host_no) == 4, "struct iscsi_uevent.u.set_host_param.host_no");
_Static_assert(offsetof(struct iscsi_uevent, u.set_host_param.param) == 20 && MEMBER_SIZE(struct iscsi_uevent, u.set_host_param.param) == 4, "struct iscsi_uevent.u.set_host_param.param");
_Static_assert(offsetof(struct iscsi_uevent, u.set_host_param.len) == 24 && MEMBER_SIZE(struct iscsi_uevent, u.set_host_param.len) == 4, "struct iscsi_uevent.u.set_host_param.len");
_Static_assert(offsetof(struct iscsi_uevent, u.set_path.host_no) == 16 && MEMBER_SIZE(struct iscsi_uevent, u.set_path.host_no) == 4, "struct iscsi_uevent.u.set_path.host_no");
_Static_assert(offsetof(struct iscsi_uevent, u.get_host_stats.host_no) == 16 && MEMBER_SIZE(struct iscsi_uevent, u.get_host_stats.host_no) == 4, "struct iscsi_uevent.u.get_host_stats.host_no");
_Static_assert(offsetof(struct iscsi_uevent, r.retcode) == 40 && MEMBER_SIZE(struct iscsi_uevent, r.retcode) == 4, "struct iscsi_uevent.r.retcode");
_Static_assert(offsetof(struct iscsi_uevent, r.c_session_ret.sid) == 40 && MEMBER_SIZE(struct iscsi_uevent, r.c_session_ret.sid) == 4, "struct iscsi_uevent.r.c_session_ret.sid");
_Static_assert(offsetof(struct iscsi_uevent, r.c_session_ret.host_no) == 44 && MEMBER_SIZE(struct iscsi_uevent, r.c_session_ret.host_no) == 4, "struct iscsi_uevent.r.c_session_ret.host_no");
_Static_assert(offsetof(struct iscsi_uevent, r.c_conn_ret.sid) == 40 && MEMBER_SIZE(struct iscsi_uevent, r.c_conn_ret.sid) == 4, "struct iscsi_uevent.r.c_conn_ret.sid");
_Static_assert(offsetof(struct iscsi_uevent, r.c_conn_ret.cid) == 44 && MEMBER_SIZE(struct iscsi_uevent, r.c_conn_ret.cid) == 4, "struct iscsi_uevent.r.c_conn_ret.cid");
_Static_assert(offsetof(struct iscsi_uevent, r.unbind_session.sid) == 40 && MEMBER_SIZE(struct iscsi_uevent, r.unbind_session.sid) == 4, "struct iscsi_uevent.r.unbind_session.sid");
_Static_assert(offsetof(struct iscsi_uevent, r.unbind_session.host_no) == 44 && MEMBER_SIZE(struct iscsi_uevent, r.unbind_session.host_no) == 4, "struct iscsi_uevent.r.unbind_session.host_no");
_Static_assert(offsetof(struct iscsi_uevent, r.recv_req.sid) == 40 && MEMBER_SIZE(struct iscsi_uevent, r.recv_req.sid) == 4, "struct iscsi_uevent.r.recv_req.sid");
_Static_assert(offsetof(struct iscsi_uevent, r.recv_req.cid) == 44 && MEMBER_SIZE(struct iscsi_uevent, r.recv_req.cid) == 4, "struct iscsi_uevent.r.recv_req.cid");
_Static_assert(offsetof(struct iscsi_uevent, r.recv_req.recv_handle) == 48 && MEMBER_SIZE(struct iscsi_uevent, r.recv_req.recv_handle) == 8, "struct iscsi_uevent.r.recv_req.recv_handle");
_Static_assert(offsetof(struct iscsi_uevent, r.connerror.sid) == 40 && MEMBER_SIZE(struct iscsi_uevent, r.connerror.sid) == 4, "struct iscsi_uevent.r.connerror.sid");
_Static_assert(offsetof(struct iscsi_uevent, r.connerror.cid) == 44 && MEMBER_SIZE(struct iscsi_uevent, r.connerror.cid) == 4, "struct iscsi_uevent.r.connerror.cid");
_Static_assert(offsetof(struct iscsi_uevent, r.connerror.error) == 48 && MEMBER_SIZE(struct iscsi_uevent, r.connerror.error) == 4, "struct iscsi_uevent.r.connerror.error");
_Static_assert(offsetof(struct iscsi_uevent, r.conn_login.sid) == 40 && MEMBER_SIZE(struct iscsi_uevent, r.conn_login.sid) == 4, "struct iscsi_uevent.r.conn_login.sid");
_Static_assert(offsetof(struct iscsi_uevent, r.conn_login.cid) == 44 && MEMBER_SIZE(struct iscsi_uevent, r.conn_login.cid) == 4, "struct iscsi_uevent.r.conn_login.cid");
_Static_assert(offsetof(struct iscsi_uevent, r.conn_login.state) == 48 && MEMBER_SIZE(struct iscsi_uevent, r.conn_login.state) == 4, "struct iscsi_uevent.r.conn_login.state");
_Static_assert(offsetof(struct iscsi_uevent, r.d_session.host_no) == 40 && MEMBER_SIZE(struct iscsi_uevent, r.d_session.host_no) == 4, "struct iscsi_uevent.r.d_session.host_no");
_Static_assert(offsetof(struct iscsi_uevent, r.d_session.sid) == 44 && MEMBER_SIZE(struct iscsi_uevent, r.d_session.sid) == 4, "struct iscsi_uevent.r.d_session.sid");
_Static_assert(offsetof(struct iscsi_uevent, r.ep_connect_ret.handle) == 40 && MEMBER_SIZE(struct iscsi_uevent, r.ep_connect_ret.handle) == 8, "struct iscsi_uevent.r.ep_connect_ret.handle");
_Static_assert(offsetof(struct iscsi_uevent, r.host_event.host_no) == 40 && MEMBER_SIZE(struct iscsi_uevent, r.host_event.host_no) == 4, "struct iscsi_uevent.r.host_event.host_no");
_Static_assert(offsetof(struct iscsi_uevent, r.host_event.data_size) == 44 && MEMBER_SIZE(struct iscsi_uevent, r.host_event.data_size) == 4, "struct iscsi_uevent.r.host_event.data_size");
_Static_assert(offsetof(struct iscsi_uevent, r.host_event.code) == 48 && MEMBER_SIZE(struct iscsi_uevent, r.host_event.code) == 4, "struct iscsi_uevent.r.host_event.code");
_Static_assert(offsetof(struct iscsi_uevent, r.ping_comp.host_no) == 40 && MEMBER_SIZE(struct iscsi_uevent, r.ping_comp.host_no) == 4, "struct iscsi_uevent.r.ping_comp.host_no");
_Static_assert(offsetof(struct iscsi_uevent, r.ping_comp.status) == 44 && MEMBER_SIZE(struct iscsi_uevent, r.ping_comp.status) == 4, "struct iscsi_uevent.r.ping_comp.status");
_Static_assert(offsetof(struct iscsi_uevent, r.ping_comp.pid) == 48 && MEMBER_SIZE(struct iscsi_uevent, r.ping_comp.pid) == 4, "struct iscsi_uevent.r.ping_comp.pid");
_Static_assert(offsetof(struct iscsi_uevent, r.ping_comp.data_size) == 52 && MEMBER_SIZE(struct iscsi_uevent, r.ping_comp.data_size) == 4, "struct iscsi_uevent.r.ping_comp.data_size");
_Static_assert(sizeof(struct iscsi_stats) == 96, "sizeof(struct iscsi_stats)");
_Static_assert(offsetof(struct iscsi_stats, txdata_octets) == 0 && MEMBER_SIZE(struct iscsi_stats, txdata_octets) == 8, "struct iscsi_stats.txdata_octets");
_Static_assert(offsetof(struct iscsi_stats, rxdata_octets) == 8 && MEMBER_SIZE(struct iscsi_stats, rxdata_octets) == 8, "struct iscsi_stats.rxdata_octets");
_Static_assert(offsetof(struct iscsi_stats, noptx_pdus) == 16 && MEMBER_SIZE(struct iscsi_stats, noptx_pdus) == 4, "struct iscsi_stats.noptx_pdus");
_Static_assert(offsetof(struct iscsi_stats, scsicmd_pdus) == 20 && MEMBER_SIZE(struct iscsi_stats, scsicmd_pdus) == 4, "struct iscsi_stats.scsicmd_pdus");
_Static_assert(offsetof(struct iscsi_stats, tmfcmd_pdus) == 24 && MEMBER_SIZE(struct iscsi_stats, tmfcmd_pdus) == 4, "struct iscsi_stats.tmfcmd_pdus");
_Static_assert(offsetof(struct iscsi_stats, login_pdus) == 28 && MEMBER_SIZE(struct iscsi_stats, login_pdus) == 4, "struct iscsi_stats.login_pdus");
_Static_assert(offsetof(struct iscsi_stats, text_pdus) == 32 && MEMBER_SIZE(struct iscsi_stats, text_pdus) == 4, "struct iscsi_stats.text_pdus");
_Static_assert(offsetof(struct iscsi_stats, dataout_pdus) == 36 && MEMBER_SIZE(struct iscsi_stats, dataout_pdus) == 4, "struct iscsi_stats.dataout_pdus");
_Static_assert(offsetof(struct iscsi_stats, logout_pdus) == 40 && MEMBER_SIZE(struct iscsi_stats, logout_pdus) == 4, "struct iscsi_stats.logout_pdus");
_Static_assert(offsetof(struct iscsi_stats, snack_pdus) == 44 && MEMBER_SIZE(struct iscsi_stats, snack_pdus) == 4, "struct iscsi_stats.snack_pdus");
_Static_assert(offsetof(struct iscsi_stats, noprx_pdus) == 48 && MEMBER_SIZE(struct iscsi_stats, noprx_pdus) == 4, "struct iscsi_stats.noprx_pdus");
_Static_assert(offsetof(struct iscsi_stats, scsirsp_pdus) == 52 && MEMBER_SIZE(struct iscsi_stats, scsirsp_pdus) == 4, "struct iscsi_stats.scsirsp_pdus");
_Static_assert(offsetof(struct iscsi_stats, tmfrsp_pdus) == 56 && MEMBER_SIZE(struct iscsi_stats, tmfrsp_pdus) == 4, "struct iscsi_stats.tmfrsp_pdus");
_Static_assert(offsetof(struct iscsi_stats, textrsp_pdus) == 60 && MEMBER_SIZE(struct iscsi_stats, textrsp_pdus) == 4, "struct iscsi_stats.textrsp_pdus");
_Static_assert(offsetof(struct iscsi_stats, datain_pdus) == 64 && MEMBER_SIZE(struct iscsi_stats, datain_pdus) == 4, "struct iscsi_stats.datain_pdus");
_Static_assert(offsetof(struct iscsi_stats, logoutrsp_pdus) == 68 && MEMBER_SIZE(struct iscsi_stats, logoutrsp_pdus) == 4, "struct iscsi_stats.logoutrsp_pdus");
_Static_assert(offsetof(struct iscsi_stats, r2t_pdus) == 72 && MEMBER_SIZE(struct iscsi_stats, r2t_pdus) == 4, "struct iscsi_stats.r2t_pdus");
_Static_assert(offsetof(struct iscsi_stats, async_pdus) == 76 && MEMBER_SIZE(struct iscsi_stats, async_pdus) == 4, "struct iscsi_stats.async_pdus");
_Static_assert(offsetof(struct iscsi_stats, rjt_pdus) == 80 && MEMBER_SIZE(struct iscsi_stats, rjt_pdus) == 4, "struct iscsi_stats.rjt_pdus");
_Static_assert(offsetof(struct iscsi_stats, digest_err) == 84 && MEMBER_SIZE(struct iscsi_stats, digest_err) == 4, "struct iscsi_stats.digest_err");
_Static_assert(offsetof(struct iscsi_stats, timeout_err) == 88 && MEMBER_SIZE(struct iscsi_stats, timeout_err) == 4, "struct iscsi_stats.timeout_err");
_Static_assert(offsetof(struct iscsi_stats, custom_length) == 92 && MEMBER_SIZE(struct iscsi_stats, custom_length) == 4, "struct iscsi_stats.custom_length");
_Static_assert(offsetof(struct iscsi_stats, custom) == 96, "struct iscsi_stats.custom");
_Static_assert(sizeof(struct iscsi_stats_custom) == 72, "sizeof(struct iscsi_stats_custom)");
_Static_assert(offsetof(struct iscsi_stats_custom, desc) == 0 && MEMBER_SIZE(struct iscsi_stats_custom, desc) == 64, "struct iscsi_stats_custom.desc");
_Static_assert(offsetof(struct iscsi_stats_custom, value) == 64 && MEMBER_SIZE(struct iscsi_stats_custom, value) == 8, "struct iscsi_stats_custom.value");

typedef struct
{
    int32_t offset;
    int32_t size;
} LayoutEntry;

static const LayoutEntry s_layout[ISCSINATIVE_LAYOUT_COUNT] =
{
    [ISCSINATIVE_LAYOUT_NLMSGHDR_SIZE] = { 0, (int32_t)sizeof(struct nlmsghdr) },
    [ISCSINATIVE_LAYOUT_NLMSG_LEN] = { (int32_t)offsetof(struct nlmsghdr, nlmsg_len), (int32_t)MEMBER_SIZE(struct nlmsghdr, nlmsg_len) },
    [ISCSINATIVE_LAYOUT_NLMSG_TYPE] = { (int32_t)offsetof(struct nlmsghdr, nlmsg_type), (int32_t)MEMBER_SIZE(struct nlmsghdr, nlmsg_type) },
    [ISCSINATIVE_LAYOUT_NLMSG_FLAGS] = { (int32_t)offsetof(struct nlmsghdr, nlmsg_flags), (int32_t)MEMBER_SIZE(struct nlmsghdr, nlmsg_flags) },
    [ISCSINATIVE_LAYOUT_NLMSG_SEQ] = { (int32_t)offsetof(struct nlmsghdr, nlmsg_seq), (int32_t)MEMBER_SIZE(struct nlmsghdr, nlmsg_seq) },
    [ISCSINATIVE_LAYOUT_NLMSG_PID] = { (int32_t)offsetof(struct nlmsghdr, nlmsg_pid), (int32_t)MEMBER_SIZE(struct nlmsghdr, nlmsg_pid) },
    [ISCSINATIVE_LAYOUT_SOCKADDR_NL_SIZE] = { 0, (int32_t)sizeof(struct sockaddr_nl) },
    [ISCSINATIVE_LAYOUT_SOCKADDR_NL_FAMILY] = { (int32_t)offsetof(struct sockaddr_nl, nl_family), (int32_t)MEMBER_SIZE(struct sockaddr_nl, nl_family) },
    [ISCSINATIVE_LAYOUT_SOCKADDR_NL_PID] = { (int32_t)offsetof(struct sockaddr_nl, nl_pid), (int32_t)MEMBER_SIZE(struct sockaddr_nl, nl_pid) },
    [ISCSINATIVE_LAYOUT_SOCKADDR_NL_GROUPS] = { (int32_t)offsetof(struct sockaddr_nl, nl_groups), (int32_t)MEMBER_SIZE(struct sockaddr_nl, nl_groups) },
    [ISCSINATIVE_LAYOUT_UEVENT_SIZE] = { 0, (int32_t)sizeof(struct iscsi_uevent) },
    [ISCSINATIVE_LAYOUT_UEVENT_TYPE] = { (int32_t)offsetof(struct iscsi_uevent, type), (int32_t)MEMBER_SIZE(struct iscsi_uevent, type) },
    [ISCSINATIVE_LAYOUT_UEVENT_IF_ERROR] = { (int32_t)offsetof(struct iscsi_uevent, iferror), (int32_t)MEMBER_SIZE(struct iscsi_uevent, iferror) },
    [ISCSINATIVE_LAYOUT_UEVENT_TRANSPORT_HANDLE] = { (int32_t)offsetof(struct iscsi_uevent, transport_handle), (int32_t)MEMBER_SIZE(struct iscsi_uevent, transport_handle) },
    [ISCSINATIVE_LAYOUT_UEVENT_U] = { (int32_t)offsetof(struct iscsi_uevent, u), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u) },
    [ISCSINATIVE_LAYOUT_UEVENT_R] = { (int32_t)offsetof(struct iscsi_uevent, r), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r) },
    [ISCSINATIVE_LAYOUT_UEVENT_C_SESSION_INITIAL_CMD_SN] = { (int32_t)offsetof(struct iscsi_uevent, u.c_session.initial_cmdsn), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.c_session.initial_cmdsn) },
    [ISCSINATIVE_LAYOUT_UEVENT_C_SESSION_CMDS_MAX] = { (int32_t)offsetof(struct iscsi_uevent, u.c_session.cmds_max), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.c_session.cmds_max) },
    [ISCSINATIVE_LAYOUT_UEVENT_C_SESSION_QUEUE_DEPTH] = { (int32_t)offsetof(struct iscsi_uevent, u.c_session.queue_depth), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.c_session.queue_depth) },
    [ISCSINATIVE_LAYOUT_UEVENT_C_BOUND_SESSION_EP_HANDLE] = { (int32_t)offsetof(struct iscsi_uevent, u.c_bound_session.ep_handle), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.c_bound_session.ep_handle) },
    [ISCSINATIVE_LAYOUT_UEVENT_C_BOUND_SESSION_INITIAL_CMD_SN] = { (int32_t)offsetof(struct iscsi_uevent, u.c_bound_session.initial_cmdsn), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.c_bound_session.initial_cmdsn) },
    [ISCSINATIVE_LAYOUT_UEVENT_C_BOUND_SESSION_CMDS_MAX] = { (int32_t)offsetof(struct iscsi_uevent, u.c_bound_session.cmds_max), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.c_bound_session.cmds_max) },
    [ISCSINATIVE_LAYOUT_UEVENT_C_BOUND_SESSION_QUEUE_DEPTH] = { (int32_t)offsetof(struct iscsi_uevent, u.c_bound_session.queue_depth), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.c_bound_session.queue_depth) },
    [ISCSINATIVE_LAYOUT_UEVENT_D_SESSION_SID] = { (int32_t)offsetof(struct iscsi_uevent, u.d_session.sid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.d_session.sid) },
    [ISCSINATIVE_LAYOUT_UEVENT_C_CONN_SID] = { (int32_t)offsetof(struct iscsi_uevent, u.c_conn.sid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.c_conn.sid) },
    [ISCSINATIVE_LAYOUT_UEVENT_C_CONN_CID] = { (int32_t)offsetof(struct iscsi_uevent, u.c_conn.cid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.c_conn.cid) },
    [ISCSINATIVE_LAYOUT_UEVENT_B_CONN_SID] = { (int32_t)offsetof(struct iscsi_uevent, u.b_conn.sid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.b_conn.sid) },
    [ISCSINATIVE_LAYOUT_UEVENT_B_CONN_CID] = { (int32_t)offsetof(struct iscsi_uevent, u.b_conn.cid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.b_conn.cid) },
    [ISCSINATIVE_LAYOUT_UEVENT_B_CONN_TRANSPORT_EPH] = { (int32_t)offsetof(struct iscsi_uevent, u.b_conn.transport_eph), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.b_conn.transport_eph) },
    [ISCSINATIVE_LAYOUT_UEVENT_B_CONN_IS_LEADING] = { (int32_t)offsetof(struct iscsi_uevent, u.b_conn.is_leading), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.b_conn.is_leading) },
    [ISCSINATIVE_LAYOUT_UEVENT_D_CONN_SID] = { (int32_t)offsetof(struct iscsi_uevent, u.d_conn.sid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.d_conn.sid) },
    [ISCSINATIVE_LAYOUT_UEVENT_D_CONN_CID] = { (int32_t)offsetof(struct iscsi_uevent, u.d_conn.cid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.d_conn.cid) },
    [ISCSINATIVE_LAYOUT_UEVENT_SEND_PDU_SID] = { (int32_t)offsetof(struct iscsi_uevent, u.send_pdu.sid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.send_pdu.sid) },
    [ISCSINATIVE_LAYOUT_UEVENT_SEND_PDU_CID] = { (int32_t)offsetof(struct iscsi_uevent, u.send_pdu.cid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.send_pdu.cid) },
    [ISCSINATIVE_LAYOUT_UEVENT_SEND_PDU_HDR_SIZE] = { (int32_t)offsetof(struct iscsi_uevent, u.send_pdu.hdr_size), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.send_pdu.hdr_size) },
    [ISCSINATIVE_LAYOUT_UEVENT_SEND_PDU_DATA_SIZE] = { (int32_t)offsetof(struct iscsi_uevent, u.send_pdu.data_size), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.send_pdu.data_size) },
    [ISCSINATIVE_LAYOUT_UEVENT_SET_PARAM_SID] = { (int32_t)offsetof(struct iscsi_uevent, u.set_param.sid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.set_param.sid) },
    [ISCSINATIVE_LAYOUT_UEVENT_SET_PARAM_CID] = { (int32_t)offsetof(struct iscsi_uevent, u.set_param.cid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.set_param.cid) },
    [ISCSINATIVE_LAYOUT_UEVENT_SET_PARAM_PARAM] = { (int32_t)offsetof(struct iscsi_uevent, u.set_param.param), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.set_param.param) },
    [ISCSINATIVE_LAYOUT_UEVENT_SET_PARAM_LEN] = { (int32_t)offsetof(struct iscsi_uevent, u.set_param.len), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.set_param.len) },
    [ISCSINATIVE_LAYOUT_UEVENT_START_CONN_SID] = { (int32_t)offsetof(struct iscsi_uevent, u.start_conn.sid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.start_conn.sid) },
    [ISCSINATIVE_LAYOUT_UEVENT_START_CONN_CID] = { (int32_t)offsetof(struct iscsi_uevent, u.start_conn.cid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.start_conn.cid) },
    [ISCSINATIVE_LAYOUT_UEVENT_STOP_CONN_SID] = { (int32_t)offsetof(struct iscsi_uevent, u.stop_conn.sid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.stop_conn.sid) },
    [ISCSINATIVE_LAYOUT_UEVENT_STOP_CONN_CID] = { (int32_t)offsetof(struct iscsi_uevent, u.stop_conn.cid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.stop_conn.cid) },
    [ISCSINATIVE_LAYOUT_UEVENT_STOP_CONN_CONN_HANDLE] = { (int32_t)offsetof(struct iscsi_uevent, u.stop_conn.conn_handle), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.stop_conn.conn_handle) },
    [ISCSINATIVE_LAYOUT_UEVENT_STOP_CONN_FLAG] = { (int32_t)offsetof(struct iscsi_uevent, u.stop_conn.flag), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.stop_conn.flag) },
    [ISCSINATIVE_LAYOUT_UEVENT_GET_STATS_SID] = { (int32_t)offsetof(struct iscsi_uevent, u.get_stats.sid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.get_stats.sid) },
    [ISCSINATIVE_LAYOUT_UEVENT_GET_STATS_CID] = { (int32_t)offsetof(struct iscsi_uevent, u.get_stats.cid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.get_stats.cid) },
    [ISCSINATIVE_LAYOUT_UEVENT_EP_CONNECT_NON_BLOCKING] = { (int32_t)offsetof(struct iscsi_uevent, u.ep_connect.non_blocking), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.ep_connect.non_blocking) },
    [ISCSINATIVE_LAYOUT_UEVENT_EP_POLL_EP_HANDLE] = { (int32_t)offsetof(struct iscsi_uevent, u.ep_poll.ep_handle), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.ep_poll.ep_handle) },
    [ISCSINATIVE_LAYOUT_UEVENT_EP_POLL_TIMEOUT_MS] = { (int32_t)offsetof(struct iscsi_uevent, u.ep_poll.timeout_ms), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.ep_poll.timeout_ms) },
    [ISCSINATIVE_LAYOUT_UEVENT_EP_DISCONNECT_EP_HANDLE] = { (int32_t)offsetof(struct iscsi_uevent, u.ep_disconnect.ep_handle), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.ep_disconnect.ep_handle) },
    [ISCSINATIVE_LAYOUT_UEVENT_TGT_DSCVR_TYPE] = { (int32_t)offsetof(struct iscsi_uevent, u.tgt_dscvr.type), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.tgt_dscvr.type) },
    [ISCSINATIVE_LAYOUT_UEVENT_TGT_DSCVR_HOST_NO] = { (int32_t)offsetof(struct iscsi_uevent, u.tgt_dscvr.host_no), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.tgt_dscvr.host_no) },
    [ISCSINATIVE_LAYOUT_UEVENT_TGT_DSCVR_ENABLE] = { (int32_t)offsetof(struct iscsi_uevent, u.tgt_dscvr.enable), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.tgt_dscvr.enable) },
    [ISCSINATIVE_LAYOUT_UEVENT_SET_HOST_PARAM_HOST_NO] = { (int32_t)offsetof(struct iscsi_uevent, u.set_host_param.host_no), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.set_host_param.host_no) },
    [ISCSINATIVE_LAYOUT_UEVENT_SET_HOST_PARAM_PARAM] = { (int32_t)offsetof(struct iscsi_uevent, u.set_host_param.param), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.set_host_param.param) },
    [ISCSINATIVE_LAYOUT_UEVENT_SET_HOST_PARAM_LEN] = { (int32_t)offsetof(struct iscsi_uevent, u.set_host_param.len), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.set_host_param.len) },
    [ISCSINATIVE_LAYOUT_UEVENT_SET_PATH_HOST_NO] = { (int32_t)offsetof(struct iscsi_uevent, u.set_path.host_no), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.set_path.host_no) },
    [ISCSINATIVE_LAYOUT_UEVENT_GET_HOST_STATS_HOST_NO] = { (int32_t)offsetof(struct iscsi_uevent, u.get_host_stats.host_no), (int32_t)MEMBER_SIZE(struct iscsi_uevent, u.get_host_stats.host_no) },
    [ISCSINATIVE_LAYOUT_UEVENT_RET_CODE] = { (int32_t)offsetof(struct iscsi_uevent, r.retcode), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.retcode) },
    [ISCSINATIVE_LAYOUT_UEVENT_C_SESSION_RET_SID] = { (int32_t)offsetof(struct iscsi_uevent, r.c_session_ret.sid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.c_session_ret.sid) },
    [ISCSINATIVE_LAYOUT_UEVENT_C_SESSION_RET_HOST_NO] = { (int32_t)offsetof(struct iscsi_uevent, r.c_session_ret.host_no), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.c_session_ret.host_no) },
    [ISCSINATIVE_LAYOUT_UEVENT_C_CONN_RET_SID] = { (int32_t)offsetof(struct iscsi_uevent, r.c_conn_ret.sid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.c_conn_ret.sid) },
    [ISCSINATIVE_LAYOUT_UEVENT_C_CONN_RET_CID] = { (int32_t)offsetof(struct iscsi_uevent, r.c_conn_ret.cid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.c_conn_ret.cid) },
    [ISCSINATIVE_LAYOUT_UEVENT_UNBIND_SESSION_SID] = { (int32_t)offsetof(struct iscsi_uevent, r.unbind_session.sid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.unbind_session.sid) },
    [ISCSINATIVE_LAYOUT_UEVENT_UNBIND_SESSION_HOST_NO] = { (int32_t)offsetof(struct iscsi_uevent, r.unbind_session.host_no), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.unbind_session.host_no) },
    [ISCSINATIVE_LAYOUT_UEVENT_RECV_REQ_SID] = { (int32_t)offsetof(struct iscsi_uevent, r.recv_req.sid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.recv_req.sid) },
    [ISCSINATIVE_LAYOUT_UEVENT_RECV_REQ_CID] = { (int32_t)offsetof(struct iscsi_uevent, r.recv_req.cid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.recv_req.cid) },
    [ISCSINATIVE_LAYOUT_UEVENT_RECV_REQ_RECV_HANDLE] = { (int32_t)offsetof(struct iscsi_uevent, r.recv_req.recv_handle), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.recv_req.recv_handle) },
    [ISCSINATIVE_LAYOUT_UEVENT_CONN_ERROR_SID] = { (int32_t)offsetof(struct iscsi_uevent, r.connerror.sid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.connerror.sid) },
    [ISCSINATIVE_LAYOUT_UEVENT_CONN_ERROR_CID] = { (int32_t)offsetof(struct iscsi_uevent, r.connerror.cid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.connerror.cid) },
    [ISCSINATIVE_LAYOUT_UEVENT_CONN_ERROR_ERROR] = { (int32_t)offsetof(struct iscsi_uevent, r.connerror.error), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.connerror.error) },
    [ISCSINATIVE_LAYOUT_UEVENT_CONN_LOGIN_SID] = { (int32_t)offsetof(struct iscsi_uevent, r.conn_login.sid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.conn_login.sid) },
    [ISCSINATIVE_LAYOUT_UEVENT_CONN_LOGIN_CID] = { (int32_t)offsetof(struct iscsi_uevent, r.conn_login.cid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.conn_login.cid) },
    [ISCSINATIVE_LAYOUT_UEVENT_CONN_LOGIN_STATE] = { (int32_t)offsetof(struct iscsi_uevent, r.conn_login.state), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.conn_login.state) },
    [ISCSINATIVE_LAYOUT_UEVENT_DESTROYED_SESSION_HOST_NO] = { (int32_t)offsetof(struct iscsi_uevent, r.d_session.host_no), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.d_session.host_no) },
    [ISCSINATIVE_LAYOUT_UEVENT_DESTROYED_SESSION_SID] = { (int32_t)offsetof(struct iscsi_uevent, r.d_session.sid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.d_session.sid) },
    [ISCSINATIVE_LAYOUT_UEVENT_EP_CONNECT_RET_HANDLE] = { (int32_t)offsetof(struct iscsi_uevent, r.ep_connect_ret.handle), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.ep_connect_ret.handle) },
    [ISCSINATIVE_LAYOUT_UEVENT_HOST_EVENT_HOST_NO] = { (int32_t)offsetof(struct iscsi_uevent, r.host_event.host_no), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.host_event.host_no) },
    [ISCSINATIVE_LAYOUT_UEVENT_HOST_EVENT_DATA_SIZE] = { (int32_t)offsetof(struct iscsi_uevent, r.host_event.data_size), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.host_event.data_size) },
    [ISCSINATIVE_LAYOUT_UEVENT_HOST_EVENT_CODE] = { (int32_t)offsetof(struct iscsi_uevent, r.host_event.code), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.host_event.code) },
    [ISCSINATIVE_LAYOUT_UEVENT_PING_COMP_HOST_NO] = { (int32_t)offsetof(struct iscsi_uevent, r.ping_comp.host_no), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.ping_comp.host_no) },
    [ISCSINATIVE_LAYOUT_UEVENT_PING_COMP_STATUS] = { (int32_t)offsetof(struct iscsi_uevent, r.ping_comp.status), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.ping_comp.status) },
    [ISCSINATIVE_LAYOUT_UEVENT_PING_COMP_PID] = { (int32_t)offsetof(struct iscsi_uevent, r.ping_comp.pid), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.ping_comp.pid) },
    [ISCSINATIVE_LAYOUT_UEVENT_PING_COMP_DATA_SIZE] = { (int32_t)offsetof(struct iscsi_uevent, r.ping_comp.data_size), (int32_t)MEMBER_SIZE(struct iscsi_uevent, r.ping_comp.data_size) },
    [ISCSINATIVE_LAYOUT_STATS_SIZE] = { 0, (int32_t)sizeof(struct iscsi_stats) },
    [ISCSINATIVE_LAYOUT_STATS_TX_DATA_OCTETS] = { (int32_t)offsetof(struct iscsi_stats, txdata_octets), (int32_t)MEMBER_SIZE(struct iscsi_stats, txdata_octets) },
    [ISCSINATIVE_LAYOUT_STATS_RX_DATA_OCTETS] = { (int32_t)offsetof(struct iscsi_stats, rxdata_octets), (int32_t)MEMBER_SIZE(struct iscsi_stats, rxdata_octets) },
    [ISCSINATIVE_LAYOUT_STATS_NOPTX_PDUS] = { (int32_t)offsetof(struct iscsi_stats, noptx_pdus), (int32_t)MEMBER_SIZE(struct iscsi_stats, noptx_pdus) },
    [ISCSINATIVE_LAYOUT_STATS_SCSICMD_PDUS] = { (int32_t)offsetof(struct iscsi_stats, scsicmd_pdus), (int32_t)MEMBER_SIZE(struct iscsi_stats, scsicmd_pdus) },
    [ISCSINATIVE_LAYOUT_STATS_TMFCMD_PDUS] = { (int32_t)offsetof(struct iscsi_stats, tmfcmd_pdus), (int32_t)MEMBER_SIZE(struct iscsi_stats, tmfcmd_pdus) },
    [ISCSINATIVE_LAYOUT_STATS_LOGIN_PDUS] = { (int32_t)offsetof(struct iscsi_stats, login_pdus), (int32_t)MEMBER_SIZE(struct iscsi_stats, login_pdus) },
    [ISCSINATIVE_LAYOUT_STATS_TEXT_PDUS] = { (int32_t)offsetof(struct iscsi_stats, text_pdus), (int32_t)MEMBER_SIZE(struct iscsi_stats, text_pdus) },
    [ISCSINATIVE_LAYOUT_STATS_DATAOUT_PDUS] = { (int32_t)offsetof(struct iscsi_stats, dataout_pdus), (int32_t)MEMBER_SIZE(struct iscsi_stats, dataout_pdus) },
    [ISCSINATIVE_LAYOUT_STATS_LOGOUT_PDUS] = { (int32_t)offsetof(struct iscsi_stats, logout_pdus), (int32_t)MEMBER_SIZE(struct iscsi_stats, logout_pdus) },
    [ISCSINATIVE_LAYOUT_STATS_SNACK_PDUS] = { (int32_t)offsetof(struct iscsi_stats, snack_pdus), (int32_t)MEMBER_SIZE(struct iscsi_stats, snack_pdus) },
    [ISCSINATIVE_LAYOUT_STATS_NOPRX_PDUS] = { (int32_t)offsetof(struct iscsi_stats, noprx_pdus), (int32_t)MEMBER_SIZE(struct iscsi_stats, noprx_pdus) },
    [ISCSINATIVE_LAYOUT_STATS_SCSIRSP_PDUS] = { (int32_t)offsetof(struct iscsi_stats, scsirsp_pdus), (int32_t)MEMBER_SIZE(struct iscsi_stats, scsirsp_pdus) },
    [ISCSINATIVE_LAYOUT_STATS_TMFRSP_PDUS] = { (int32_t)offsetof(struct iscsi_stats, tmfrsp_pdus), (int32_t)MEMBER_SIZE(struct iscsi_stats, tmfrsp_pdus) },
    [ISCSINATIVE_LAYOUT_STATS_TEXTRSP_PDUS] = { (int32_t)offsetof(struct iscsi_stats, textrsp_pdus), (int32_t)MEMBER_SIZE(struct iscsi_stats, textrsp_pdus) },
    [ISCSINATIVE_LAYOUT_STATS_DATAIN_PDUS] = { (int32_t)offsetof(struct iscsi_stats, datain_pdus), (int32_t)MEMBER_SIZE(struct iscsi_stats, datain_pdus) },
    [ISCSINATIVE_LAYOUT_STATS_LOGOUTRSP_PDUS] = { (int32_t)offsetof(struct iscsi_stats, logoutrsp_pdus), (int32_t)MEMBER_SIZE(struct iscsi_stats, logoutrsp_pdus) },
    [ISCSINATIVE_LAYOUT_STATS_R2T_PDUS] = { (int32_t)offsetof(struct iscsi_stats, r2t_pdus), (int32_t)MEMBER_SIZE(struct iscsi_stats, r2t_pdus) },
    [ISCSINATIVE_LAYOUT_STATS_ASYNC_PDUS] = { (int32_t)offsetof(struct iscsi_stats, async_pdus), (int32_t)MEMBER_SIZE(struct iscsi_stats, async_pdus) },
    [ISCSINATIVE_LAYOUT_STATS_RJT_PDUS] = { (int32_t)offsetof(struct iscsi_stats, rjt_pdus), (int32_t)MEMBER_SIZE(struct iscsi_stats, rjt_pdus) },
    [ISCSINATIVE_LAYOUT_STATS_DIGEST_ERR] = { (int32_t)offsetof(struct iscsi_stats, digest_err), (int32_t)MEMBER_SIZE(struct iscsi_stats, digest_err) },
    [ISCSINATIVE_LAYOUT_STATS_TIMEOUT_ERR] = { (int32_t)offsetof(struct iscsi_stats, timeout_err), (int32_t)MEMBER_SIZE(struct iscsi_stats, timeout_err) },
    [ISCSINATIVE_LAYOUT_STATS_CUSTOM_LENGTH] = { (int32_t)offsetof(struct iscsi_stats, custom_length), (int32_t)MEMBER_SIZE(struct iscsi_stats, custom_length) },
    [ISCSINATIVE_LAYOUT_STATS_CUSTOM] = { (int32_t)offsetof(struct iscsi_stats, custom), 0 },
    [ISCSINATIVE_LAYOUT_STATS_CUSTOM_SIZE] = { 0, (int32_t)sizeof(struct iscsi_stats_custom) },
    [ISCSINATIVE_LAYOUT_STATS_CUSTOM_DESC] = { (int32_t)offsetof(struct iscsi_stats_custom, desc), (int32_t)MEMBER_SIZE(struct iscsi_stats_custom, desc) },
    [ISCSINATIVE_LAYOUT_STATS_CUSTOM_VALUE] = { (int32_t)offsetof(struct iscsi_stats_custom, value), (int32_t)MEMBER_SIZE(struct iscsi_stats_custom, value) },
};

int32_t IscsiNative_GetLayout(int32_t id, int32_t* offset, int32_t* size)
{
    if (id < 0 || id >= ISCSINATIVE_LAYOUT_COUNT || offset == NULL || size == NULL)
    {
        return -EINVAL;
    }

    *offset = s_layout[id].offset;
    *size = s_layout[id].size;
    return 0;
}
