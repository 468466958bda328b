/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Compressed attributes (compress.c): the value cut into compression units
 * of 16 clusters, each stored as is (all its clusters allocated), sparse
 * (none), or LZNT1-compressed into its first clusters. A read decodes only
 * the 4 KiB chunks it touches, through the volume's decoder workspace.
 */
#ifndef NTFS_COMPRESS_H
#define NTFS_COMPRESS_H

#include "ntfs/ntfs.h"

#include "bytes.h"
#include "runlist.h"

/* The LZNT1 decoder is built in unless the build says -DNTFS_WITH_LZNT1=0
 * (then compressed streams read as NTFS_ERR_UNSUPPORTED). */
#ifndef NTFS_WITH_LZNT1
#define NTFS_WITH_LZNT1 1
#endif

/* Clusters per compression unit (log2): the only unit Windows writes. */
#define NTFSI_COMPRESS_UNIT_SHIFT 4u
/* The largest cluster a compressed attribute may have. */
#define NTFSI_COMPRESS_MAX_CLUSTER 4096u

/* A compressed stream's state. */
struct ntfsi_compress {
	uint64_t id;        /* names the stream in the volume's workspace; nonzero */
	uint64_t unit;      /* the unit last looked at; UINT64_MAX none */
	uint32_t allocated; /* its allocated clusters */
};

/* Ready @c for a stream of the volume; NTFS_ERR_UNSUPPORTED, with the
 * reason in *why, unless its compression unit and cluster size are the
 * ones LZNT1 files have. */
int ntfsi_compress_init(ntfs_volume *vol, struct ntfsi_compress *c, uint8_t compression_unit,
                        const char **why);
/* Read @len bytes at @offset of the value @m maps, whose first @init bytes
 * were written. */
int ntfsi_compress_read(ntfs_volume *vol, struct ntfsi_compress *c, struct ntfsi_runmap *m,
                        uint64_t init, uint64_t offset, uint8_t *buf, size_t len);
/* The workspace a compressed stream needs (ntfsi_io_workspace). */
size_t ntfsi_compress_workspace_size(void);

#endif /* NTFS_COMPRESS_H */
