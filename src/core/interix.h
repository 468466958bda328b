/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Interix special files (interix.c): how ntfs-3g (and Services for UNIX
 * before it) store symlinks, FIFOs, sockets and devices without reparse
 * points: a SYSTEM file whose $DATA says what it is.
 */
#ifndef NTFS_INTERIX_H
#define NTFS_INTERIX_H

#include "ntfs/ntfs.h"

#include "bytes.h"

/* Bytes of $DATA that decide an Interix file's type (magic, major, minor). */
#define NTFSI_INTERIX_HEAD 24u
/* Bytes of magic before a symlink's UTF-16LE target. */
#define NTFSI_INTERIX_MAGIC 8u
/* The largest $DATA read as an Interix file: a target of 8192 units. */
#define NTFSI_INTERIX_MAX (NTFSI_INTERIX_MAGIC + 2u * 8192u)

/* The type of a SYSTEM file of @size bytes whose first bytes are @head
 * (min(size, NTFSI_INTERIX_HEAD) of them); a device's numbers in @major
 * and @minor. Anything that is not exactly an Interix file is a regular
 * file. */
uint8_t ntfsi_interix_type(uint64_t size, const uint8_t *head, uint64_t *major, uint64_t *minor);

#endif /* NTFS_INTERIX_H */
