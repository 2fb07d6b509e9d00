/*
 * Includes the kernel's include/scsi/iscsi_if.h (and the iscsi_proto.h it needs) from userspace.
 * Those two headers are kernel-internal (not uapi): CMake copies just them into the build tree, and this
 * prelude supplies the few kernel-only names they use, so that nothing else of the kernel's include/ shadows the
 * C library's headers.
 */
#ifndef PAL_KERNEL_ISCSI_IF_H
#define PAL_KERNEL_ISCSI_IF_H

#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
struct scsi_lun { uint8_t scsi_lun[8]; };
#define SCSI_MAX_VARLEN_CDB_SIZE 260
#define __packed __attribute__((packed))
#define __aligned(x) __attribute__((aligned(x)))

#include <scsi/iscsi_if.h>

#endif
