/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A synthetic volume in memory, for tests and fuzz harnesses that build
 * records by hand: a 512 KiB disk with no boot sector (the geometry is
 * filled in directly). The $MFT starts at byte SYNVOL_MFT_OFF and holds
 * SYNVOL_RECORDS records (record 0 maps them with one run); bytes from
 * SYNVOL_DATA_OFF on are free for data. Build records with synvol_record()
 * (clean, fixtures not applied), then synvol_mount() protects every record
 * that starts with "FILE" and mounts: geometry, $MFT, and a small $UpCase
 * filled in by hand (a-z, U+00E0-U+00FE but U+00F7, U+00FF, and
 * U+0101-U+017F alternating).
 */
#ifndef NTFS_TEST_SYNVOL_H
#define NTFS_TEST_SYNVOL_H

#include <stdbool.h>
#include <stdint.h>

#include "core.h"
#include "memdev.h"

#define SYNVOL_SIZE (512u * 1024u)
#define SYNVOL_MFT_OFF (64u * 1024u)
#define SYNVOL_RECORDS 32u
#define SYNVOL_DATA_OFF (256u * 1024u)
/* What the volume may hold allocated at once: a size field that asks for
 * more gets NTFS_ERR_NOMEM, so a 4 GiB request is found, not served. */
#define SYNVOL_ALLOC_CAP (8u << 20)

struct synvol {
	uint8_t *disk;
	uint32_t cluster_size;
	uint32_t record_size;
	uint32_t index_block_size;
	bool raw[SYNVOL_RECORDS]; /* record stored as is: no fixups applied */
	struct memdev dev;
	struct memalloc alloc;
};

/* @cluster_size 512..65536, @record_size 1024 or 4096, @index_block_size
 * 512..65536, all powers of two. */
void synvol_init(struct synvol *s, uint32_t cluster_size, uint32_t record_size,
                 uint32_t index_block_size);
uint8_t *synvol_record(struct synvol *s, uint32_t recno);
/* Mount; the volume reads s->dev and allocates from s->alloc. */
int synvol_mount(struct synvol *s, uint32_t read_align, ntfs_volume **out);
void synvol_free(struct synvol *s);
/* Unmount @vol, check that it gave every allocation back, and free @s. */
void synvol_unmount(struct synvol *s, ntfs_volume *vol);
/*
 * Append attribute @type (named @name, @name_len host-order units; NULL if
 * 0) holding @len bytes of @value to the clean record @rec: resident when
 * @resident, else non-resident, its bytes copied into the disk at cluster
 * *@lcn (one run; *@lcn is advanced past it, the rest of its last cluster
 * zeroed; an empty value has no run). Returns the attribute's offset in
 * @rec, or 0 if it does not fit the record or the data area.
 */
uint32_t synvol_add_value(struct synvol *s, uint8_t *rec, uint32_t type, const uint16_t *name,
                          uint8_t name_len, const void *value, uint32_t len, bool resident,
                          uint64_t *lcn);
/* Append a sparse non-resident attribute of @size bytes: one hole over
 * the clusters it needs (no run when @size is 0), initialized size 0.
 * Returns its offset, or 0 if it does not fit. */
uint32_t synvol_add_sparse(struct synvol *s, uint8_t *rec, uint32_t type, const uint16_t *name,
                           uint8_t name_len, uint64_t size);
/* A volume of @cluster_size clusters (1 KiB records, 4 KiB index blocks)
 * mounted once and kept, for a harness that builds a file per input:
 * after each, memalloc_expect(&k->syn.alloc, k->blocks, k->bytes) says
 * nothing leaked beyond what the mount holds. */
struct synvol_kept {
	struct synvol syn;
	ntfs_volume *vol;
	size_t blocks, bytes; /* what the mounted volume holds */
};
/* Mount @k the first time (stops the run if it fails); the volume. */
ntfs_volume *synvol_kept_volume(struct synvol_kept *k, uint32_t cluster_size);
/* With every file closed: the volume @a serves holds no more than its
 * mount did (@blocks, @bytes), once the decoder workspace it keeps for
 * compressed streams until unmount (at most ntfs_decoder_workspace_size()
 * bytes) is given back. */
void synvol_expect_held(ntfs_volume *vol, const struct memalloc *a, size_t blocks, size_t bytes);
/* The same for a kept volume. */
void synvol_kept_expect(const struct synvol_kept *k);
/* An ntfs_file over a record image (copied) as if read as record @recno. */
int synvol_file(ntfs_volume *vol, uint64_t recno, const uint8_t *rec, ntfs_file **out);

#endif /* NTFS_TEST_SYNVOL_H */
