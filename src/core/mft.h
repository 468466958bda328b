/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The $MFT's map (mft.c): its $DATA's runs, every extent's mapping pairs
 * kept, and records read by number through them. Mount (volume.c) builds
 * the map bottom-up from record 0, whose place the boot sector gives:
 * extent k is read through extents 0..k-1. Reading a record never reads
 * another record.
 */
#ifndef NTFS_MFT_H
#define NTFS_MFT_H

#include "ntfs/ntfs.h"

#include "attr.h"
#include "bytes.h"
#include "runlist.h"

struct ntfsi_mft {
	struct ntfsi_runmap map; /* map.n: the extents kept so far (all, after mount) */
	uint32_t n_extents;      /* in map.extents */
	uint8_t *pool;           /* map.mp: every extent's mapping pairs */
	uint32_t pool_cap;
	uint64_t records; /* records covered by the initialized data */
};

/* Start a map of the @n extents @x (owned from now on; their pairs still to
 * come) covering @records records. */
void ntfsi_mft_init(ntfs_volume *vol, struct ntfsi_extent *x, uint32_t n, uint64_t records);
/* Keep the next extent's mapping pairs, from its attribute header @a. */
int ntfsi_mft_extend(ntfs_volume *vol, const struct ntfsi_attr *a);
void ntfsi_mft_free(ntfs_volume *vol);
/* Read record @recno into @buf (record_size bytes), fixups applied and
 * header checked; NTFS_ERR_NOT_FOUND past the $MFT's initialized data.
 * In-use and sequence are the caller's to check. */
int ntfsi_mft_read(ntfs_volume *vol, uint64_t recno, uint8_t *buf);

#endif /* NTFS_MFT_H */
