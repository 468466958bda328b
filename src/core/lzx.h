/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * LZX (lzx.c) in the dialect of WIM files and of WOF system compression
 * (algorithm 1, "LZX"): a file is cut into 32 KiB chunks and each chunk is
 * an independent LZX stream with a 32 KiB window, no preset data, E8 call
 * translation always on with a translation size of 12000000, and the WIM
 * block header (a set bit for the default block size of 32768, else a
 * 16-bit size). The caller knows each chunk's size from the chunk table.
 * Public sources: [MS-PATCH] "LZX DELTA Compression and Decompression" and
 * the 1997 "Microsoft LZX Data Compression Format" for the CAB form.
 */
#ifndef NTFS_LZX_H
#define NTFS_LZX_H

#include "bytes.h"

/* The LZX decoder is built in unless the build says -DNTFS_WITH_LZX=0
 * (then lzx.c compiles to nothing). */
#ifndef NTFS_WITH_LZX
#define NTFS_WITH_LZX 1
#endif

/* Uncompressed bytes in a chunk, and the window: the most one call gives. */
#define NTFSI_LZX_CHUNK 32768u

/*
 * Bytes of workspace a call needs, aligned for uint16_t; nothing in it
 * survives the call, so one workspace serves any number of streams, one at
 * a time. It holds the Huffman decode tables of 2-byte entries, each a
 * primary table indexed by the next bits plus the most second-level
 * entries any complete code can need: main code 2048 + 518, length code
 * 256 + 494 (the pretree's table, 128 + 262, lives there while code lengths
 * are read), aligned-offset code 128; the symbols sorted by code length
 * while a table is built (496 entries); and the main and length codes'
 * lengths, which the next block's are coded against (496 + 249 bytes):
 * 3940 x 2 + 745 = 8625, rounded up to the alignment.
 */
#define NTFSI_LZX_WORKSPACE 8626u

/*
 * Decode the compressed chunk @src (@slen bytes) into exactly @dlen <=
 * NTFSI_LZX_CHUNK bytes at @dst, using @workspace (NTFSI_LZX_WORKSPACE
 * bytes). NTFS_OK, or NTFS_ERR_CORRUPT_COMPRESSED when the stream breaks
 * the format: a bad block type or size, a Huffman code that is
 * over-subscribed or incomplete (an empty code is allowed until a symbol is
 * decoded from it), a run of code lengths past the end of its code, a match
 * before the start of the chunk or past its block, a repeated offset of 0,
 * an uncompressed block past @slen, or any bit needed past @slen. Nothing
 * outside @src[0, @slen), @dst[0, @dlen) and the workspace is touched; on an
 * error @dst holds garbage.
 */
int ntfsi_lzx_decode(const uint8_t *src, uint32_t slen, uint8_t *dst, uint32_t dlen,
                     void *workspace);

#endif /* NTFS_LZX_H */
