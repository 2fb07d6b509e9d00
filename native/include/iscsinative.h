/*
 * libiscsinative: the thin C shim under IscsiNative.
 *
 * Rules: syscalls only (no wire formats here, C# encodes them over spans); every export carries the
 * IscsiNative_ prefix and uses fixed-width types; a struct shared with C# is proven with _Static_assert
 * and its layout is exported so a C# test can compare it with its own view.
 */
#ifndef ISCSINATIVE_H
#define ISCSINATIVE_H

#include <stdint.h>

#define ISCSINATIVE_EXPORT __attribute__((visibility("default")))

/* Bumped whenever an export changes shape; the managed side checks it once at load. */
#define ISCSINATIVE_SHIM_VERSION 1

ISCSINATIVE_EXPORT int32_t IscsiNative_GetShimVersion(void);

/* Kernel enum values from the real include/scsi/iscsi_if.h (when the build had it). Tables: */
#define ISCSINATIVE_ABI_UEVENT 0 /* enum iscsi_uevent_e */
#define ISCSINATIVE_ABI_PARAM 1  /* enum iscsi_param */
#define ISCSINATIVE_ABI_ERR 2    /* enum iscsi_err */

/* Entry `index`: returns 1 and fills table/name/value, 0 past the end, -ENOENT when built without the header. */
ISCSINATIVE_EXPORT int32_t IscsiNative_GetKernelAbiEntry(int32_t index, int32_t* table, const char** name, int64_t* value);

/*
 * ---- NETLINK_ISCSI socket (pal_netlink.c) ----
 *
 * Error convention for every export below: a return value < 0 is a negated errno (-EPERM, -EINTR never:
 * EINTR is retried inside). Values >= 0 are success (a byte count where the function says so).
 *
 * Cancellation: a blocked IscsiNative_NetlinkReceive polls the netlink socket together with an eventfd
 * (IscsiNative_WakeupCreate). IscsiNative_WakeupSignal makes every current and later receive on that
 * wakeup return -ECANCELED at once, without racing a close() of the socket under the poll. An eventfd
 * costs one descriptor and wakes immediately; polling in short slices would burn CPU and delay dispose.
 */

/* Opens socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ISCSI), binds nl_pid 0 (autobind) and nl_groups
 * `groups` (1 = ISCSI_NL_GRP_ISCSID), sets the receive buffer to `rcvbuf_bytes` (SO_RCVBUFFORCE first, then
 * SO_RCVBUF; failures of both are ignored) and reports the fd and the kernel-assigned port id. */
ISCSINATIVE_EXPORT int32_t IscsiNative_NetlinkOpen(uint32_t groups, int32_t rcvbuf_bytes, int32_t* fd, uint32_t* port_id);

/* sendmsg() of one buffer to the kernel (nl_pid 0, nl_groups 0). Returns the bytes sent or -errno. */
ISCSINATIVE_EXPORT int32_t IscsiNative_NetlinkSend(int32_t fd, const uint8_t* buffer, int32_t length);

/* Flags reported by IscsiNative_NetlinkReceive in *flags. */
#define ISCSINATIVE_RECV_TRUNCATED 1 /* the datagram was longer than the buffer (MSG_TRUNC): do not parse it as whole */

/* Waits up to timeout_ms (-1 = forever) for one datagram on fd, or for wake_fd (-1 = none) to be signalled.
 * Returns the datagram's full length (which exceeds `length` when truncated), -ETIMEDOUT, -ECANCELED (woken)
 * or -errno (e.g. -ENOBUFS: the kernel dropped messages because the receive buffer was full).
 * *source_groups is the sender's nl_groups (0 = unicast reply, 1 = group-1 multicast), *source_pid its port. */
ISCSINATIVE_EXPORT int32_t IscsiNative_NetlinkReceive(int32_t fd, int32_t wake_fd, uint8_t* buffer, int32_t length, int32_t timeout_ms,
                                                      uint32_t* source_groups, uint32_t* source_pid, int32_t* flags);

/* eventfd(0, EFD_CLOEXEC|EFD_NONBLOCK) used as the wakeup of IscsiNative_NetlinkReceive. */
ISCSINATIVE_EXPORT int32_t IscsiNative_WakeupCreate(int32_t* fd);

/* Signals the wakeup (stays signalled). */
ISCSINATIVE_EXPORT int32_t IscsiNative_WakeupSignal(int32_t fd);

/* Opens socket(AF_NETLINK, SOCK_DGRAM|SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT) bound to group 1 (kernel uevents; no
 * privilege needed), receive buffer `rcvbuf_bytes` as above (pal_netlink.c). Receive with IscsiNative_NetlinkReceive
 * (source_groups 1, source_pid 0 for kernel messages), close with IscsiNative_Close. */
ISCSINATIVE_EXPORT int32_t IscsiNative_UeventOpen(int32_t rcvbuf_bytes, int32_t* fd);

/* close(fd); EINTR is not retried (Linux releases the fd anyway). */
ISCSINATIVE_EXPORT int32_t IscsiNative_Close(int32_t fd);

/* openat(dirfd, or AT_FDCWD when dirfd < 0, path, O_RDONLY|O_CLOEXEC) + read up to `length` bytes (one read unless
 * EINTR: a short read ends a sysfs attribute) + close. Returns the bytes read or a negated errno (pal_sysfs.c). */
ISCSINATIVE_EXPORT int32_t IscsiNative_ReadAttribute(int32_t dirfd, const char* path, uint8_t* buffer, int32_t length);

/*
 * ---- Struct layouts (pal_layout.c) ----
 * Every (struct, field) the managed codec depends on, as the C compiler lays it out. The numbers are pinned by
 * _Static_assert against KERNEL-ABI.md, and a managed test compares them with the codec's constants.
 * A struct-size id reports offset 0 and the sizeof; a flexible array reports its offset and size 0.
 */
enum IscsiNative_LayoutId
{
    ISCSINATIVE_LAYOUT_NLMSGHDR_SIZE = 0,
    ISCSINATIVE_LAYOUT_NLMSG_LEN = 1,
    ISCSINATIVE_LAYOUT_NLMSG_TYPE = 2,
    ISCSINATIVE_LAYOUT_NLMSG_FLAGS = 3,
    ISCSINATIVE_LAYOUT_NLMSG_SEQ = 4,
    ISCSINATIVE_LAYOUT_NLMSG_PID = 5,
    ISCSINATIVE_LAYOUT_SOCKADDR_NL_SIZE = 6,
    ISCSINATIVE_LAYOUT_SOCKADDR_NL_FAMILY = 7,
    ISCSINATIVE_LAYOUT_SOCKADDR_NL_PID = 8,
    ISCSINATIVE_LAYOUT_SOCKADDR_NL_GROUPS = 9,
    ISCSINATIVE_LAYOUT_UEVENT_SIZE = 10,
    ISCSINATIVE_LAYOUT_UEVENT_TYPE = 11,
    ISCSINATIVE_LAYOUT_UEVENT_IF_ERROR = 12,
    ISCSINATIVE_LAYOUT_UEVENT_TRANSPORT_HANDLE = 13,
    ISCSINATIVE_LAYOUT_UEVENT_U = 14,
    ISCSINATIVE_LAYOUT_UEVENT_R = 15,
    ISCSINATIVE_LAYOUT_UEVENT_C_SESSION_INITIAL_CMD_SN = 16,
    ISCSINATIVE_LAYOUT_UEVENT_C_SESSION_CMDS_MAX = 17,
    ISCSINATIVE_LAYOUT_UEVENT_C_SESSION_QUEUE_DEPTH = 18,
    ISCSINATIVE_LAYOUT_UEVENT_C_BOUND_SESSION_EP_HANDLE = 19,
    ISCSINATIVE_LAYOUT_UEVENT_C_BOUND_SESSION_INITIAL_CMD_SN = 20,
    ISCSINATIVE_LAYOUT_UEVENT_C_BOUND_SESSION_CMDS_MAX = 21,
    ISCSINATIVE_LAYOUT_UEVENT_C_BOUND_SESSION_QUEUE_DEPTH = 22,
    ISCSINATIVE_LAYOUT_UEVENT_D_SESSION_SID = 23,
    ISCSINATIVE_LAYOUT_UEVENT_C_CONN_SID = 24,
    ISCSINATIVE_LAYOUT_UEVENT_C_CONN_CID = 25,
    ISCSINATIVE_LAYOUT_UEVENT_B_CONN_SID = 26,
    ISCSINATIVE_LAYOUT_UEVENT_B_CONN_CID = 27,
    ISCSINATIVE_LAYOUT_UEVENT_B_CONN_TRANSPORT_EPH = 28,
    ISCSINATIVE_LAYOUT_UEVENT_B_CONN_IS_LEADING = 29,
    ISCSINATIVE_LAYOUT_UEVENT_D_CONN_SID = 30,
    ISCSINATIVE_LAYOUT_UEVENT_D_CONN_CID = 31,
    ISCSINATIVE_LAYOUT_UEVENT_SEND_PDU_SID = 32,
    ISCSINATIVE_LAYOUT_UEVENT_SEND_PDU_CID = 33,
    ISCSINATIVE_LAYOUT_UEVENT_SEND_PDU_HDR_SIZE = 34,
    ISCSINATIVE_LAYOUT_UEVENT_SEND_PDU_DATA_SIZE = 35,
    ISCSINATIVE_LAYOUT_UEVENT_SET_PARAM_SID = 36,
    ISCSINATIVE_LAYOUT_UEVENT_SET_PARAM_CID = 37,
    ISCSINATIVE_LAYOUT_UEVENT_SET_PARAM_PARAM = 38,
    ISCSINATIVE_LAYOUT_UEVENT_SET_PARAM_LEN = 39,
    ISCSINATIVE_LAYOUT_UEVENT_START_CONN_SID = 40,
    ISCSINATIVE_LAYOUT_UEVENT_START_CONN_CID = 41,
    ISCSINATIVE_LAYOUT_UEVENT_STOP_CONN_SID = 42,
    ISCSINATIVE_LAYOUT_UEVENT_STOP_CONN_CID = 43,
    ISCSINATIVE_LAYOUT_UEVENT_STOP_CONN_CONN_HANDLE = 44,
    ISCSINATIVE_LAYOUT_UEVENT_STOP_CONN_FLAG = 45,
    ISCSINATIVE_LAYOUT_UEVENT_GET_STATS_SID = 46,
    ISCSINATIVE_LAYOUT_UEVENT_GET_STATS_CID = 47,
    ISCSINATIVE_LAYOUT_UEVENT_EP_CONNECT_NON_BLOCKING = 48,
    ISCSINATIVE_LAYOUT_UEVENT_EP_POLL_EP_HANDLE = 49,
    ISCSINATIVE_LAYOUT_UEVENT_EP_POLL_TIMEOUT_MS = 50,
    ISCSINATIVE_LAYOUT_UEVENT_EP_DISCONNECT_EP_HANDLE = 51,
    ISCSINATIVE_LAYOUT_UEVENT_TGT_DSCVR_TYPE = 52,
    ISCSINATIVE_LAYOUT_UEVENT_TGT_DSCVR_HOST_NO = 53,
    ISCSINATIVE_LAYOUT_UEVENT_TGT_DSCVR_ENABLE = 54,
    ISCSINATIVE_LAYOUT_UEVENT_SET_HOST_PARAM_HOST_NO = 55,
    ISCSINATIVE_LAYOUT_UEVENT_SET_HOST_PARAM_PARAM = 56,
    ISCSINATIVE_LAYOUT_UEVENT_SET_HOST_PARAM_LEN = 57,
    ISCSINATIVE_LAYOUT_UEVENT_SET_PATH_HOST_NO = 58,
    ISCSINATIVE_LAYOUT_UEVENT_GET_HOST_STATS_HOST_NO = 59,
    ISCSINATIVE_LAYOUT_UEVENT_RET_CODE = 60,
    ISCSINATIVE_LAYOUT_UEVENT_C_SESSION_RET_SID = 61,
    ISCSINATIVE_LAYOUT_UEVENT_C_SESSION_RET_HOST_NO = 62,
    ISCSINATIVE_LAYOUT_UEVENT_C_CONN_RET_SID = 63,
    ISCSINATIVE_LAYOUT_UEVENT_C_CONN_RET_CID = 64,
    ISCSINATIVE_LAYOUT_UEVENT_UNBIND_SESSION_SID = 65,
    ISCSINATIVE_LAYOUT_UEVENT_UNBIND_SESSION_HOST_NO = 66,
    ISCSINATIVE_LAYOUT_UEVENT_RECV_REQ_SID = 67,
    ISCSINATIVE_LAYOUT_UEVENT_RECV_REQ_CID = 68,
    ISCSINATIVE_LAYOUT_UEVENT_RECV_REQ_RECV_HANDLE = 69,
    ISCSINATIVE_LAYOUT_UEVENT_CONN_ERROR_SID = 70,
    ISCSINATIVE_LAYOUT_UEVENT_CONN_ERROR_CID = 71,
    ISCSINATIVE_LAYOUT_UEVENT_CONN_ERROR_ERROR = 72,
    ISCSINATIVE_LAYOUT_UEVENT_CONN_LOGIN_SID = 73,
    ISCSINATIVE_LAYOUT_UEVENT_CONN_LOGIN_CID = 74,
    ISCSINATIVE_LAYOUT_UEVENT_CONN_LOGIN_STATE = 75,
    ISCSINATIVE_LAYOUT_UEVENT_DESTROYED_SESSION_HOST_NO = 76,
    ISCSINATIVE_LAYOUT_UEVENT_DESTROYED_SESSION_SID = 77,
    ISCSINATIVE_LAYOUT_UEVENT_EP_CONNECT_RET_HANDLE = 78,
    ISCSINATIVE_LAYOUT_UEVENT_HOST_EVENT_HOST_NO = 79,
    ISCSINATIVE_LAYOUT_UEVENT_HOST_EVENT_DATA_SIZE = 80,
    ISCSINATIVE_LAYOUT_UEVENT_HOST_EVENT_CODE = 81,
    ISCSINATIVE_LAYOUT_UEVENT_PING_COMP_HOST_NO = 82,
    ISCSINATIVE_LAYOUT_UEVENT_PING_COMP_STATUS = 83,
    ISCSINATIVE_LAYOUT_UEVENT_PING_COMP_PID = 84,
    ISCSINATIVE_LAYOUT_UEVENT_PING_COMP_DATA_SIZE = 85,
    ISCSINATIVE_LAYOUT_STATS_SIZE = 86,
    ISCSINATIVE_LAYOUT_STATS_TX_DATA_OCTETS = 87,
    ISCSINATIVE_LAYOUT_STATS_RX_DATA_OCTETS = 88,
    ISCSINATIVE_LAYOUT_STATS_NOPTX_PDUS = 89,
    ISCSINATIVE_LAYOUT_STATS_SCSICMD_PDUS = 90,
    ISCSINATIVE_LAYOUT_STATS_TMFCMD_PDUS = 91,
    ISCSINATIVE_LAYOUT_STATS_LOGIN_PDUS = 92,
    ISCSINATIVE_LAYOUT_STATS_TEXT_PDUS = 93,
    ISCSINATIVE_LAYOUT_STATS_DATAOUT_PDUS = 94,
    ISCSINATIVE_LAYOUT_STATS_LOGOUT_PDUS = 95,
    ISCSINATIVE_LAYOUT_STATS_SNACK_PDUS = 96,
    ISCSINATIVE_LAYOUT_STATS_NOPRX_PDUS = 97,
    ISCSINATIVE_LAYOUT_STATS_SCSIRSP_PDUS = 98,
    ISCSINATIVE_LAYOUT_STATS_TMFRSP_PDUS = 99,
    ISCSINATIVE_LAYOUT_STATS_TEXTRSP_PDUS = 100,
    ISCSINATIVE_LAYOUT_STATS_DATAIN_PDUS = 101,
    ISCSINATIVE_LAYOUT_STATS_LOGOUTRSP_PDUS = 102,
    ISCSINATIVE_LAYOUT_STATS_R2T_PDUS = 103,
    ISCSINATIVE_LAYOUT_STATS_ASYNC_PDUS = 104,
    ISCSINATIVE_LAYOUT_STATS_RJT_PDUS = 105,
    ISCSINATIVE_LAYOUT_STATS_DIGEST_ERR = 106,
    ISCSINATIVE_LAYOUT_STATS_TIMEOUT_ERR = 107,
    ISCSINATIVE_LAYOUT_STATS_CUSTOM_LENGTH = 108,
    ISCSINATIVE_LAYOUT_STATS_CUSTOM = 109,
    ISCSINATIVE_LAYOUT_STATS_CUSTOM_SIZE = 110,
    ISCSINATIVE_LAYOUT_STATS_CUSTOM_DESC = 111,
    ISCSINATIVE_LAYOUT_STATS_CUSTOM_VALUE = 112,
    ISCSINATIVE_LAYOUT_COUNT = 113
};

/* Writes the offset and size of layout `id`; returns 0, or -EINVAL for an unknown id. */
ISCSINATIVE_EXPORT int32_t IscsiNative_GetLayout(int32_t id, int32_t* offset, int32_t* size);

/*
 * ---- Kernel modules (pal_module.c) ----
 * finit_module(2) of an open module file with a NUL-terminated parameter string and MODULE_INIT_* flags.
 * Returns 0 or -errno (-EEXIST: already loaded, -EPERM: no CAP_SYS_MODULE).
 */
ISCSINATIVE_EXPORT int32_t IscsiNative_FinitModule(int32_t fd, const char* params, int32_t flags);

#endif
