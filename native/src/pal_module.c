#include "iscsinative.h"

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

int32_t IscsiNative_FinitModule(int32_t fd, const char* params, int32_t flags)
{
    /* glibc has no finit_module wrapper; the raw syscall it is. */
    long rc = syscall(SYS_finit_module, fd, params, flags);
    return rc < 0 ? -errno : 0;
}
