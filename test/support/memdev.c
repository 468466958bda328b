/* SPDX-License-Identifier: BSD-2-Clause */
#include "memdev.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

void memdev_init(struct memdev *dev, const void *data, uint64_t size, uint32_t align)
{
	memset(dev, 0, sizeof *dev);
	dev->data = data;
	dev->data_len = size;
	dev->size = size;
	dev->read_align = align ? align : 512;
}

int memdev_read(void *ctx, uint64_t offset, void *buf, size_t len)
{
	struct memdev *dev = ctx;
	uint64_t n = ++dev->reads;
	uint8_t *out = buf;

	if (len == 0 || offset % dev->read_align != 0 || len % dev->read_align != 0) {
		dev->misaligned++;
		fprintf(stderr, "read #%llu at %llu, %zu bytes: not aligned to %u\n",
		        (unsigned long long)n, (unsigned long long)offset, len,
		        (unsigned)dev->read_align);
		ts_fail(__FILE__, __LINE__, "the core promises aligned reads");
	}
	if (dev->fail_read_at != 0 &&
	    (n == dev->fail_read_at || (dev->fail_sticky && n > dev->fail_read_at))) {
		dev->failed_reads++;
		memset(buf, 0xEE, len); /* a failed read must not be trusted */
		return -1;
	}
	if (offset > dev->size || len > dev->size - offset) {
		dev->oob_reads++;
		return -1;
	}
	if (offset < dev->data_len) {
		uint64_t have = dev->data_len - offset < len ? dev->data_len - offset : len;
		memcpy(out, dev->data + offset, (size_t)have);
		memset(out + have, 0, len - (size_t)have);
	} else {
		memset(out, 0, len);
	}
	for (size_t i = 0; i < dev->npatches; i++) {
		const struct memdev_patch *p = &dev->patches[i];
		uint64_t lo = p->off > offset ? p->off : offset;
		uint64_t hi_p = p->off + p->len, hi_r = offset + len;
		uint64_t hi = hi_p < hi_r ? hi_p : hi_r;
		if (lo < hi)
			memcpy(out + (lo - offset), p->data + (lo - p->off), (size_t)(hi - lo));
	}
	dev->bytes_read += len;
	return 0;
}

/* Live blocks, for every memalloc of the process: pointer, size, owner. */
#define SLOTS (1u << 17)
#define SLOT_MASK (SLOTS - 1u)

static struct {
	uintptr_t key;
	size_t size;
	const struct memalloc *owner;
} slot[SLOTS];
static size_t slot_used;

static size_t slot_hash(uintptr_t k)
{
	uint64_t h = (uint64_t)k;
	h ^= h >> 29;
	h *= UINT64_C(0x9E3779B97F4A7C15);
	return (size_t)(h >> 40) & SLOT_MASK;
}

static size_t slot_find(uintptr_t k)
{
	size_t i = slot_hash(k);
	while (slot[i].key != 0 && slot[i].key != k)
		i = (i + 1) & SLOT_MASK;
	return i;
}

static void slot_delete(size_t i)
{
	size_t j = i;
	for (;;) {
		size_t h;
		j = (j + 1) & SLOT_MASK;
		if (slot[j].key == 0)
			break;
		h = slot_hash(slot[j].key);
		/* Move j back to i unless its home lies cyclically in (i, j]. */
		if ((i <= j) ? (h <= i || h > j) : (h <= i && h > j)) {
			slot[i] = slot[j];
			i = j;
		}
	}
	slot[i].key = 0;
	slot_used--;
}

void memalloc_init(struct memalloc *ma)
{
	memset(ma, 0, sizeof *ma);
}

void *memalloc_alloc(void *ctx, size_t size)
{
	struct memalloc *ma = ctx;
	uint64_t n = ++ma->allocs;
	void *p;
	size_t i;

	if (size > ma->largest)
		ma->largest = size;
	if (ma->fail_alloc_at != 0 &&
	    (n == ma->fail_alloc_at || (ma->fail_sticky && n > ma->fail_alloc_at))) {
		ma->failed_allocs++;
		return NULL;
	}
	if ((ma->limit != 0 && size > ma->limit) || (ma->cap != 0 && size > ma->cap - ma->bytes) ||
	    slot_used >= SLOTS / 2) {
		ma->refused++;
		return NULL;
	}
	p = malloc(size ? size : 1);
	TS_CHECK(p != NULL);
	/* Garbage, so a read of memory the core never wrote shows up. */
	memset(p, 0xA5, size);
	i = slot_find((uintptr_t)p);
	TS_CHECK(slot[i].key == 0);
	slot[i].key = (uintptr_t)p;
	slot[i].size = size;
	slot[i].owner = ma;
	slot_used++;
	ma->blocks++;
	ma->bytes += size;
	if (ma->bytes > ma->peak)
		ma->peak = ma->bytes;
	return p;
}

void memalloc_free(void *ctx, void *ptr, size_t size)
{
	struct memalloc *ma = ctx;
	size_t i;

	ma->frees++;
	if (ptr == NULL)
		ts_fail(__FILE__, __LINE__, "the core passed NULL to the free callback");
	i = slot_find((uintptr_t)ptr);
	if (slot[i].key == 0 || slot[i].owner != ma)
		ts_fail(__FILE__, __LINE__, "free of a block this allocator did not hand out");
	if (slot[i].size != size) {
		fprintf(stderr, "free: block of %zu bytes freed as %zu\n", slot[i].size, size);
		ts_fail(__FILE__, __LINE__, "free size differs from the size allocated");
	}
	slot_delete(i);
	memset(ptr, 0xDD, size);
	ma->blocks--;
	ma->bytes -= size;
	free(ptr);
}

void memalloc_expect(const struct memalloc *ma, size_t blocks, size_t bytes)
{
	if (ma->blocks != blocks || ma->bytes != bytes) {
		fprintf(stderr, "leak: %zu blocks / %zu bytes outstanding, expected %zu / %zu\n",
		        ma->blocks, ma->bytes, blocks, bytes);
		ts_fail(__FILE__, __LINE__, "allocations outstanding after close");
	}
}

void memdev_config(struct ntfs_config *cfg, struct memdev *dev, struct memalloc *ma)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->read = memdev_read;
	cfg->read_ctx = dev;
	cfg->alloc = memalloc_alloc;
	cfg->free = memalloc_free;
	cfg->alloc_ctx = ma;
	cfg->read_align = dev->read_align;
}
