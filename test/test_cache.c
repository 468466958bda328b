/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The block cache (src/blockdev/cache.c) over a fake device that counts
 * and logs its reads: a table of access patterns, each row the reads the
 * caller makes and the device reads that must follow; then whole volumes
 * mounted and walked through the cache, which must give the bytes the
 * bare device gives, with fewer device reads.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <ntfs/cache.h>

#include "image.h"
#include "memdev.h"

#define BS 512u
#define DEV_BLOCKS 64u

/* A device of DEV_BLOCKS * BS bytes (or fewer): byte i reads as i * 7 + 3
 * (mod 256) of its offset, so a misplaced byte shows. */
struct fake {
	uint64_t size;
	uint32_t align;
	uint64_t fail_block; /* fail a read touching this BS block; UINT64_MAX: never */
	unsigned nlog;
	struct {
		uint64_t off;
		size_t len;
	} log[64];
};

static uint8_t pattern(uint64_t off)
{
	return (uint8_t)(off * 7u + 3u);
}

static int fake_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct fake *f = ctx;
	uint8_t *p = buf;

	/* The cache promises the inner device its alignment. */
	assert_int_equal(off % f->align, 0);
	assert_int_equal(len % f->align, 0);
	if (f->nlog < 64) {
		f->log[f->nlog].off = off;
		f->log[f->nlog].len = len;
	}
	f->nlog++;
	if (off > f->size || len > f->size - off)
		return -1;
	if (f->fail_block != UINT64_MAX && off / BS <= f->fail_block &&
	    (off + len - 1) / BS >= f->fail_block)
		return -1;
	for (size_t i = 0; i < len; i++)
		p[i] = pattern(off + i);
	return 0;
}

/* One caller read. */
struct op {
	uint64_t off;
	uint32_t len;
	int ret; /* 0 or -1 */
};

/* One device read the cache must make, in order. */
struct dread {
	uint64_t off;
	uint32_t len;
};

#define MAX_OPS 24
#define END_OPS                                                                                    \
	{                                                                                          \
		0, 0, 1                                                                            \
	}

struct pattern_case {
	const char *name;
	uint32_t slots;
	uint32_t align;      /* the device's */
	uint64_t dev_size;   /* 0: DEV_BLOCKS * BS */
	uint64_t fail_block; /* 0: never (block 0 never fails in a row) */
	struct op ops[MAX_OPS];
	struct dread want[MAX_OPS]; /* ends at len 0 */
	uint64_t hits, misses;
};

/* Blocks: B(n) is block n's offset. */
#define B(n) ((uint64_t)(n)*BS)

static const struct pattern_case cases[] = {
        {"miss then hit",
         4,
         512,
         0,
         0,
         {{B(3), 512, 0}, {B(3), 512, 0}, {B(3) + 100, 12, 0}, END_OPS},
         {{B(3), 512}},
         2,
         1},
        {"small reads in one block read the device once",
         4,
         1,
         0,
         0,
         {{B(5) + 1, 3, 0}, {B(5) + 200, 300, 0}, {B(5) + 511, 1, 0}, END_OPS},
         {{B(5), 512}},
         2,
         1},
        {"an unaligned span across three blocks",
         4,
         512,
         0,
         0,
         {{B(10) + 500, 600, 0}, END_OPS},
         {{B(10), 512}, {B(11), 512}, {B(12), 512}},
         0,
         3},
        {"LRU: the least recently used block goes first",
         2,
         512,
         0,
         0,
         {{B(1), 512, 0},
          {B(20), 512, 0},
          {B(1), 512, 0},  /* hit: now 20 is the least recent */
          {B(40), 512, 0}, /* evicts 20 */
          {B(1), 512, 0},  /* hit */
          {B(20), 512, 0}, /* miss again */
          END_OPS},
         {{B(1), 512}, {B(20), 512}, {B(40), 512}, {B(20), 512}},
         2,
         4},
        {"LRU order over eight slots",
         8,
         512,
         0,
         0,
         {{B(0), 512, 0},
          {B(2), 512, 0},
          {B(4), 512, 0},
          {B(6), 512, 0},
          {B(8), 512, 0},
          {B(10), 512, 0},
          {B(12), 512, 0},
          {B(14), 512, 0}, /* full, 0 the least recent */
          {B(16), 512, 0}, /* evicts 0 */
          {B(2), 512, 0},  /* hit */
          {B(0), 512, 0},  /* miss: evicts 4 */
          {B(4), 512, 0},  /* miss: evicts 6 */
          {B(8), 512, 0},  /* hit */
          END_OPS},
         {{B(0), 512},
          {B(2), 512},
          {B(4), 512},
          {B(6), 512},
          {B(8), 512},
          {B(10), 512},
          {B(12), 512},
          {B(14), 512},
          {B(16), 512},
          {B(0), 512},
          {B(4), 512}},
         2,
         11},
        {"a block used twice outlives a one-pass scan",
         4,
         512,
         0,
         0,
         {{B(1), 512, 0},
          {B(1), 512, 0}, /* protected */
          {B(10), 512, 0},
          {B(12), 512, 0},
          {B(14), 512, 0},
          {B(16), 512, 0},
          {B(18), 512, 0},
          {B(1), 512, 0}, /* still there */
          END_OPS},
         {{B(1), 512}, {B(10), 512}, {B(12), 512}, {B(14), 512}, {B(16), 512}, {B(18), 512}},
         2,
         6},
        {"two whole blocks bypass the slots",
         4,
         512,
         0,
         0,
         {{B(8), 1024, 0}, {B(8), 512, 0}, END_OPS},
         {{B(8), 1024}, {B(8), 512}},
         0,
         1},
        {"a large unaligned read: head and tail through slots, the middle direct",
         4,
         512,
         0,
         0,
         {{B(4) + 256, 4 * 512, 0}, {B(8) + 10, 10, 0}, END_OPS},
         {{B(4), 512}, {B(5), 1536}, {B(8), 512}},
         1,
         2},
        {"sequential misses read ahead",
         8,
         512,
         0,
         0,
         {{B(30), 512, 0},
          {B(31), 512, 0},
          {B(32), 512, 0},
          {B(33), 100, 0},
          {B(34), 512, 0},
          {B(32), 512, 0}, /* the second run did not take the first's slots */
          END_OPS},
         {{B(30), 512}, {B(31), 1024}, {B(33), 1024}},
         3,
         3},
        {"the last block, whole",
         4,
         512,
         B(DEV_BLOCKS),
         0,
         {{B(DEV_BLOCKS - 1), 512, 0}, {B(DEV_BLOCKS - 1) + 511, 1, 0}, END_OPS},
         {{B(DEV_BLOCKS - 1), 512}},
         1,
         1},
        {"past the end fails",
         4,
         512,
         B(DEV_BLOCKS),
         0,
         {{B(DEV_BLOCKS), 512, -1}, {B(DEV_BLOCKS - 1) + 500, 24, -1}, END_OPS},
         {{B(DEV_BLOCKS), 512}, {B(DEV_BLOCKS - 1), 512}, {B(DEV_BLOCKS), 512}},
         0,
         3},
        {"a failing read is not cached",
         4,
         512,
         0,
         9,
         {{B(9), 512, -1}, {B(9), 512, -1}, {B(8), 512, 0}, END_OPS},
         {{B(9), 512}, {B(9), 512}, {B(8), 512}},
         0,
         3},
        {"a failing large read", 4, 512, 0, 9, {{B(8), 2048, -1}, END_OPS}, {{B(8), 2048}}, 0, 0},
        {"a read ending at 2^64 - 1 is refused, not wrapped",
         4,
         1,
         0,
         0,
         {{UINT64_MAX - 10, 20, -1}, {UINT64_MAX, 1, -1}, END_OPS},
         {{(UINT64_MAX / BS) * BS, 512}, {UINT64_MAX, 1}},
         0,
         1},
};

/* A device whose size is not a multiple of the block: a 2048-byte-block
 * cache over a 512-aligned device of 5 * 512 bytes must read the last,
 * short block in the aligned part asked for. */
static void device_end_partial_block(void **state)
{
	static unsigned char mem[NTFS_CACHE_MEM(4, 2048)];
	struct ntfs_cache c;
	struct fake f = {.size = 5 * 512, .align = 512, .fail_block = UINT64_MAX};
	unsigned char buf[512];

	(void)state;
	assert_int_equal(ntfs_cache_init(&c, mem, sizeof mem, 2048, fake_read, &f, 512), NTFS_OK);
	assert_int_equal(ntfs_cache_read(&c, 4 * 512, buf, 512), 0);
	for (unsigned i = 0; i < 512; i++)
		assert_int_equal(buf[i], pattern(4 * 512 + i));
	/* The whole block (2048..4095) failed; then 2048..2559 alone. */
	assert_int_equal(f.nlog, 2);
	assert_int_equal(f.log[0].off, 2048);
	assert_int_equal(f.log[0].len, 2048);
	assert_int_equal(f.log[1].off, 2048);
	assert_int_equal(f.log[1].len, 512);
	/* Nothing of it was kept: the next read goes to the device again. */
	assert_int_equal(ntfs_cache_read(&c, 4 * 512 + 8, buf, 8), 0);
	assert_int_equal(f.nlog, 4);
	assert_int_equal(buf[0], pattern(4 * 512 + 8));
	/* Past the end fails. */
	assert_int_equal(ntfs_cache_read(&c, 5 * 512, buf, 512), -1);
}

static void run_case(const struct pattern_case *pc)
{
	size_t mem_size = ntfs_cache_mem_size(pc->slots, BS);
	unsigned char *mem = malloc(mem_size + 1);
	unsigned char buf[4096];
	struct ntfs_cache c;
	struct fake f = {.size = pc->dev_size ? pc->dev_size : UINT64_MAX,
	                 .align = pc->align,
	                 .fail_block = pc->fail_block ? pc->fail_block : UINT64_MAX};
	unsigned nwant = 0;

	assert_non_null(mem);
	/* An odd address: the cache aligns its records itself. */
	assert_int_equal(ntfs_cache_init(&c, mem + 1, mem_size, BS, fake_read, &f, pc->align),
	                 NTFS_OK);
	assert_int_equal(ntfs_cache_slots(&c), pc->slots);
	for (const struct op *o = pc->ops; o->ret != 1; o++) {
		assert_true(o->len <= sizeof buf);
		memset(buf, 0xEE, sizeof buf);
		if (ntfs_cache_read(&c, o->off, buf, o->len) != o->ret)
			fail_msg("%s: read %" PRIu64 "+%u did not return %d", pc->name, o->off,
			         o->len, o->ret);
		if (o->ret == 0)
			for (uint32_t i = 0; i < o->len; i++)
				if (buf[i] != pattern(o->off + i))
					fail_msg("%s: byte %u of read %" PRIu64 "+%u is wrong",
					         pc->name, i, o->off, o->len);
	}
	while (pc->want[nwant].len != 0)
		nwant++;
	if (f.nlog != nwant) {
		for (unsigned i = 0; i < f.nlog && i < 64; i++)
			print_message("  device read %" PRIu64 "+%zu\n", f.log[i].off,
			              f.log[i].len);
		fail_msg("%s: %u device reads, want %u", pc->name, f.nlog, nwant);
	}
	for (unsigned i = 0; i < nwant; i++)
		if (f.log[i].off != pc->want[i].off || f.log[i].len != pc->want[i].len)
			fail_msg("%s: device read %u is %" PRIu64 "+%zu, want %" PRIu64 "+%u",
			         pc->name, i, f.log[i].off, f.log[i].len, pc->want[i].off,
			         pc->want[i].len);
	if (c.stats.hits != pc->hits || c.stats.misses != pc->misses)
		fail_msg("%s: %" PRIu64 " hits, %" PRIu64 " misses; want %" PRIu64 ", %" PRIu64,
		         pc->name, c.stats.hits, c.stats.misses, pc->hits, pc->misses);
	assert_int_equal(c.stats.device_reads, f.nlog);
	free(mem);
}

static void access_patterns(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		run_case(&cases[i]);
}

static void init_checks(void **state)
{
	static unsigned char mem[NTFS_CACHE_MEM(3, 4096)];
	struct ntfs_cache c;
	struct fake f = {.size = UINT64_MAX, .align = 512, .fail_block = UINT64_MAX};

	(void)state;
	/* NTFS_CACHE_MEM(n) bytes give exactly n slots, one byte less n - 1. */
	assert_int_equal(ntfs_cache_init(&c, mem, sizeof mem, 4096, fake_read, &f, 0), NTFS_OK);
	assert_int_equal(ntfs_cache_slots(&c), 3);
	assert_int_equal(ntfs_cache_init(&c, mem, sizeof mem - 1, 4096, fake_read, &f, 0), NTFS_OK);
	assert_int_equal(ntfs_cache_slots(&c), 2);
	assert_int_equal(ntfs_cache_mem_size(3, 4096), sizeof mem);
	assert_int_equal(sizeof mem, 3 * (4096 + 28) + 16);
	assert_int_equal(ntfs_cache_mem_size(UINT32_MAX, NTFS_CACHE_BLOCK_MAX),
	                 sizeof(size_t) > 4 ? NTFS_CACHE_MEM(UINT32_MAX, NTFS_CACHE_BLOCK_MAX) : 0);
	/* Bad arguments. */
	assert_int_equal(
	        ntfs_cache_init(&c, mem, NTFS_CACHE_MEM(1, 4096) - 1, 4096, fake_read, &f, 512),
	        NTFS_ERR_INVALID);
	assert_int_equal(ntfs_cache_init(&c, mem, sizeof mem, 3000, fake_read, &f, 512),
	                 NTFS_ERR_INVALID);
	assert_int_equal(ntfs_cache_init(&c, mem, sizeof mem, 256, fake_read, &f, 256),
	                 NTFS_ERR_INVALID);
	assert_int_equal(ntfs_cache_init(&c, mem, sizeof mem, 4096, fake_read, &f, 8192),
	                 NTFS_ERR_INVALID);
	assert_int_equal(ntfs_cache_init(&c, mem, sizeof mem, 4096, fake_read, &f, 24),
	                 NTFS_ERR_INVALID);
	assert_int_equal(ntfs_cache_init(&c, NULL, sizeof mem, 4096, fake_read, &f, 512),
	                 NTFS_ERR_INVALID);
	assert_int_equal(ntfs_cache_init(&c, mem, sizeof mem, 4096, NULL, &f, 512),
	                 NTFS_ERR_INVALID);
	/* A one-slot cache still works (no protection, no read-ahead). */
	assert_int_equal(
	        ntfs_cache_init(&c, mem, NTFS_CACHE_MEM(1, 4096), 4096, fake_read, &f, 512),
	        NTFS_OK);
	{
		unsigned char b[16];

		for (unsigned i = 0; i < 3; i++) {
			assert_int_equal(ntfs_cache_read(&c, 8192 * (i % 2) + 5, b, sizeof b), 0);
			assert_int_equal(b[0], pattern(8192 * (i % 2) + 5));
		}
		assert_int_equal(f.nlog, 3);
		assert_int_equal(ntfs_cache_read(&c, 5 + 16, b, sizeof b), 0);
		assert_int_equal(f.nlog, 3); /* the block read last: a hit */
		ntfs_cache_clear(&c);
		assert_int_equal(ntfs_cache_read(&c, 5 + 16, b, sizeof b), 0);
		assert_int_equal(f.nlog, 4);
	}
}

/* FNV-1a over everything a walk sees. */
static void mix(uint64_t *h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		*h = (*h ^ b[i]) * UINT64_C(0x100000001b3);
}

/* List every directory from the root (explicit stack, bounded), hashing
 * names and references, and read every file's unnamed stream. */
static uint64_t walk_volume(const struct ntfs_config *cfg)
{
	enum {
		MAX_DIRS = 4096
	};
	static uint64_t stack[MAX_DIRS];
	static unsigned char data[65536];
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	size_t top = 0, visited = 0;
	ntfs_volume *vol;
	ntfs_file *root;
	struct ntfs_stat st;

	assert_int_equal(ntfs_mount(cfg, &vol), NTFS_OK);
	assert_int_equal(ntfs_path_open(vol, "/", &root), NTFS_OK);
	assert_int_equal(ntfs_file_stat(root, &st), NTFS_OK);
	ntfs_file_close(root);
	stack[top++] = st.ref;
	while (top > 0 && visited++ < MAX_DIRS) {
		uint64_t ref = stack[--top];
		struct ntfs_dirent ent;
		ntfs_file *dir;
		ntfs_dir *cur;
		int r;

		assert_int_equal(ntfs_file_open(vol, ref, &dir), NTFS_OK);
		assert_int_equal(ntfs_dir_open(dir, 0, &cur), NTFS_OK);
		while ((r = ntfs_dir_next(cur, &ent)) != 0) {
			ntfs_file *f;
			ntfs_stream *s;

			mix(&h, &r, sizeof r);
			if (r < 0)
				continue;
			mix(&h, ent.name, ent.name_len);
			mix(&h, &ent.ref, sizeof ent.ref);
			/* Records 0-23 are NTFS's own: leave $Extend and friends. */
			if ((ent.ref & UINT64_C(0xffffffffffff)) < 24)
				continue;
			if (ent.is_dir) {
				if (top < MAX_DIRS)
					stack[top++] = ent.ref;
				continue;
			}
			if (ntfs_file_open(vol, ent.ref, &f) != NTFS_OK)
				continue;
			if (ntfs_stream_open(f, NULL, &s) == NTFS_OK) {
				uint64_t size = ntfs_stream_size(s), off = 0;

				/* Odd chunk sizes: spans that start and end inside blocks. */
				for (size_t chunk = 1000; off < size && off < (8u << 20);
				     chunk = chunk * 3 % 65521 + 1) {
					size_t got = 0;

					r = ntfs_stream_read(s, off, data, chunk, &got);
					mix(&h, &r, sizeof r);
					if (r != NTFS_OK || got == 0)
						break;
					mix(&h, data, got);
					off += got;
				}
				ntfs_stream_close(s);
			}
			ntfs_file_close(f);
		}
		ntfs_dir_close(cur);
		ntfs_file_close(dir);
	}
	ntfs_unmount(vol);
	return h;
}

static void volumes_through_the_cache(void **state)
{
	char names[64][128];
	size_t n = timage_list(names, 64);

	(void)state;
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		struct timage img;
		struct memdev bare, under;
		struct memalloc ma;
		struct ntfs_config cfg;
		struct ntfs_cache c;
		size_t mem_size = NTFS_CACHE_MEM(64, 4096);
		void *mem = malloc(mem_size);
		uint64_t h_bare, h_cached;

		assert_non_null(mem);
		timage_open(&img, names[i]);
		memdev_init(&bare, img.data, img.size, 512);
		memalloc_init(&ma);
		memdev_config(&cfg, &bare, &ma);
		h_bare = walk_volume(&cfg);

		memdev_init(&under, img.data, img.size, 512);
		memalloc_init(&ma);
		memdev_config(&cfg, &under, &ma);
		assert_int_equal(ntfs_cache_init(&c, mem, mem_size, 4096, memdev_read, &under, 512),
		                 NTFS_OK);
		cfg.read = ntfs_cache_read;
		cfg.read_ctx = &c;
		h_cached = walk_volume(&cfg);
		print_message("%-16s bare %8" PRIu64 " reads; cached %8" PRIu64 " reads (%" PRIu64
		              " hits, %" PRIu64 " misses, %" PRIu64 " read ahead)\n",
		              names[i], bare.reads, under.reads, c.stats.hits, c.stats.misses,
		              c.stats.readahead);
		if (h_bare != h_cached)
			fail_msg("%s: the walk through the cache saw other bytes", names[i]);
		assert_int_equal(under.reads, c.stats.device_reads);
		assert_int_equal(under.misaligned, 0);
		if (under.reads >= bare.reads)
			fail_msg("%s: %" PRIu64 " device reads through the cache, %" PRIu64
			         " without",
			         names[i], under.reads, bare.reads);
		timage_close(&img);
		free(mem);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(init_checks),
	        cmocka_unit_test(access_patterns),
	        cmocka_unit_test(device_end_partial_block),
	        cmocka_unit_test(volumes_through_the_cache),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
