/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * An in-memory device and a checking allocator for the core's callbacks.
 *
 * memdev serves reads from a byte array, counts them, can fail the Nth one,
 * and fails the running test if a read is not aligned to read_align or not
 * a multiple of it. memalloc wraps malloc(): it can fail the Nth
 * allocation, tracks outstanding blocks and bytes (and the peak), and fails
 * the test if free() is handed a pointer it did not return or a size other
 * than the one asked of alloc().
 */
#ifndef NTFS_TEST_MEMDEV_H
#define NTFS_TEST_MEMDEV_H

#include <ntfs/ntfs.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct memdev {
	const uint8_t *data;   /* the volume's bytes */
	uint64_t size;         /* bytes in data */
	uint32_t read_align;   /* every read must be aligned to and a multiple of this */
	uint64_t fail_read_at; /* fail the Nth read (1-based); 0: never */
	bool fail_sticky;      /* also fail every read after the Nth */
	uint64_t reads;        /* read calls seen (failed ones included) */
	uint64_t bytes_read;   /* bytes served */
	uint64_t failed_reads; /* reads failed on purpose */
	uint64_t oob_reads;    /* reads past the end (failed) */
	uint64_t misaligned;   /* reads that broke the alignment rule */
};

/* A device over @size bytes at @data (not copied), reads aligned to @align. */
void memdev_init(struct memdev *dev, const void *data, uint64_t size, uint32_t align);
/* ntfs_read_fn over a struct memdev. */
int memdev_read(void *ctx, uint64_t offset, void *buf, size_t len);

struct memalloc {
	uint64_t fail_alloc_at; /* fail the Nth allocation (1-based); 0: never */
	bool fail_sticky;       /* also fail every allocation after the Nth */
	size_t limit;           /* fail any allocation over this many bytes; 0: none */
	uint64_t allocs;        /* allocation calls seen (failed ones included) */
	uint64_t frees;         /* free calls */
	uint64_t failed_allocs; /* allocations failed on purpose */
	size_t blocks;          /* blocks outstanding */
	size_t bytes;           /* bytes outstanding */
	size_t peak;            /* most bytes outstanding at once */
	size_t largest;         /* largest single allocation asked */
	uint64_t bad_frees;     /* frees with a wrong size or a foreign pointer */
};

void memalloc_init(struct memalloc *ma);
void *memalloc_alloc(void *ctx, size_t size);
void memalloc_free(void *ctx, void *ptr, size_t size);

/* Fill @cfg (zeroed first) to read @dev and allocate from @ma. */
void memdev_config(struct ntfs_config *cfg, struct memdev *dev, struct memalloc *ma);

#endif /* NTFS_TEST_MEMDEV_H */
