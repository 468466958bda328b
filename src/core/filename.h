/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * $FILE_NAME values (filename.c): the attribute, and the key of every
 * $I30 index entry. A value is read straight into the public directory
 * entry rather than through a view struct of its own: the copy between
 * the two cost flash on every listing.
 */
#ifndef NTFS_FILENAME_H
#define NTFS_FILENAME_H

#include "ntfs/ntfs.h"

#include "bytes.h"

/* Bytes before the name, and the most a value can hold. */
#define NTFSI_FILENAME_HEADER 66u
#define NTFSI_FILENAME_MAX (NTFSI_FILENAME_HEADER + 2u * 255u)

/* Validate a $FILE_NAME value of @len bytes. */
int ntfsi_filename_check(const uint8_t *fn, uint32_t len);
/* A checked value's parent, times, sizes, flags, namespace and name
 * length into @ent (its ref and name are the caller's). */
void ntfsi_filename_dirent(const uint8_t *fn, struct ntfs_dirent *ent);
/* A checked value's parent directory and namespace. */
uint64_t ntfsi_filename_parent(const uint8_t *fn);
uint8_t ntfsi_filename_space(const uint8_t *fn);
/* The name of a checked value: its units and their count. */
const uint8_t *ntfsi_filename_name(const uint8_t *fn, uint8_t *len);
/* Write a value of only @len name units (@name, host order) into @fn
 * (NTFSI_FILENAME_HEADER + 2 * len bytes): a search key for an $I30 index. */
void ntfsi_filename_key(uint8_t *fn, const uint16_t *name, uint8_t len);

#endif /* NTFS_FILENAME_H */
