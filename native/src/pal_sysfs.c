/*
 * One sysfs attribute in one call: openat + read + close, the same three syscalls the plain-C floor makes, behind a
 * single P/Invoke instead of three (each transition, with its errno capture, costs more than the syscall's own
 * entry under software emulation). Syscalls only: the value is trimmed and interpreted in C# (IscsiNative.Sysfs).
 */
#include "iscsinative.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

int32_t IscsiNative_ReadAttribute(int32_t dirfd, const char* path, uint8_t* buffer, int32_t length)
{
    if (path == NULL || buffer == NULL || length < 0)
    {
        return -EINVAL;
    }

    int fd;
    do
    {
        fd = openat(dirfd < 0 ? AT_FDCWD : dirfd, path, O_RDONLY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);

    if (fd < 0)
    {
        return -errno;
    }

    int32_t total = 0;
    int err = 0;
    while (total < length)
    {
        ssize_t n = read(fd, buffer + total, (size_t)(length - total));
        if (n < 0)
        {
            if (errno == EINTR)
            {
                continue;
            }

            err = errno;
            break;
        }

        total += (int32_t)n;

        /* A short read is the end of a sysfs attribute (one page at most) or of a small file. */
        if (n == 0 || total < length)
        {
            break;
        }
    }

    (void)close(fd);
    return err != 0 ? -err : total;
}
