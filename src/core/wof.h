/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * WOF system compression (wof.c): a file whose unnamed $DATA is a sparse
 * placeholder and whose data lies in its stream "WofCompressedData",
 * cut into chunks of 4, 8, 16 (XPRESS Huffman) or 32 KiB (LZX), each
 * compressed on its own.
 */
#ifndef NTFS_WOF_H
#define NTFS_WOF_H

#include "ntfs/ntfs.h"

#include "bytes.h"
#include "lzx.h"
#include "xpress.h"

/* WOF is read when a decoder for it is built in. */
#define NTFS_WITH_WOF (NTFS_WITH_XPRESS || NTFS_WITH_LZX)

/* Read @len bytes at @off of the compressed stream (inside it). */
typedef int (*ntfsi_wof_fetch)(void *ctx, uint64_t off, uint8_t *buf, size_t len);

/* A WOF stream's state. */
struct ntfsi_wof {
	uint64_t id; /* names the stream in the volume's workspace */
	uint8_t algorithm;
	uint8_t chunk_shift;
	uint8_t entry_size; /* of the chunk table: 4, or 8 past 4 GiB */
	uint64_t size;      /* decoded */
	uint64_t chunks;
	uint64_t table_len; /* bytes of chunk table before the chunks */
	uint64_t stored;    /* bytes of the compressed stream */
	ntfsi_wof_fetch fetch;
	void *ctx;
};

/* Ready @w for a file of @size bytes compressed with @algorithm
 * (NTFS_WOF_*) into a stream of @stored bytes. NTFS_ERR_UNSUPPORTED with
 * the reason in *why for an algorithm unknown or not built in;
 * NTFS_ERR_CORRUPT_COMPRESSED if the chunk table cannot fit. */
int ntfsi_wof_init(ntfs_volume *vol, struct ntfsi_wof *w, uint32_t algorithm, uint64_t size,
                   uint64_t stored, const char **why);
/* Read @len bytes at @offset, inside the decoded size. */
int ntfsi_wof_read(ntfs_volume *vol, struct ntfsi_wof *w, uint64_t offset, uint8_t *buf,
                   size_t len);
/* The most workspace a WOF stream needs (ntfsi_io_workspace). */
size_t ntfsi_wof_workspace_size(void);

#endif /* NTFS_WOF_H */
