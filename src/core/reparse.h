/* SPDX-License-Identifier: BSD-2-Clause */
/* Reparse points (reparse.c): the $REPARSE_POINT attribute and its tags. */
#ifndef NTFS_REPARSE_H
#define NTFS_REPARSE_H

#include "ntfs/ntfs.h"

#include "bytes.h"

#define NTFSI_REPARSE_TAG_DEDUP 0x80000013u /* data in the dedup chunk store */
#define NTFSI_REPARSE_TAG_WOF 0x80000017u   /* data in WofCompressedData or a WIM */

/* The tag of @file's reparse point; 0 when it has none, or one whose
 * value is too short to hold a tag. */
int ntfsi_reparse_tag(ntfs_file *file, uint32_t *tag);

#endif /* NTFS_REPARSE_H */
