/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Attribute values as streams (stream.c): resident values and runs read as
 * stored, through a codec chosen when the stream is opened.
 */
#ifndef NTFS_STREAM_H
#define NTFS_STREAM_H

#include "ntfs/ntfs.h"

#include "bytes.h"

int ntfsi_stream_open(ntfs_file *file, uint32_t type, const uint16_t *name, size_t name_len,
                      ntfs_stream **out);
/* As ntfsi_stream_open(), for an attribute that must exist: its absence is
 * the error @corrupt. */
int ntfsi_stream_need(ntfs_file *file, uint32_t type, const uint16_t *name, size_t name_len,
                      int corrupt, ntfs_stream **out);
/* sizeof(ntfs_stream), for the arena budget. */
size_t ntfsi_stream_bytes(void);
bool ntfsi_stream_resident(const ntfs_stream *s);
/* The value reads as stored: not compressed, encrypted or elsewhere. */
bool ntfsi_stream_stored(const ntfs_stream *s);
/* Bytes of the value that were ever written; the rest reads as zeros. */
uint64_t ntfsi_stream_init_size(const ntfs_stream *s);

/* The whole value of the unnamed attribute @type, read into an allocation
 * of *len bytes (NULL when empty; free with ntfsi_io_free()): @too_big if
 * it is longer than @cap or not stored raw. */
int ntfsi_stream_load(ntfs_file *file, uint32_t type, uint32_t cap, int too_big, uint8_t **buf,
                      uint32_t *len);

#endif /* NTFS_STREAM_H */
