/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Helpers for test_hardening_*.c: take a committed image, find the bytes of
 * one on-disk structure (an MFT record, an index block, an attribute list,
 * the boot sector), change one field, and check that the public API
 * rejects the result with one exact error code, with nothing leaked and no
 * allocation above a fixed cap.
 *
 * Bytes are located through the public API (ntfs_stream_map over the
 * $MFT's $DATA, a directory's $INDEX_ALLOCATION, an $ATTRIBUTE_LIST), and
 * parsed by the small independent parsers below: never by the core's own
 * validation code.
 */
#ifndef NTFS_TEST_HARDENING_UTIL_H
#define NTFS_TEST_HARDENING_UTIL_H

#include <ntfs/ntfs.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image.h"
#include "memdev.h"

/* No single allocation may be larger than this, whatever the disk says. */
#define HU_ALLOC_CAP (1u << 20)
/* Largest structure a location can describe. */
#define HU_MAX_BYTES (256u << 10)
/* A test that runs longer than this is hung: the process is killed. */
#define HU_WATCHDOG_SECONDS 120

/* The bytes of a structure on the device, in 512-byte pieces (clusters and
 * sectors are at least 512 bytes, so a piece never spans two runs). */
struct hu_loc {
	uint64_t size;
	uint32_t n;
	uint64_t piece[HU_MAX_BYTES / 512];
};

struct hu {
	struct timage img;
	struct memdev dev;
	struct memalloc ma;
	ntfs_volume *vol;
	struct ntfs_volume_info vi; /* filled by every successful mount */
	uint64_t volume_size;       /* ntfs_config::volume_size (0: unknown) */
	uint64_t stream_size;       /* value size of the last hu_loc_stream() */
	struct hu_loc loc;          /* what hu_case_prepare() located */
	uint64_t base;              /* hu_case_prepare(): the target's base record */
	uint64_t ext_ref;           /* hu_case_prepare(): the list's reference to HU_EXTENSION */
};

/* Open committed image @name (a private, writable copy) and arm the
 * watchdog. */
void hu_open(struct hu *h, const char *name);
void hu_close(struct hu *h);
/* Mount; on failure check that nothing stayed allocated. */
int hu_mount(struct hu *h);
/* Unmount and check that nothing stayed allocated. */
void hu_unmount(struct hu *h);

/* A workload over a mounted volume; returns its first error or NTFS_OK. */
typedef int (*hu_op)(ntfs_volume *vol, const char *arg);
/* Mount, run @op (if the mount worked), unmount. Returns the mount's error
 * or the op's. Checks: no leak, no allocation over HU_ALLOC_CAP. */
int hu_run(struct hu *h, hu_op op, const char *arg);
/* hu_run() and fail with both codes named unless it returns @want. */
void hu_expect(struct hu *h, hu_op op, const char *arg, int want);

/* Open a file by "#N" (record number N) or by path. */
int hu_open_spec(ntfs_volume *vol, const char *spec, ntfs_file **out);

/* Workloads. @arg is a file spec ("#N" or a path); for streams "path:name". */
int hu_op_mount(ntfs_volume *vol, const char *arg);     /* nothing more */
int hu_op_open(ntfs_volume *vol, const char *arg);      /* open, close */
int hu_op_stat(ntfs_volume *vol, const char *arg);      /* open, stat */
int hu_op_read(ntfs_volume *vol, const char *arg);      /* read a stream whole */
int hu_op_map(ntfs_volume *vol, const char *arg);       /* every run, until 0 */
int hu_op_list(ntfs_volume *vol, const char *arg);      /* every directory entry */
int hu_op_streams(ntfs_volume *vol, const char *arg);   /* ntfs_stream_next loop */
int hu_op_free(ntfs_volume *vol, const char *arg);      /* free clusters */
int hu_op_mft_usage(ntfs_volume *vol, const char *arg); /* MFT records in use */

/* Locate bytes [@off, @off + @len) of attribute @type named @name (ASCII,
 * NULL for unnamed) of file @spec; @len 0 means to the end. Needs a
 * mounted volume; the attribute must be non-resident. */
void hu_loc_stream(struct hu *h, const char *spec, uint32_t type, const char *name, uint64_t off,
                   uint64_t len, struct hu_loc *loc);
/* Locate MFT record @recno (through the $MFT's own $DATA). */
void hu_loc_record(struct hu *h, uint64_t recno, struct hu_loc *loc);
/* Locate raw device bytes. */
void hu_loc_device(struct hu *h, uint64_t off, uint64_t len, struct hu_loc *loc);
void hu_loc_read(const struct hu *h, const struct hu_loc *loc, uint8_t *buf);
void hu_loc_write(struct hu *h, const struct hu_loc *loc, const uint8_t *buf);
/* Base record number of file @spec (needs a mounted volume). */
uint64_t hu_recno(struct hu *h, const char *spec);
/* Reference in the attribute list of file @spec to the record of its @k-th
 * (from 0) unnamed $DATA extent (needs a mounted volume). */
uint64_t hu_alist_data_ref(struct hu *h, const char *spec, unsigned k);

/* Update sequence: undo (fails the test if invalid) and redo. */
void hu_unfix(uint8_t *buf, size_t size);
void hu_fix(uint8_t *buf, size_t size);

/* Little-endian access. */
uint64_t hu_ld(const uint8_t *p, int n);
void hu_st(uint8_t *p, uint64_t v, int n);

/* MFT record attributes (record with fixups undone). Offset of the first
 * attribute of @type whose name is @name (ASCII; NULL: any name, "": the
 * unnamed one); fails the test if there is none. */
uint32_t hu_attr_find(const uint8_t *rec, uint32_t type, const char *name);
/* Offset of the record's end marker. */
uint32_t hu_attr_end(const uint8_t *rec);
/* Resident value of the attribute at @aoff. */
uint8_t *hu_attr_value(uint8_t *rec, uint32_t aoff);
/* Give the attribute at @aoff a new length (8-aligned), moving what follows
 * and updating bytes in use; the record must have room. */
void hu_attr_resize(uint8_t *rec, size_t size, uint32_t aoff, uint32_t new_len);

/* Runlists, decoded and encoded independently of the core. */
struct hu_run {
	uint64_t len;
	int64_t lcn; /* absolute; ignored for holes */
	bool hole;
};
/* Decode mapping pairs; returns the run count, *used the bytes before the
 * terminator. Fails the test on anything malformed. */
size_t hu_runs_decode(const uint8_t *mp, size_t len, struct hu_run *runs, size_t max, size_t *used);
/* Encode with the terminator (lengths in the fewest unsigned bytes, deltas
 * in the fewest signed bytes); returns bytes written. */
size_t hu_runs_encode(const struct hu_run *runs, size_t n, uint8_t *out, size_t cap);
/* Replace the mapping pairs of the non-resident attribute at @aoff, growing
 * it if needed. */
void hu_runs_set(uint8_t *rec, size_t size, uint32_t aoff, const struct hu_run *runs, size_t n);

/* Index nodes: offset (from @node, the node header) of entry @k. */
uint32_t hu_ie_off(const uint8_t *node, unsigned k);
/* Index node of the $INDEX_ROOT at @aoff of a record. */
uint8_t *hu_root_node(uint8_t *rec, uint32_t aoff);

#endif /* NTFS_TEST_HARDENING_UTIL_H */
