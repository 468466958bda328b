/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * An in-memory device and a checking allocator for the core's callbacks,
 * shared by the unit tests and the fuzz harnesses.
 *
 * memdev serves reads from a byte array (bytes past data_len read as zeros,
 * and patches are laid over them), counts them, can fail the Nth one, fails
 * a read past its size, and stops the run (ts_fail) on a read that is not
 * aligned to read_align or not a multiple of it: the core promises both.
 *
 * memalloc hands out exact-size malloc() blocks (so AddressSanitizer sees
 * each block's true end) filled with garbage; it can fail the Nth
 * allocation, refuses a block over `limit` or one that would take the
 * outstanding bytes over `cap`, tracks blocks, bytes and the peak, and
 * stops the run when free() gets a pointer it did not return or a size
 * other than the one asked of alloc().
 */
#ifndef NTFS_TEST_MEMDEV_H
#define NTFS_TEST_MEMDEV_H

#include <ntfs/ntfs.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* @len bytes at device offset @off, laid over what the device holds. */
struct memdev_patch {
	uint64_t off;
	const uint8_t *data;
	uint32_t len;
};

struct memdev {
	const uint8_t *data; /* the volume's bytes */
	uint64_t data_len;   /* bytes in data; the rest of size reads as zeros */
	uint64_t size;       /* device size: reads past it fail */
	uint32_t read_align; /* every read must be aligned to and a multiple of this */
	const struct memdev_patch *patches; /* applied in order */
	size_t npatches;
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
	size_t limit;           /* refuse any allocation over this many bytes; 0: none */
	size_t cap;             /* refuse what takes outstanding bytes over this; 0: none */
	uint64_t allocs;        /* allocation calls seen (failed ones included) */
	uint64_t frees;         /* free calls */
	uint64_t failed_allocs; /* allocations failed on purpose */
	uint64_t refused;       /* allocations refused by limit or cap */
	size_t blocks;          /* blocks outstanding */
	size_t bytes;           /* bytes outstanding */
	size_t peak;            /* most bytes outstanding at once */
	size_t largest;         /* largest single allocation asked */
};

void memalloc_init(struct memalloc *ma);
void *memalloc_alloc(void *ctx, size_t size);
void memalloc_free(void *ctx, void *ptr, size_t size);
/* Stop the run unless exactly @blocks blocks of @bytes bytes are outstanding. */
void memalloc_expect(const struct memalloc *ma, size_t blocks, size_t bytes);

/* Fill @cfg (zeroed first) to read @dev and allocate from @ma. */
void memdev_config(struct ntfs_config *cfg, struct memdev *dev, struct memalloc *ma);

#endif /* NTFS_TEST_MEMDEV_H */
