/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * $FILE_NAME values (filename.c): the attribute, and the key of every
 * $I30 index entry.
 */
#ifndef NTFS_FILENAME_H
#define NTFS_FILENAME_H

#include "bytes.h"

/* Bytes before the name, and the most a value can hold. */
#define NTFSI_FILENAME_HEADER 66u
#define NTFSI_FILENAME_MAX (NTFSI_FILENAME_HEADER + 2u * 255u)
/* flags: the file has an $I30 index (a directory). */
#define NTFSI_FILENAME_FLAG_DIRECTORY 0x10000000u

struct ntfsi_filename {
	uint64_t parent_ref;
	uint64_t creation_time;
	uint64_t modification_time;
	uint64_t mft_change_time;
	uint64_t access_time;
	uint64_t allocated_size;
	uint64_t size;
	uint32_t flags;
	uint8_t name_len; /* UTF-16 units, at least 1 */
	uint8_t name_space;
	const uint8_t *name; /* name_len little-endian units */
};

/* Validate a $FILE_NAME value of @len bytes. */
int ntfsi_filename_check(const uint8_t *fn, uint32_t len);
/* The fields of a checked value. */
void ntfsi_filename_view(const uint8_t *fn, struct ntfsi_filename *v);
/* The name of a checked value: its units and their count. */
const uint8_t *ntfsi_filename_name(const uint8_t *fn, uint8_t *len);
/* Write a value of only @len name units (@name, host order) into @fn
 * (NTFSI_FILENAME_HEADER + 2 * len bytes): a search key for an $I30 index. */
void ntfsi_filename_key(uint8_t *fn, const uint16_t *name, uint8_t len);

#endif /* NTFS_FILENAME_H */
