/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The arena budget: how many bytes of an ntfs_arena a mount, a path lookup
 * and a read need, from this build's structure sizes and the volume's
 * geometry. Each step is bounded by the blocks mount keeps, the holes it
 * leaves below them (the $MFT's file, closed once its map is built, and a
 * fragmented $MFT's old pools of mapping pairs), and the largest set of
 * blocks the step has live at once.
 * test/test_budget.c checks the figure against every file of the test
 * images, and that smaller arenas fail with NTFS_ERR_NOMEM in a step whose
 * figure is larger, with nothing leaked.
 */
#include "ntfs/ntfs.h"

#include "arena.h"
#include "dir.h"
#include "file.h"
#include "runlist.h"
#include "stream.h"
#include "upcase.h"
#include "volume.h"

/* The shortest attribute list entry, so a list of n bytes names at most
 * n / 32 extents. */
#define BUDGET_ALIST_ENTRY 32u

static uint64_t blk(uint64_t n)
{
	return (n + NTFSI_ARENA_ALIGN - 1) & ~(uint64_t)(NTFSI_ARENA_ALIGN - 1);
}

static bool pow2_in(uint32_t v, uint32_t lo, uint32_t hi)
{
	return v >= lo && v <= hi && (v & (v - 1)) == 0;
}

static uint64_t max64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

size_t ntfs_budget_arena(const struct ntfs_budget *budget, int step)
{
	static const struct ntfs_budget none;
	const struct ntfs_budget *b = budget ? budget : &none;
	const uint64_t align = b->read_align ? b->read_align : 512;
	const uint64_t r = b->record_size ? b->record_size : 1024;
	const uint64_t ib = b->index_block_size ? b->index_block_size : 4096;
	const uint64_t list = b->attr_list_size;
	const uint64_t mft_n = b->mft_extents ? b->mft_extents : 1;
	uint64_t file, stream, lookup, pool, keep, holes, need;

	if (!pow2_in((uint32_t)align, 512, 65536) || !pow2_in((uint32_t)r, 512, 65536) ||
	    !pow2_in((uint32_t)ib, 512, 65536) || list > NTFS_MAX_ATTRLIST_SIZE ||
	    mft_n > NTFS_MAX_EXTENTS || step < NTFS_BUDGET_MOUNT || step > NTFS_BUDGET_READ)
		return 0;
	/* An open file: its record, and with a list the list and the one
	 * extension record it keeps loaded. */
	file = blk(sizeof(ntfs_file)) + blk(r) + (list ? blk(list) + blk(r) : 0);
	/* An open stream: one extent's mapping pairs (or a resident value),
	 * both under a record, and its extents. */
	stream = blk(ntfsi_stream_bytes()) + blk(r) +
	         blk(sizeof(struct ntfsi_extent) *
	             (list >= BUDGET_ALIST_ENTRY ? list / BUDGET_ALIST_ENTRY : 1));
	/* A lookup: its cursor, the index root's copy, the allocation and
	 * bitmap streams, the block read and its parent. */
	lookup = blk(ntfsi_dir_lookup_bytes()) + blk(r) + 2 * stream + 2 * blk(ib);
	/* The $MFT's mapping pairs, under a record per extent, in a pool that
	 * grew by doubling (to at most NTFS_MAX_MFT_MAPPING): the old pools
	 * freed below it add up to less. */
	pool = mft_n > 1 ? blk(2 * mft_n * r) : blk(r);
	if (pool > NTFS_MAX_MFT_MAPPING)
		pool = NTFS_MAX_MFT_MAPPING;
	keep = blk(sizeof(ntfs_volume)) + blk(align) + blk(sizeof(struct ntfsi_extent) * mft_n) +
	       pool + blk(NTFSI_UPCASE_FIRST_CAP * sizeof(struct ntfsi_upcase_range));
	/* The $MFT's own file is closed below its map, and old pools are
	 * freed below the last: holes that later blocks may not fit. ($UpCase's
	 * ranges are allocated before its file is opened: no hole.) */
	holes = file + (mft_n > 1 ? pool : 0);
	/* Mount opens one system file at a time: $MFT while its pool grows
	 * (old and new live), $Volume, $UpCase with its $DATA. */
	need = keep + holes + file + max64(stream, mft_n > 1 ? pool / 2 : 0);
	if (step >= NTFS_BUDGET_LOOKUP)
		/* Each component: the directory open, then its lookup or, once
		 * that is freed, the child opened beside it. */
		need = max64(need, keep + holes + file + max64(lookup, file));
	if (step >= NTFS_BUDGET_READ) {
		uint64_t read = stream;
		/* The reparse point's value (resident: under a record) through
		 * its own stream, then WOF's second stream and the workspace. */
		if (b->compressed)
			read += stream + max64(blk(r), blk(ntfs_decoder_workspace_size()));
		need = max64(need, keep + holes + file + read);
	}
	return need > SIZE_MAX ? 0 : (size_t)need;
}
