/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared code for the libFuzzer harnesses (fuzz/fuzz_*.c): a memory device
 * with an optional patch overlay, a capped allocator that checks sizes and
 * leaks, decompressed test images as templates, a synthetic volume built in
 * memory, and a bounded tree walk. See fuzz/README.md for the input formats.
 *
 * Harnesses link the core built without hidden visibility (ntfs_fuzzcore,
 * or ntfs_testcore for the regression driver), so internal ntfsi_*
 * functions are callable.
 */
#ifndef NTFS_FUZZ_COMMON_H
#define NTFS_FUZZ_COMMON_H

#include <ntfs/ntfs.h>

#include "core.h"
#include "ondisk.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant is a finding: print and abort (libFuzzer saves the
 * input as crash-*). */
#define FZ_CHECK(cond)                                                                             \
	do {                                                                                       \
		if (!(cond))                                                                       \
			fz_fail(__FILE__, __LINE__, #cond);                                        \
	} while (0)
_Noreturn void fz_fail(const char *file, int line, const char *what);

/* Every error the library may return: anything else is a finding. */
bool fz_err_known(int err);
#define FZ_CHECK_ERR(err) FZ_CHECK((err) >= 0 || fz_err_known(err))

/* ---- capped allocator ----------------------------------------------------- */

/* Total bytes a harness's volume may hold at once: a size field that asks
 * for more gets NULL (NTFS_ERR_NOMEM), so a 4 GiB request is found, not
 * served. */
#define FZ_ALLOC_CAP (8u << 20)

struct fz_alloc {
	size_t cap;      /* bytes outstanding at most */
	size_t bytes;    /* bytes outstanding */
	size_t blocks;   /* blocks outstanding */
	size_t peak;     /* most bytes outstanding */
	size_t refused;  /* allocations refused by the cap */
	uint64_t allocs; /* allocation calls */
};

void fz_alloc_init(struct fz_alloc *a, size_t cap);
/* ntfs_alloc_fn / ntfs_free_fn: malloc/free underneath (so ASan sees every
 * block at its exact size and LeakSanitizer sees leaks); free() checks that
 * the pointer is live and the size is the one asked of alloc(). */
void *fz_alloc(void *ctx, size_t size);
void fz_free(void *ctx, void *ptr, size_t size);
/* Abort unless exactly @blocks blocks of @bytes bytes are outstanding. */
void fz_alloc_expect(const struct fz_alloc *a, size_t blocks, size_t bytes);

/* ---- memory device ---------------------------------------------------------- */

/* One overlay patch: @len bytes at device offset @off. */
struct fz_patch {
	uint64_t off;
	const uint8_t *data;
	uint32_t len;
};

/*
 * A device of @size bytes: the first @base_len come from @base, the rest
 * read as zeros, then @patches are laid over it in order. A read that is not
 * aligned to @align (the core promises it is) aborts; a read past @size
 * fails (NTFS_ERR_IO).
 */
struct fz_dev {
	const uint8_t *base;
	uint64_t base_len;
	uint64_t size;
	uint32_t align;
	const struct fz_patch *patches;
	size_t npatches;
	uint64_t reads;
	uint64_t bytes;
};

void fz_dev_init(struct fz_dev *dev, const uint8_t *base, uint64_t base_len, uint64_t size,
                 uint32_t align);
int fz_dev_read(void *ctx, uint64_t offset, void *buf, size_t len);
/* A config reading @dev and allocating from @a. */
void fz_config(struct ntfs_config *cfg, struct fz_dev *dev, struct fz_alloc *a);

/* ---- test images -------------------------------------------------------------- */

/* test/images/NAME.img.xz decompressed (once per process, through xz -dc).
 * The directory is $NTFS_FUZZ_IMAGES if set, else NTFS_FUZZ_IMAGES_DIR
 * (set by CMake). Aborts if the image cannot be read. */
const uint8_t *fz_image(const char *name, size_t *len);

/* ---- building records ---------------------------------------------------------- */

/* Offset of the update sequence array in records the helpers build. */
#define FZ_USA_OFF 0x30u

/* A clean (fixups not applied) in-use FILE record of @size bytes with no
 * attributes but the end marker. */
void fz_record_init(uint8_t *rec, uint32_t size, uint16_t seq, uint16_t flags, uint64_t base_ref);
/* Append a resident attribute; returns false if it does not fit. */
bool fz_record_add_resident(uint8_t *rec, uint32_t size, uint32_t type, const char *name,
                            uint16_t id, const uint8_t *value, uint32_t value_len);
/* Append a non-resident attribute with mapping pairs @mp; sizes as given. */
bool fz_record_add_nonresident(uint8_t *rec, uint32_t size, uint32_t type, const char *name,
                               uint16_t id, uint16_t flags, uint64_t lowest_vcn,
                               uint64_t highest_vcn, uint64_t alloc_size, uint64_t data_size,
                               uint64_t init_size, const uint8_t *mp, uint32_t mp_len);
/* Mapping pairs of one run (lcn, clusters) at VCN 0, terminated; returns
 * bytes written (at most 18). */
uint32_t fz_runlist_one(uint8_t *out, uint64_t lcn, uint64_t clusters);
/*
 * Apply update sequence fixups to a clean multi-sector record or INDX
 * block: use the USA offset stored at byte 4 if it is usable, else
 * FZ_USA_OFF; set the count; take the sequence number stored in the USA (1
 * if 0); move every stride's last two bytes into the USA. ntfsi_fixup_apply()
 * undoes it exactly.
 */
void fz_protect(uint8_t *buf, uint32_t size);

/* ---- a synthetic volume ------------------------------------------------------------ */

/*
 * A 512 KiB in-memory disk with no boot sector: the harness fills in the
 * geometry. The $MFT starts at byte FZ_SYN_MFT_OFF and holds FZ_SYN_RECORDS
 * records (record 0 describes them with one run); bytes from
 * FZ_SYN_DATA_OFF are free for data. Build records with fz_syn_record()
 * (clean), then fz_syn_mount() protects every record that starts with
 * "FILE" and mounts: boot fields, $MFT, and a small hand-filled $UpCase
 * (a-z, U+00E0-U+00FE but U+00F7, and U+0100-U+017F alternating).
 */
#define FZ_SYN_SIZE (512u * 1024u)
#define FZ_SYN_MFT_OFF (64u * 1024u)
#define FZ_SYN_RECORDS 32u
#define FZ_SYN_DATA_OFF (256u * 1024u)

struct fz_syn {
	uint8_t *disk;
	uint32_t cluster_size;
	uint32_t record_size;
	uint32_t index_block_size;
	bool raw[FZ_SYN_RECORDS]; /* record stored as is: no fixups applied */
	struct fz_dev dev;
	struct fz_alloc alloc;
};

/* @cluster_size 512..65536, @record_size 1024 or 4096, @index_block_size
 * 512..65536, all powers of two. */
void fz_syn_init(struct fz_syn *s, uint32_t cluster_size, uint32_t record_size,
                 uint32_t index_block_size);
uint8_t *fz_syn_record(struct fz_syn *s, uint32_t recno);
/* Mount; the volume reads s->dev and allocates from s->alloc. */
int fz_syn_mount(struct fz_syn *s, uint32_t read_align, ntfs_volume **out);
void fz_syn_free(struct fz_syn *s);
/* An ntfs_file over a record image (copied) as if read as record @recno. */
int fz_file_from_bytes(ntfs_volume *vol, uint64_t recno, const uint8_t *rec, ntfs_file **out);

/* ---- exercising opened objects ----------------------------------------------------- */

/* Read a stream at a few offsets (at most @budget bytes in all) and map
 * its first runs. */
void fz_exercise_stream(ntfs_stream *s, size_t budget);
/* Stat, list attributes and streams, read each stream a little, and list
 * the directory if it is one (at most @max_entries entries). */
void fz_exercise_file(ntfs_file *f, unsigned max_entries);
/*
 * Walk the tree from the root with an explicit stack: at most @max_depth
 * levels and @max_entries entries in all; every entry is opened, stat'ed,
 * its streams read (bounded) and its name looked up again in its parent.
 */
void fz_walk_tree(ntfs_volume *vol, unsigned max_depth, unsigned max_entries);

#endif /* NTFS_FUZZ_COMMON_H */
