/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Index B+trees (index.c): one walker for every NTFS index, whatever its
 * keys. An index kind is a const table: the attribute name, the indexed
 * attribute type (0 for a view index, whose entries carry data), the
 * collation rule and its function, and the key bounds.
 */
#ifndef NTFS_INDEX_H
#define NTFS_INDEX_H

#include "ntfs/ntfs.h"

#include "bytes.h"
#include "collate.h"

struct ntfsi_index_kind {
	uint16_t name[4]; /* $INDEX_ROOT/$INDEX_ALLOCATION/$BITMAP name */
	uint8_t name_len;
	uint32_t type;      /* indexed attribute type; 0 for a view index */
	uint32_t collation; /* NTFSI_COLLATION_*, as $INDEX_ROOT names it */
	ntfsi_collate_fn *collate;
	uint16_t key_min; /* bytes */
	uint16_t key_max;
	bool exact; /* break file-name ties by code unit (collate.h) */
};

/* Directories. The view indexes are kinds too ($Secure:$SII by security
 * id, ULONG; $SDH by hash, SECURITY_HASH; $ObjId:$O by GUID and $Reparse:$R
 * by tag and file, ULONGS; $Quota:$O by SID, $Q by owner id): each is
 * defined where it is read. */
extern const struct ntfsi_index_kind ntfsi_index_i30;

/* The largest key of any kind: a $FILE_NAME with 255 units (a SID is at
 * most 68 bytes, a GUID 16). */
#define NTFSI_INDEX_KEY_MAX (66u + 2u * 255u)

#define NTFSI_INDEX_ENTRY_HAS_SUB 0x01u
#define NTFSI_INDEX_ENTRY_END 0x02u

/* One validated entry; pointers point into the index's buffers and are
 * valid until the next call on the index. */
struct ntfsi_index_entry {
	uint16_t length;
	uint16_t key_len;
	uint16_t flags;
	uint64_t ref; /* file reference ($I30) */
	uint64_t subnode_vcn;
	const uint8_t *key;
	const uint8_t *data; /* a view index's data part */
	uint16_t data_len;
};

struct ntfsi_index_level {
	uint64_t vcn;   /* NTFSI_INDEX_ROOT for the root node */
	uint32_t pos;   /* offset of the current entry in the node */
	bool descended; /* the current entry's subtree was visited */
};
#define NTFSI_INDEX_ROOT UINT64_MAX

struct ntfsi_index {
	const struct ntfsi_index_kind *kind;
	ntfs_file *file;
	ntfs_volume *vol;
	uint8_t *root; /* copy of the $INDEX_ROOT value */
	uint32_t root_len;
	ntfs_stream *alloc;      /* $INDEX_ALLOCATION or NULL */
	ntfs_stream *bitmap;     /* $BITMAP or NULL */
	uint8_t bitmap_win[64];  /* cached $BITMAP bytes */
	uint64_t bitmap_win_off; /* UINT64_MAX when empty */
	uint32_t bitmap_win_len;
	uint8_t *block;
	uint32_t block_size;
	uint8_t vcn_shift;
	uint64_t block_vcn; /* VCN in block, or UINT64_MAX */
	/* The block loaded before the one in block (its parent, when the walk
	 * has just descended), so that climbing back costs no read. */
	uint8_t *spare;
	uint64_t spare_vcn; /* VCN in spare, or UINT64_MAX */
	uint64_t blocks;    /* index blocks in the allocation */
	uint64_t visits;    /* blocks entered by the walk */
	struct ntfsi_index_level stack[NTFS_MAX_INDEX_DEPTH];
	uint32_t depth;
	int err;       /* sticky */
	uint64_t last; /* position of the last entry returned; 0 none */
	/* Keys must come out strictly increasing: the last one emitted. A
	 * subtree entered twice, or in the wrong place, breaks the order. It
	 * is read where it lies, at prev_off in prev_buf (the root, a block
	 * buffer, or prev when the block it was in is about to be read over). */
	bool have_prev;
	uint16_t prev_len;
	const uint8_t *prev_buf;
	uint32_t prev_off;
	uint8_t prev[NTFSI_INDEX_KEY_MAX];
};

/* Open @file's index of @kind; NTFS_ERR_NOT_FOUND when it has none. */
int ntfsi_index_open(ntfs_file *file, const struct ntfsi_index_kind *kind, struct ntfsi_index *idx);
void ntfsi_index_close(struct ntfsi_index *idx);
void ntfsi_index_rewind(struct ntfsi_index *idx);
/* Next entry in collation order: 1, 0 at the end, <0. */
int ntfsi_index_next(struct ntfsi_index *idx, struct ntfsi_index_entry *e);
/* Position at the first entry not less than @key (an on-disk key of the
 * index's kind; for $I30 without the case tie-break): the next
 * ntfsi_index_next() returns it. */
int ntfsi_index_seek(struct ntfsi_index *idx, const uint8_t *key, uint32_t key_len);
/* The position after the last entry ntfsi_index_next() returned, as a
 * nonzero cookie (0 before the first); NTFS_ERR_LIMIT if it has none. */
int ntfsi_index_tell(const struct ntfsi_index *idx, uint64_t *cookie);
/* Go back to a position ntfsi_index_tell() gave, by descending from the
 * root to that entry: O(depth) blocks. NTFS_ERR_INVALID if @cookie names
 * no entry of this index. */
int ntfsi_index_resume(struct ntfsi_index *idx, uint64_t cookie);

#endif /* NTFS_INDEX_H */
