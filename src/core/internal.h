/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internal structures and the functions the core's files share. Nothing
 * here is part of the public API; every symbol is hidden (ntfsi_ prefix).
 */
#ifndef NTFS_INTERNAL_H
#define NTFS_INTERNAL_H

#include "ntfs/ntfs.h" /* the public API, found through -Iinclude */

#include "bytes.h"

/* NTFS's fixed 512-byte stride for update sequence fixups. */
#define NTFSI_FIXUP_STRIDE 512u

/* System file record numbers. */
#define NTFSI_REC_MFT 0u
#define NTFSI_REC_VOLUME 3u
#define NTFSI_REC_BITMAP 6u
#define NTFSI_REC_UPCASE 10u

/* ---- volume.c / io.c ---------------------------------------------------- */

/* Geometry from the boot sector (boot.c). */
struct ntfsi_boot {
	uint32_t sector_size;
	uint32_t cluster_size;
	uint32_t record_size;
	uint32_t index_block_size;
	uint8_t cluster_shift;
	uint8_t record_shift;
	uint8_t index_block_shift;
	uint64_t total_sectors;
	uint64_t total_clusters;
	uint64_t mft_lcn;
	uint64_t mftmirr_lcn;
	uint64_t serial;
};

/* One $UpCase range: characters first..last (every one, or every other one
 * starting at first when stride is 2) map to c + delta (mod 2^16). */
struct ntfsi_upcase_range {
	uint16_t first;
	uint16_t last;
	uint16_t delta;
	uint16_t stride;
};

struct ntfs_volume {
	struct ntfs_config cfg;
	struct ntfsi_boot boot;
	uint8_t *bounce;      /* read_align bytes, for unaligned device reads */
	ntfs_file *mft_file;  /* record 0, kept open for its $DATA */
	ntfs_stream *mft;     /* $MFT's $DATA: maps record numbers to clusters */
	uint64_t mft_records; /* records covered by the $MFT's initialized data */
	struct ntfsi_upcase_range *upcase;
	uint32_t upcase_count;
	uint32_t upcase_cap;
	uint16_t vol_flags;
	uint8_t major, minor;
	size_t label_len;
	char label[128 * 3 + 1];
};

void *ntfsi_alloc(ntfs_volume *vol, size_t size);
/* Open system file @recno: a system record not in use, reused or missing
 * means the $MFT is corrupt. */
int ntfsi_open_system(ntfs_volume *vol, uint64_t recno, ntfs_file **out);
void ntfsi_free(ntfs_volume *vol, void *ptr, size_t size);
/* Open the $MFT's record 0 and map its $DATA, every extent (volume.c). */
int ntfsi_mft_open(ntfs_volume *vol);
/* Read bytes from the device honouring read_align (io.c). */
int ntfsi_dev_read(ntfs_volume *vol, uint64_t offset, void *buf, size_t len);

/* ---- boot.c ------------------------------------------------------------- */

/* Parse and validate one boot sector (at least 512 bytes). */
int ntfsi_boot_parse(const uint8_t *sector, size_t len, struct ntfsi_boot *boot);

/* ---- fixup.c ------------------------------------------------------------ */

/* Verify and undo the update sequence fixups of a multi-sector record. */
int ntfsi_fixup(uint8_t *buf, size_t size);

/* ---- record.c ----------------------------------------------------------- */

/* MFT record header offsets. */
#define NTFSI_REC_SEQUENCE 16
#define NTFSI_REC_LINKS 18
#define NTFSI_REC_ATTRS_OFFSET 20
#define NTFSI_REC_FLAGS 22
#define NTFSI_REC_BYTES_IN_USE 24
#define NTFSI_REC_BYTES_ALLOC 28
#define NTFSI_REC_BASE_REF 32
#define NTFSI_REC_FLAG_IN_USE 0x0001u
#define NTFSI_REC_FLAG_DIRECTORY 0x0002u

/* Validate a record's header after fixups (buf holds size bytes). */
int ntfsi_record_check(uint8_t *buf, size_t size);
/* Read record @recno into @buf (record_size bytes), fixups applied and
 * header validated. Does not check in-use or sequence. */
int ntfsi_record_read(ntfs_volume *vol, uint64_t recno, uint8_t *buf);

/* ---- attr.c ------------------------------------------------------------- */

/* One validated attribute header. Pointers point into the record. */
struct ntfsi_attr {
	uint32_t type;
	uint32_t length;
	uint16_t flags;
	uint16_t id;
	bool resident;
	uint8_t name_len;    /* UTF-16 units */
	const uint8_t *name; /* name_len little-endian units */
	/* resident */
	const uint8_t *value;
	uint32_t value_len;
	/* non-resident */
	uint64_t lowest_vcn;
	uint64_t highest_vcn;
	uint64_t alloc_size;
	uint64_t data_size;
	uint64_t init_size;
	uint8_t compression_unit;
	const uint8_t *mapping;
	uint32_t mapping_len;
};

#define NTFSI_AT_END 0xFFFFFFFFu

/* Walk a record's attributes: start with *off = 0; returns 1, 0 at the end
 * marker, or a negative error. */
int ntfsi_attr_next_in_record(const uint8_t *rec, uint32_t *off, struct ntfsi_attr *attr);
/* Parse the attribute at @off of a record whose used part is @used bytes. */
int ntfsi_attr_parse(const uint8_t *rec, uint32_t used, uint32_t off, struct ntfsi_attr *attr);
/* Compare an on-disk little-endian name with host-order units. */
bool ntfsi_name_equal_le(const uint8_t *le, size_t le_len, const uint16_t *name, size_t len);

/* ---- file.c / attrlist.c ------------------------------------------------ */

struct ntfs_file {
	ntfs_volume *vol;
	uint64_t recno;
	uint16_t seq;
	uint16_t links;
	uint16_t rec_flags;
	uint8_t *rec;   /* base record, fixups applied */
	uint8_t *alist; /* attribute list value, or NULL */
	uint32_t alist_len;
	uint8_t *ext; /* last extension record read, or NULL */
	uint64_t ext_recno;
};

/* One attribute list entry. */
struct ntfsi_alist_entry {
	uint32_t type;
	uint16_t length;
	uint8_t name_len;
	const uint8_t *name;
	uint64_t lowest_vcn;
	uint64_t ref;
	uint16_t id;
};

/* Open a file from a record already in memory (takes ownership of rec). */
int ntfsi_file_from_record(ntfs_volume *vol, uint64_t recno, uint8_t *rec, ntfs_file **out);
/* Attribute list: parse the entry at *off, advancing it; 1, 0 at end, <0. */
int ntfsi_alist_next(const uint8_t *list, uint32_t len, uint32_t *off,
                     struct ntfsi_alist_entry *ent);
int ntfsi_alist_load(ntfs_file *file);
/* Find the attribute an attribute-list entry describes (reads the extension
 * record if needed; the result is valid until the next call on @file). */
int ntfsi_file_entry_attr(ntfs_file *file, const struct ntfsi_alist_entry *ent,
                          struct ntfsi_attr *attr);
/* Find the first extent (lowest VCN 0) of attribute type/name in a file. */
int ntfsi_file_find_attr(ntfs_file *file, uint32_t type, const uint16_t *name, size_t name_len,
                         struct ntfsi_attr *attr);
/* Next attribute of a file in list order: start with *cursor = 0 (an
 * opaque position, advanced on success); 1, 0 past the end, <0. */
int ntfsi_file_attr_next(ntfs_file *file, uint32_t *cursor, struct ntfsi_attr *attr,
                         uint64_t *recno);

/* ---- runlist.c ---------------------------------------------------------- */

struct ntfsi_runlist {
	const uint8_t *p;
	uint32_t len;
	uint32_t pos;
	uint64_t vcn;
	uint64_t end_vcn; /* highest_vcn + 1 of the extent */
	int64_t lcn;
	uint64_t total_clusters;
};

void ntfsi_runlist_init(struct ntfsi_runlist *rl, const uint8_t *p, uint32_t len,
                        uint64_t lowest_vcn, uint64_t end_vcn, uint64_t total_clusters);
/* Decode the next run: 1, 0 after the terminator, or NTFS_ERR_CORRUPT_RUNLIST. */
int ntfsi_runlist_next(struct ntfsi_runlist *rl, struct ntfs_run *run);

/* ---- stream.c ----------------------------------------------------------- */

struct ntfsi_extent {
	uint64_t lowest_vcn;
	uint64_t end_vcn;   /* highest_vcn + 1, once the extent was loaded */
	uint32_t alist_off; /* its attribute list entry, or NTFSI_NO_ALIST */
	uint16_t id;        /* attribute id (base record, no list) */
	uint32_t mp_off;    /* mapping pairs: offset in the stream's mp */
	uint32_t mp_len;
};
#define NTFSI_NO_ALIST UINT32_MAX

struct ntfs_stream {
	ntfs_volume *vol;
	ntfs_file *file;
	uint32_t type;
	uint16_t flags;
	bool resident;
	bool preloaded; /* every extent's mapping pairs kept in mp */
	bool elsewhere; /* the real data is not here (WOF, dedup) */
	uint8_t name_len;
	uint16_t name[NTFS_NAME_MAX_UTF16];
	uint64_t size;
	uint64_t init_size;
	uint8_t *value; /* resident value */
	uint32_t n_extents;
	uint32_t n_usable; /* extents usable for mapping (MFT bootstrap) */
	struct ntfsi_extent *extents;
	uint8_t *mp; /* mapping pairs of the loaded extent(s) */
	uint32_t mp_cap;
	uint32_t loaded; /* extent the cursor walks; UINT32_MAX none */
	struct ntfsi_runlist cur;
	struct ntfs_run last; /* last run found; length 0 when none */
};

int ntfsi_stream_open(ntfs_file *file, uint32_t type, const uint16_t *name, size_t name_len,
                      ntfs_stream **out);
/* Keep every extent's mapping pairs in memory (the $MFT's own $DATA). */
int ntfsi_stream_preload(ntfs_stream *s);

/* ---- upcase.c ----------------------------------------------------------- */

int ntfsi_upcase_load(ntfs_volume *vol);
/* Build the range table from a 65536-entry little-endian table read in
 * pieces: call with consecutive chunks (each an even number of bytes). */
uint16_t ntfsi_upcase(const ntfs_volume *vol, uint16_t c);
/* Collate two names as NTFS's COLLATION_FILE_NAME does (upcased). */
int ntfsi_collate_name(const ntfs_volume *vol, const uint8_t *le, size_t le_len,
                       const uint16_t *name, size_t len);
/* The full index order: upcased, then (names equal but for case, possible in
 * the POSIX namespace) by code unit. */
int ntfsi_collate_full(const ntfs_volume *vol, const uint8_t *le, size_t le_len,
                       const uint16_t *name, size_t len);

/* ---- index.c ------------------------------------------------------------ */

#define NTFSI_IE_HAS_SUB 0x01u
#define NTFSI_IE_END 0x02u

struct ntfsi_index_level {
	uint64_t vcn;   /* NTFSI_INDEX_ROOT for the root node */
	uint32_t pos;   /* offset of the current entry in the node */
	bool descended; /* the current entry's subtree was visited */
};
#define NTFSI_INDEX_ROOT UINT64_MAX

/* One index entry, validated. */
struct ntfsi_index_entry {
	const uint8_t *p;
	uint16_t length;
	uint16_t key_len;
	uint16_t flags;
	uint64_t ref;
	uint64_t subnode_vcn;
	const uint8_t *key;
};

struct ntfsi_index {
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
	uint64_t blocks;    /* index blocks in the allocation */
	uint64_t visits;    /* blocks entered by the walk */
	struct ntfsi_index_level stack[NTFS_MAX_INDEX_DEPTH];
	uint32_t depth;
	int err; /* sticky */
	/* Keys must come out strictly increasing: the last one emitted. A
	 * subtree entered twice, or in the wrong place, breaks the order. */
	bool have_prev;
	uint8_t prev_len;
	uint16_t prev[NTFS_NAME_MAX_UTF16];
};

int ntfsi_index_open(ntfs_file *file, struct ntfsi_index *idx);
void ntfsi_index_close(struct ntfsi_index *idx);
void ntfsi_index_rewind(struct ntfsi_index *idx);
/* Next entry in collation order: 1, 0 at the end, <0. */
int ntfsi_index_next(struct ntfsi_index *idx, struct ntfsi_index_entry *ent);
/* Position at the first entry not less than @name (upcased): the next
 * ntfsi_index_next() returns it. */
int ntfsi_index_seek(struct ntfsi_index *idx, const uint16_t *name, size_t len);

/* $FILE_NAME value offsets. */
#define NTFSI_FN_PARENT 0
#define NTFSI_FN_CTIME 8
#define NTFSI_FN_MTIME 16
#define NTFSI_FN_MFTTIME 24
#define NTFSI_FN_ATIME 32
#define NTFSI_FN_ALLOC 40
#define NTFSI_FN_SIZE 48
#define NTFSI_FN_FLAGS 56
#define NTFSI_FN_NAME_LEN 64
#define NTFSI_FN_NAMESPACE 65
#define NTFSI_FN_NAME 66

/* Validate a $FILE_NAME value of @len bytes. */
int ntfsi_filename_check(const uint8_t *fn, size_t len);

#endif /* NTFS_INTERNAL_H */
