/* SPDX-License-Identifier: BSD-2-Clause */
#include "memdev.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

void memdev_init(struct memdev *dev, const void *data, uint64_t size, uint32_t align)
{
	memset(dev, 0, sizeof *dev);
	dev->data = data;
	dev->size = size;
	dev->read_align = align ? align : 512;
}

int memdev_read(void *ctx, uint64_t offset, void *buf, size_t len)
{
	struct memdev *dev = ctx;
	uint64_t n = ++dev->reads;

	if (len == 0 || offset % dev->read_align != 0 || len % dev->read_align != 0) {
		dev->misaligned++;
		fail_msg("read #%llu at %llu, %zu bytes: not aligned to %u", (unsigned long long)n,
		         (unsigned long long)offset, len, (unsigned)dev->read_align);
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
	memcpy(buf, dev->data + offset, len);
	dev->bytes_read += len;
	return 0;
}

/* Every block carries a header: a magic word, the size asked, and a check
 * word, so free() can verify both the pointer and the size. */
#define MA_MAGIC 0x6E746673616C6C63ull /* "ntfsallc" */
#define MA_DEAD 0x6465616466726565ull  /* "deadfree" */

struct ma_header {
	uint64_t magic;
	uint64_t size;
};
_Static_assert(sizeof(struct ma_header) % 16 == 0, "header keeps 16-byte alignment");

void memalloc_init(struct memalloc *ma)
{
	memset(ma, 0, sizeof *ma);
}

void *memalloc_alloc(void *ctx, size_t size)
{
	struct memalloc *ma = ctx;
	uint64_t n = ++ma->allocs;
	struct ma_header *h;

	if (size > ma->largest)
		ma->largest = size;
	if (ma->fail_alloc_at != 0 &&
	    (n == ma->fail_alloc_at || (ma->fail_sticky && n > ma->fail_alloc_at))) {
		ma->failed_allocs++;
		return NULL;
	}
	if (ma->limit != 0 && size > ma->limit)
		return NULL;
	if (size > SIZE_MAX - sizeof *h)
		return NULL;
	h = malloc(sizeof *h + size);
	if (h == NULL)
		return NULL;
	h->magic = MA_MAGIC;
	h->size = size;
	/* Garbage, so a read of memory the core never wrote shows up. */
	memset(h + 1, 0xA5, size);
	ma->blocks++;
	ma->bytes += size;
	if (ma->bytes > ma->peak)
		ma->peak = ma->bytes;
	return h + 1;
}

void memalloc_free(void *ctx, void *ptr, size_t size)
{
	struct memalloc *ma = ctx;
	struct ma_header *h;

	ma->frees++;
	if (ptr == NULL) {
		ma->bad_frees++;
		fail_msg("free(NULL, %zu): the core must not pass NULL to the callback", size);
	}
	h = (struct ma_header *)ptr - 1;
	if (h->magic != MA_MAGIC) {
		ma->bad_frees++;
		fail_msg("free(%p, %zu): not a live block (double free?)", ptr, size);
	}
	if (h->size != size) {
		ma->bad_frees++;
		fail_msg("free(%p, %zu): block was allocated with %llu bytes", ptr, size,
		         (unsigned long long)h->size);
	}
	h->magic = MA_DEAD;
	memset(h + 1, 0xDD, size);
	ma->blocks--;
	ma->bytes -= size;
	free(h);
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
