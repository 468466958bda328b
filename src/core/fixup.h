/* SPDX-License-Identifier: BSD-2-Clause */
/* Update sequence fixups of multi-sector records, FILE and INDX (fixup.c). */
#ifndef NTFS_FIXUP_H
#define NTFS_FIXUP_H

#include "bytes.h"

/* NTFS's fixed 512-byte stride for update sequence fixups. */
#define NTFSI_FIXUP_STRIDE 512u

/* Verify and undo the fixups of a record of @size bytes. */
int ntfsi_fixup_apply(uint8_t *buf, size_t size);

#endif /* NTFS_FIXUP_H */
