#include "iscsinative.h"

int32_t IscsiNative_GetShimVersion(void)
{
    return ISCSINATIVE_SHIM_VERSION;
}
