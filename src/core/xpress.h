/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * XPRESS Huffman (xpress.c, MS-XCA 2.1/2.2 "LZ77+Huffman"): the codec of
 * Windows' WOF system compression (XPRESS4K/8K/16K), where each 4, 8 or
 * 16 KiB of a file is one independent stream whose decoded size the caller
 * knows. A pure function over buffers with a published workspace.
 */
#ifndef NTFS_XPRESS_H
#define NTFS_XPRESS_H

#include "bytes.h"

/* The decoder is built in unless the build says -DNTFS_WITH_XPRESS=0 (then
 * xpress.c compiles to nothing). */
#ifndef NTFS_WITH_XPRESS
#define NTFS_WITH_XPRESS 1
#endif

/* The largest output decoded: one MS-XCA block, whose one Huffman code
 * covers 65536 bytes (WOF's chunks are 16 KiB at most). */
#define NTFSI_XPRESS_MAX_OUT 65536u
/* Bytes of the code lengths that start a stream: 512 symbols, 4 bits each. */
#define NTFSI_XPRESS_LENGTHS 256u
/* Bytes of workspace ntfsi_xpress_decode() needs: its decode tables (a
 * 2^11-entry first-level table of 16-bit entries, the 512 symbols in code
 * order, and three 16-entry arrays of 16-bit code bounds). Its alignment
 * must suit uint64_t (the table is filled 8 bytes at a time); nothing in
 * it outlives a call. */
#define NTFSI_XPRESS_WORKSPACE 5216u

/*
 * Decode the stream @src (@slen bytes) into exactly @dlen bytes at @dst,
 * using @workspace (NTFSI_XPRESS_WORKSPACE bytes, aligned for uint64_t). Returns
 * NTFS_OK; NTFS_ERR_LIMIT if @dlen > NTFSI_XPRESS_MAX_OUT; or
 * NTFS_ERR_CORRUPT_COMPRESSED if the code lengths do not make a complete
 * prefix code, a match reaches before @dst or past @dlen, a long length is
 * malformed, or the stream ends before @dlen bytes are decoded. @dlen 0
 * reads nothing. Bytes of @dst past what was decoded before an error are
 * unspecified; nothing outside [dst, dst + dlen) is written.
 */
int ntfsi_xpress_decode(const uint8_t *src, uint32_t slen, uint8_t *dst, uint32_t dlen,
                        void *workspace);

#endif /* NTFS_XPRESS_H */
