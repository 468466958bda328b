/* SPDX-License-Identifier: BSD-2-Clause */
/* Names: UTF-16 on disk, UTF-8 for callers (name.c; the conversions are public). */
#ifndef NTFS_NAME_H
#define NTFS_NAME_H

#include "ntfs/ntfs.h"

#include "bytes.h"

/* Compare an on-disk little-endian name with host-order units. */
bool ntfsi_name_equal_le(const uint8_t *le, size_t le_len, const uint16_t *name, size_t len);

#endif /* NTFS_NAME_H */
