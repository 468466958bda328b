/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * $UpCase with bounded memory.
 *
 * The table maps each of the 65536 UTF-16 units to its upper case: 128 KiB,
 * more than many boot environments have. Nearly all of it is the identity,
 * and the rest comes in runs: blocks shifted by one delta (a-z -> A-Z) and
 * alternating pairs (Latin Extended: U+0101 -> U+0100, U+0103 -> U+0102).
 * Mount streams the table once (volume.c feeds it here in chunks) and keeps
 * only those runs, (first, last, delta, stride): a few hundred ranges,
 * about 2 KiB, for Windows' table. Lookup is a binary search, and the result
 * is exactly the volume's own table, so collation matches the disk's index
 * order. A table needing more than NTFS_MAX_UPCASE_RANGES ranges is refused
 * with NTFS_ERR_LIMIT.
 */
#include "upcase.h"

#include "io.h"
#include "volume.h"

static int emit(ntfs_volume *vol, struct ntfsi_upcase_builder *b)
{
	struct ntfsi_upcase *u = &vol->upcase;

	b->open = false;
	if (b->r.stride == 0)
		b->r.stride = 1;
	if (u->count == u->cap) {
		uint32_t cap = u->cap * 2;
		struct ntfsi_upcase_range *t;
		if (u->cap == NTFS_MAX_UPCASE_RANGES)
			return NTFS_ERR_LIMIT;
		if (cap > NTFS_MAX_UPCASE_RANGES)
			cap = NTFS_MAX_UPCASE_RANGES;
		t = ntfsi_io_alloc(vol, cap * sizeof *t);
		if (t == NULL)
			return NTFS_ERR_NOMEM;
		ntfsi_bytes_copy(t, u->ranges, u->count * sizeof *t);
		ntfsi_io_free(vol, u->ranges, u->cap * sizeof *t);
		u->ranges = t;
		u->cap = cap;
	}
	ntfsi_bytes_copy(&u->ranges[u->count++], &b->r, sizeof b->r);
	return NTFS_OK;
}

int ntfsi_upcase_start(ntfs_volume *vol, struct ntfsi_upcase_builder *b)
{
	struct ntfsi_upcase *u = &vol->upcase;

	ntfsi_bytes_zero(b, sizeof *b);
	u->ranges = ntfsi_io_alloc(vol, NTFSI_UPCASE_FIRST_CAP * sizeof *u->ranges);
	if (u->ranges == NULL)
		return NTFS_ERR_NOMEM;
	u->cap = NTFSI_UPCASE_FIRST_CAP;
	return NTFS_OK;
}

/* Feed character @c whose upper case is @up. */
static int feed(ntfs_volume *vol, struct ntfsi_upcase_builder *b, uint32_t c, uint16_t up)
{
	uint16_t d = (uint16_t)(up - c);
	int err;

	if (b->open) {
		struct ntfsi_upcase_range *r = &b->r;
		const uint32_t step = c - r->last; /* 1 or 2 continue a run of that stride */
		if (d != 0 && d == r->delta && (step == 1 || step == 2) && r->stride != 3 - step) {
			r->last = (uint16_t)c;
			r->stride = (uint16_t)step;
			return NTFS_OK;
		}
		/* An identity character may sit inside an alternating run. */
		if (d == 0 && step == 1 && r->stride != 1)
			return NTFS_OK;
		err = emit(vol, b);
		if (err)
			return err;
	}
	if (d != 0) {
		b->open = true;
		b->r.first = b->r.last = (uint16_t)c;
		b->r.delta = d;
		b->r.stride = 0;
	}
	return NTFS_OK;
}

int ntfsi_upcase_feed(ntfs_volume *vol, struct ntfsi_upcase_builder *b, const uint8_t *chunk,
                      size_t len)
{
	int err = NTFS_OK;

	NTFSI_ASSERT(len % 2 == 0 && len / 2 <= NTFSI_UPCASE_BYTES / 2 - b->next);
	for (size_t i = 0; err == NTFS_OK && i < len; i += 2)
		err = feed(vol, b, b->next++, ntfsi_le16(chunk + i));
	return err;
}

int ntfsi_upcase_finish(ntfs_volume *vol, struct ntfsi_upcase_builder *b)
{
	NTFSI_ASSERT(b->next == NTFSI_UPCASE_BYTES / 2);
	return b->open ? emit(vol, b) : NTFS_OK;
}

void ntfsi_upcase_free(ntfs_volume *vol)
{
	struct ntfsi_upcase *u = &vol->upcase;

	ntfsi_io_free(vol, u->ranges, u->cap * sizeof *u->ranges);
	ntfsi_bytes_zero(u, sizeof *u);
}

uint16_t ntfsi_upcase_map(const struct ntfsi_upcase *u, uint16_t c)
{
	uint32_t lo = 0, hi = u->count;
	const struct ntfsi_upcase_range *r;

	if (hi == 0 || c < u->ranges[0].first)
		return c;
	/* The last range starting at or before c. */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (u->ranges[mid].first <= c)
			lo = mid;
		else
			hi = mid;
	}
	r = &u->ranges[lo];
	if (c > r->last || (r->stride == 2 && ((c - r->first) & 1u)))
		return c;
	return (uint16_t)(c + r->delta);
}
