/* SPDX-License-Identifier: BSD-2-Clause */
/* Names: UTF-16 on disk, UTF-8 for callers (name.c; the conversions are public). */
#ifndef NTFS_NAME_H
#define NTFS_NAME_H

#include "ntfs/ntfs.h"

#include "bytes.h"

/* Compare an on-disk little-endian name with host-order units. */
bool ntfsi_name_equal_le(const uint8_t *le, size_t le_len, const uint16_t *name, size_t len);

/* Whether @n units are "." or "..". */
static inline bool ntfsi_name_dot(const uint16_t *name, size_t n)
{
	return (n == 1 && name[0] == '.') || (n == 2 && name[0] == '.' && name[1] == '.');
}

/* A name a file can have on a POSIX host: no NUL or '/', not "." or "..".
 * No NTFS namespace allows others; a disk that has them is hostile, and
 * handing them out would truncate C strings or walk out of a directory. */
static inline bool ntfsi_name_ok(const uint16_t *name, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (name[i] == 0 || name[i] == '/')
			return false;
	return !ntfsi_name_dot(name, n);
}

/* ntfs_utf16_to_utf8() for @units little-endian units at @le, as on disk. */
int ntfsi_name_le_to_utf8(const uint8_t *le, size_t units, char *dst, size_t dst_size,
                          size_t *out_len);

/* The same for a path: a NUL unit, which would cut the C string short, is
 * NTFS_ERR_NAME. */
int ntfsi_name_path_le_to_utf8(const uint8_t *le, size_t units, char *dst, size_t dst_size,
                               size_t *out_len);

#endif /* NTFS_NAME_H */
