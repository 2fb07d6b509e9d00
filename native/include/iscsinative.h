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

#endif
