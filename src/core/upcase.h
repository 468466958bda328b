/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * $UpCase in bounded memory (upcase.c): the table, fed in consecutive
 * chunks, kept as ranges; lookup by binary search.
 */
#ifndef NTFS_UPCASE_H
#define NTFS_UPCASE_H

#include "ntfs/ntfs.h"

#include "bytes.h"

/* The table: one little-endian unit for each of the 65536 UTF-16 units. */
#define NTFSI_UPCASE_BYTES (2u * 65536u)

/* Characters first..last (every one, or every other one starting at first
 * when stride is 2) map to c + delta (mod 2^16). */
struct ntfsi_upcase_range {
	uint16_t first;
	uint16_t last;
	uint16_t delta;
	uint16_t stride;
};

/* Ranges are kept in an array grown by doubling from this many: enough
 * for every table Windows and mkntfs write (at most 134 ranges), so that
 * mount leaves no freed arrays behind (the arena budget counts on it). */
#define NTFSI_UPCASE_FIRST_CAP 256u

struct ntfsi_upcase {
	struct ntfsi_upcase_range *ranges; /* sorted by first */
	uint32_t count;
	uint32_t cap;
};

/* The range being grown while the table is fed. */
struct ntfsi_upcase_builder {
	uint32_t next; /* unit the next chunk starts at */
	bool open;
	struct ntfsi_upcase_range r;
};

/* Feed the table's next @len bytes (even) into vol's ranges. */
/* Start a table: @b cleared and the range array allocated, before the
 * caller opens $UpCase, so that closing it leaves no hole below the
 * array (the arena budget counts on it). */
int ntfsi_upcase_start(ntfs_volume *vol, struct ntfsi_upcase_builder *b);
int ntfsi_upcase_feed(ntfs_volume *vol, struct ntfsi_upcase_builder *b, const uint8_t *chunk,
                      size_t len);
/* After the whole table: close the last range. */
int ntfsi_upcase_finish(ntfs_volume *vol, struct ntfsi_upcase_builder *b);
void ntfsi_upcase_free(ntfs_volume *vol);
/* The upper case of @c. */
uint16_t ntfsi_upcase_map(const struct ntfsi_upcase *u, uint16_t c);

#endif /* NTFS_UPCASE_H */
