/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * $UpCase and name collation with bounded memory.
 *
 * The table maps each of the 65536 UTF-16 units to its upper case: 128 KiB,
 * more than many boot environments have. Nearly all of it is the identity,
 * and the rest comes in runs: blocks shifted by one delta (a-z -> A-Z) and
 * alternating pairs (Latin Extended: U+0101 -> U+0100, U+0103 -> U+0102).
 * Mount streams the table once through a 512-byte buffer and keeps only
 * those runs, (first, last, delta, stride): a few hundred ranges, about
 * 2 KiB, for Windows' table. Lookup is a binary search, and the result is
 * exactly the volume's own table, so collation matches the disk's index
 * order. A table needing more than NTFS_MAX_UPCASE_RANGES ranges is
 * refused with NTFS_ERR_LIMIT.
 */
#include "internal.h"

#define UPCASE_ENTRIES 65536u
#define UPCASE_BYTES (2u * UPCASE_ENTRIES)
#define CHUNK 512u

struct range_builder {
	ntfs_volume *vol;
	bool open;
	struct ntfsi_upcase_range r;
};

static int emit(struct range_builder *b)
{
	ntfs_volume *vol = b->vol;

	b->open = false;
	if (b->r.stride == 0)
		b->r.stride = 1;
	if (vol->upcase_count == vol->upcase_cap) {
		uint32_t cap = vol->upcase_cap ? vol->upcase_cap * 2 : 64;
		struct ntfsi_upcase_range *t;
		if (vol->upcase_cap == NTFS_MAX_UPCASE_RANGES)
			return NTFS_ERR_LIMIT;
		if (cap > NTFS_MAX_UPCASE_RANGES)
			cap = NTFS_MAX_UPCASE_RANGES;
		t = ntfsi_alloc(vol, cap * sizeof *t);
		if (t == NULL)
			return NTFS_ERR_NOMEM;
		ntfsi_copy(t, vol->upcase, vol->upcase_count * sizeof *t);
		ntfsi_free(vol, vol->upcase, vol->upcase_cap * sizeof *t);
		vol->upcase = t;
		vol->upcase_cap = cap;
	}
	ntfsi_copy(&vol->upcase[vol->upcase_count++], &b->r, sizeof b->r);
	return NTFS_OK;
}

/* Feed character @c whose upper case is @u. */
static int feed(struct range_builder *b, uint32_t c, uint16_t u)
{
	uint16_t d = (uint16_t)(u - c);
	int err;

	if (b->open) {
		struct ntfsi_upcase_range *r = &b->r;
		if (d != 0 && d == r->delta && c == r->last + 1u && r->stride != 2) {
			r->last = (uint16_t)c;
			r->stride = 1;
			return NTFS_OK;
		}
		if (d != 0 && d == r->delta && c == r->last + 2u && r->stride != 1) {
			r->last = (uint16_t)c;
			r->stride = 2;
			return NTFS_OK;
		}
		/* An identity character may sit inside an alternating run. */
		if (d == 0 && c == r->last + 1u && r->stride != 1)
			return NTFS_OK;
		err = emit(b);
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

int ntfsi_upcase_load(ntfs_volume *vol)
{
	struct range_builder b = {vol, false, {0, 0, 0, 0}};
	uint8_t chunk[CHUNK];
	ntfs_file *file;
	ntfs_stream *s;
	uint32_t c = 0;
	int err;

	err = ntfsi_open_system(vol, NTFSI_REC_UPCASE, &file);
	if (err)
		return err;
	err = ntfsi_stream_open(file, NTFS_AT_DATA, NULL, 0, &s);
	if (err == NTFS_ERR_NOT_FOUND)
		err = NTFS_ERR_CORRUPT_UPCASE;
	if (err) {
		ntfs_file_close(file);
		return err;
	}
	if (s->size != UPCASE_BYTES)
		err = NTFS_ERR_CORRUPT_UPCASE;
	while (err == NTFS_OK && c < UPCASE_ENTRIES) {
		size_t got, i;
		err = ntfs_stream_read(s, 2u * c, chunk, CHUNK, &got);
		if (err == NTFS_OK && got != CHUNK)
			err = NTFS_ERR_CORRUPT_UPCASE;
		for (i = 0; err == NTFS_OK && i < CHUNK; i += 2, c++)
			err = feed(&b, c, ntfsi_le16(chunk + i));
	}
	if (err == NTFS_OK && b.open)
		err = emit(&b);
	ntfs_stream_close(s);
	ntfs_file_close(file);
	return err;
}

uint16_t ntfsi_upcase(const ntfs_volume *vol, uint16_t c)
{
	uint32_t lo = 0, hi = vol->upcase_count;
	const struct ntfsi_upcase_range *r;

	if (hi == 0 || c < vol->upcase[0].first)
		return c;
	/* The last range starting at or before c. */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (vol->upcase[mid].first <= c)
			lo = mid;
		else
			hi = mid;
	}
	r = &vol->upcase[lo];
	if (c > r->last || (r->stride == 2 && ((c - r->first) & 1u)))
		return c;
	return (uint16_t)(c + r->delta);
}

int ntfsi_collate_name(const ntfs_volume *vol, const uint8_t *le, size_t le_len,
                       const uint16_t *name, size_t len)
{
	size_t i, n = le_len < len ? le_len : len;

	for (i = 0; i < n; i++) {
		uint16_t a = ntfsi_upcase(vol, ntfsi_le16(le + 2 * i));
		uint16_t b = ntfsi_upcase(vol, name[i]);
		if (a != b)
			return a < b ? -1 : 1;
	}
	return le_len < len ? -1 : le_len > len;
}

int ntfsi_collate_full(const ntfs_volume *vol, const uint8_t *le, size_t le_len,
                       const uint16_t *name, size_t len)
{
	int c = ntfsi_collate_name(vol, le, le_len, name, len);
	size_t i, n = le_len < len ? le_len : len;

	if (c != 0)
		return c;
	for (i = 0; i < n; i++) {
		uint16_t a = ntfsi_le16(le + 2 * i);
		if (a != name[i])
			return a < name[i] ? -1 : 1;
	}
	return le_len < len ? -1 : le_len > len;
}
