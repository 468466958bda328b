/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * LZNT1 (lznt1.c, MS-XCA 2.5): NTFS's own compression. A stream is a run of
 * chunks, each a 2-byte header and a body that holds 4096 bytes of data
 * stored or compressed. Pure functions over buffers.
 */
#ifndef NTFS_LZNT1_H
#define NTFS_LZNT1_H

#include "bytes.h"

/* Uncompressed bytes in a chunk; a stored chunk's body is this long. */
#define NTFSI_LZNT1_CHUNK 4096u
/* Bytes of a chunk's header. */
#define NTFSI_LZNT1_HEADER 2u

/* Parse the chunk header at @p: 1 with the body's size and whether it is
 * compressed, 0 for the end marker (a zero header), or
 * NTFS_ERR_CORRUPT_COMPRESSED. */
int ntfsi_lznt1_header(const uint8_t *p, uint32_t *body, bool *compressed);
/* Decode compressed chunk body @src (@slen bytes) into @dst, which has room
 * for @dlen <= NTFSI_LZNT1_CHUNK bytes; *out is what was produced (a body
 * may give less than a full chunk). NTFS_ERR_CORRUPT_COMPRESSED if the body
 * refers before the start of the chunk, overruns @dlen or ends in a token. */
int ntfsi_lznt1_decode(const uint8_t *src, uint32_t slen, uint8_t *dst, uint32_t dlen,
                       uint32_t *out);

#endif /* NTFS_LZNT1_H */
