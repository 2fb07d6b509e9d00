/*
 * NETLINK_KOBJECT_UEVENT socket (kernel uevents, multicast group 1). Syscalls only: the datagrams
 * ("action@devpath\0KEY=VALUE\0...") are parsed in C# (IscsiNative.Volumes). Receiving reuses
 * IscsiNative_NetlinkReceive; closing IscsiNative_Close.
 */
#include "iscsinative.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>

#ifndef NETLINK_KOBJECT_UEVENT
#define NETLINK_KOBJECT_UEVENT 15
#endif

int32_t IscsiNative_UeventOpen(int32_t rcvbuf_bytes, int32_t* fd)
{
    if (fd == NULL)
    {
        return -EINVAL;
    }

    int s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
    if (s < 0)
    {
        return -errno;
    }

    if (rcvbuf_bytes > 0)
    {
        /* A burst of device adds (16 LUNs) must not overflow the buffer; SO_RCVBUFFORCE needs CAP_NET_ADMIN. */
        if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf_bytes, sizeof(rcvbuf_bytes)) != 0)
        {
            (void)setsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcvbuf_bytes, sizeof(rcvbuf_bytes));
        }
    }

    struct sockaddr_nl local;
    memset(&local, 0, sizeof(local));
    local.nl_family = AF_NETLINK;
    local.nl_pid = 0; /* autobind */
    local.nl_groups = 1; /* kernel uevents (2 would be udev's re-broadcast) */
    if (bind(s, (struct sockaddr*)&local, sizeof(local)) != 0)
    {
        int err = errno;
        close(s);
        return -err;
    }

    *fd = s;
    return 0;
}
