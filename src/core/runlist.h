/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Runlists (runlist.c): a lazy cursor over one extent's mapping pairs, the
 * extents of an attribute split over records, and reading a value that one
 * extent maps whole.
 */
#ifndef NTFS_RUNLIST_H
#define NTFS_RUNLIST_H

#include "ntfs/ntfs.h"

#include "attr.h"
#include "bytes.h"

struct ntfsi_runlist {
	const uint8_t *p;
	uint32_t len;
	uint32_t pos;
	uint64_t vcn;
	uint64_t end_vcn; /* highest_vcn + 1 of the extent */
	int64_t lcn;
	uint64_t total_clusters;
};

void ntfsi_runlist_init(struct ntfsi_runlist *rl, const uint8_t *p, uint32_t len,
                        uint64_t lowest_vcn, uint64_t end_vcn, uint64_t total_clusters);
/* Decode the next run: 1, 0 after the terminator, or NTFS_ERR_CORRUPT_RUNLIST. */
int ntfsi_runlist_next(struct ntfsi_runlist *rl, struct ntfs_run *run);

/* One extent of a non-resident attribute: a VCN range and where its
 * mapping pairs are (an attribute list entry, or its id in the base
 * record; once loaded, a slice of the owner's mapping-pairs buffer). */
struct ntfsi_extent {
	uint64_t lowest_vcn;
	uint64_t end_vcn;   /* highest_vcn + 1, once the extent was loaded */
	uint32_t alist_off; /* its attribute list entry, or NTFSI_NO_ALIST */
	uint16_t id;        /* attribute id (base record, no list) */
	uint32_t mp_off;    /* mapping pairs: offset in the owner's buffer */
	uint32_t mp_len;
};
#define NTFSI_NO_ALIST UINT32_MAX

/* Runs found through an attribute's extents (mft.c keeps every extent's
 * mapping pairs in memory, a stream one at a time, an attribute list its
 * only one in the record). */
struct ntfsi_runmap {
	struct ntfsi_extent *extents;
	uint32_t n;          /* extents that may be used */
	const uint8_t *mp;   /* mapping pairs, at each extent's mp_off */
	uint64_t clusters;   /* clusters on the volume */
	uint32_t cur_extent; /* the extent the cursor walks; UINT32_MAX none */
	struct ntfsi_runlist cur;
	struct ntfs_run last; /* the last run found; length 0 when none */
	/* Put extent k's pairs in mp, or NULL when they all are there. */
	int (*load)(void *ctx, uint32_t k);
	void *load_ctx;
	/* 0: a hole reads as zeros. Else the error that a hole, or a VCN
	 * past the runs, gives (the $MFT's map: it has no holes). */
	int hole_err;
};

/* The run holding @vcn: 1, 0 past the runs, or <0. */
int ntfsi_runlist_map(struct ntfsi_runmap *m, uint64_t vcn, struct ntfs_run *run);
/* Read @len bytes at @offset of the value @m maps: holes (see hole_err),
 * and bytes past the initialized size @init, read as zeros. */
int ntfsi_runlist_read(ntfs_volume *vol, struct ntfsi_runmap *m, uint64_t init, uint64_t offset,
                       uint8_t *buf, size_t len);

/* Check that attribute @a is extent @x of its attribute, ending where
 * @next (NULL for the last) begins, and set x->end_vcn. */
int ntfsi_runlist_extent(struct ntfsi_extent *x, const struct ntfsi_attr *a,
                         const struct ntfsi_extent *next, uint8_t cluster_shift);

#endif /* NTFS_RUNLIST_H */
