/*
 * Netlink socket primitives: NETLINK_ISCSI and NETLINK_KOBJECT_UEVENT open/bind, send, receive with timeout and
 * wakeup, close.
 * Syscalls only; the messages are encoded and decoded in C# (IscsiNative.Netlink). Errors are returned as
 * negated errno values (see iscsinative.h).
 */
#include "iscsinative.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>

#ifndef NETLINK_ISCSI
#define NETLINK_ISCSI 8
#endif

#ifndef NETLINK_KOBJECT_UEVENT
#define NETLINK_KOBJECT_UEVENT 15
#endif

/* socket(AF_NETLINK, protocol), the receive buffer, bind to `groups` with an autobound port id. */
static int32_t open_netlink(int type, int protocol, uint32_t groups, int32_t rcvbuf_bytes, int32_t* fd, uint32_t* port_id)
{
    int s = socket(AF_NETLINK, type | SOCK_CLOEXEC, protocol);
    if (s < 0)
    {
        return -errno;
    }

    if (rcvbuf_bytes > 0)
    {
        /* SO_RCVBUFFORCE ignores rmem_max but needs CAP_NET_ADMIN; fall back to the capped SO_RCVBUF. */
        if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf_bytes, sizeof(rcvbuf_bytes)) != 0)
        {
            (void)setsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcvbuf_bytes, sizeof(rcvbuf_bytes));
        }
    }

    struct sockaddr_nl local;
    memset(&local, 0, sizeof(local));
    local.nl_family = AF_NETLINK;
    local.nl_pid = 0; /* autobind: the kernel picks a free port id */
    local.nl_groups = groups;
    if (bind(s, (struct sockaddr*)&local, sizeof(local)) != 0)
    {
        int err = errno;
        close(s);
        return -err;
    }

    if (port_id != NULL)
    {
        struct sockaddr_nl bound;
        socklen_t bound_len = sizeof(bound);
        memset(&bound, 0, sizeof(bound));
        if (getsockname(s, (struct sockaddr*)&bound, &bound_len) != 0)
        {
            int err = errno;
            close(s);
            return -err;
        }

        *port_id = bound.nl_pid;
    }

    *fd = s;
    return 0;
}

int32_t IscsiNative_NetlinkOpen(uint32_t groups, int32_t rcvbuf_bytes, int32_t* fd, uint32_t* port_id)
{
    if (fd == NULL || port_id == NULL)
    {
        return -EINVAL;
    }

    return open_netlink(SOCK_RAW, NETLINK_ISCSI, groups, rcvbuf_bytes, fd, port_id);
}

int32_t IscsiNative_UeventOpen(int32_t rcvbuf_bytes, int32_t* fd)
{
    if (fd == NULL)
    {
        return -EINVAL;
    }

    /* Group 1: the kernel's uevents (2 would be udev's re-broadcast). A burst of device adds (16 LUNs) must not
     * overflow the buffer. The datagrams ("action@devpath\0KEY=VALUE\0...") are parsed in C# (Sysfs/Uevent.cs). */
    return open_netlink(SOCK_DGRAM, NETLINK_KOBJECT_UEVENT, 1, rcvbuf_bytes, fd, NULL);
}

int32_t IscsiNative_NetlinkSend(int32_t fd, const uint8_t* buffer, int32_t length)
{
    if (buffer == NULL || length < 0)
    {
        return -EINVAL;
    }

    struct sockaddr_nl kernel;
    memset(&kernel, 0, sizeof(kernel));
    kernel.nl_family = AF_NETLINK; /* nl_pid 0, nl_groups 0: the kernel */

    struct iovec iov = { .iov_base = (void*)buffer, .iov_len = (size_t)length };
    struct msghdr msg;
    memset(&msg, 0, sizeof(msg));
    msg.msg_name = &kernel;
    msg.msg_namelen = sizeof(kernel);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;

    ssize_t sent;
    do
    {
        sent = sendmsg(fd, &msg, 0);
    } while (sent < 0 && errno == EINTR);

    return sent < 0 ? -errno : (int32_t)sent;
}

int32_t IscsiNative_NetlinkReceive(int32_t fd, int32_t wake_fd, uint8_t* buffer, int32_t length, int32_t timeout_ms,
                                   uint32_t* source_groups, uint32_t* source_pid, int32_t* flags)
{
    if (buffer == NULL || length < 0 || source_groups == NULL || source_pid == NULL || flags == NULL)
    {
        return -EINVAL;
    }

    *source_groups = 0;
    *source_pid = 0;
    *flags = 0;

    struct pollfd fds[2];
    fds[0].fd = fd;
    fds[0].events = POLLIN;
    fds[0].revents = 0;
    fds[1].fd = wake_fd; /* a negative fd is ignored by poll */
    fds[1].events = POLLIN;
    fds[1].revents = 0;

    int ready;
    do
    {
        ready = poll(fds, 2, timeout_ms < 0 ? -1 : timeout_ms);
    } while (ready < 0 && errno == EINTR);

    if (ready < 0)
    {
        return -errno;
    }

    if (wake_fd >= 0 && (fds[1].revents & POLLIN) != 0)
    {
        return -ECANCELED;
    }

    if (ready == 0)
    {
        return -ETIMEDOUT;
    }

    struct sockaddr_nl source;
    memset(&source, 0, sizeof(source));
    struct iovec iov = { .iov_base = buffer, .iov_len = (size_t)length };
    struct msghdr msg;
    memset(&msg, 0, sizeof(msg));
    msg.msg_name = &source;
    msg.msg_namelen = sizeof(source);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;

    ssize_t received;
    do
    {
        /* MSG_TRUNC in flags: the return value is the datagram's real length even when it did not fit. */
        received = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_TRUNC);
    } while (received < 0 && errno == EINTR);

    if (received < 0)
    {
        return errno == EAGAIN ? -ETIMEDOUT : -errno;
    }

    *source_groups = source.nl_groups;
    *source_pid = source.nl_pid;
    if ((msg.msg_flags & MSG_TRUNC) != 0 || received > length)
    {
        *flags |= ISCSINATIVE_RECV_TRUNCATED;
    }

    return received > INT32_MAX ? INT32_MAX : (int32_t)received;
}

int32_t IscsiNative_WakeupCreate(int32_t* fd)
{
    if (fd == NULL)
    {
        return -EINVAL;
    }

    int e = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (e < 0)
    {
        return -errno;
    }

    *fd = e;
    return 0;
}

int32_t IscsiNative_WakeupSignal(int32_t fd)
{
    uint64_t one = 1;
    ssize_t written;
    do
    {
        written = write(fd, &one, sizeof(one));
    } while (written < 0 && errno == EINTR);

    /* EAGAIN: the counter is already saturated, i.e. signalled. */
    return written < 0 && errno != EAGAIN ? -errno : 0;
}

int32_t IscsiNative_Close(int32_t fd)
{
    return close(fd) != 0 ? -errno : 0;
}
