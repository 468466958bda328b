/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The arena allocator (arena.c): 16-byte aligned blocks carved from a
 * caller buffer, an address-ordered free list that coalesces, and blocks
 * freed at the top returned to the bump pointer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"
#include "ondisk.h"

static _Alignas(16) unsigned char mem[4096];

static void alignment(void **state)
{
	struct ntfs_arena a;
	(void)state;

	ntfs_arena_init(&a, mem, sizeof mem);
	for (size_t sz = 1; sz < 100; sz += 7) {
		void *p = ntfs_arena_alloc(&a, sz);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
	}
	/* A misaligned buffer: blocks are still aligned and inside it. */
	for (size_t skew = 1; skew < 16; skew++) {
		unsigned char *p;
		ntfs_arena_init(&a, mem + skew, 256);
		p = ntfs_arena_alloc(&a, 1);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		assert_true(p >= mem + skew);
		/* 256 - skew bytes remain; at most 240 of them aligned. */
		while ((p = ntfs_arena_alloc(&a, 16)) != NULL) {
			assert_int_equal((uintptr_t)p % 16, 0);
			assert_true(p + 16 <= mem + skew + 256);
		}
	}
}

static void accounting(void **state)
{
	struct ntfs_arena a;
	void *p, *q, *r;
	(void)state;

	ntfs_arena_init(&a, mem, sizeof mem);
	assert_int_equal(a.in_use, 0);
	assert_int_equal(a.peak, 0);
	p = ntfs_arena_alloc(&a, 1); /* rounds to 16 */
	assert_int_equal(a.in_use, 16);
	q = ntfs_arena_alloc(&a, 17); /* rounds to 32 */
	assert_int_equal(a.in_use, 48);
	r = ntfs_arena_alloc(&a, 32);
	assert_int_equal(a.in_use, 80);
	assert_int_equal(a.peak, 80);
	/* Consecutive blocks are packed. */
	assert_ptr_equal((unsigned char *)q, (unsigned char *)p + 16);
	assert_ptr_equal((unsigned char *)r, (unsigned char *)q + 32);
	ntfs_arena_free(&a, q, 17);
	assert_int_equal(a.in_use, 48);
	assert_int_equal(a.peak, 80);
	ntfs_arena_free(&a, p, 1);
	ntfs_arena_free(&a, r, 32);
	assert_int_equal(a.in_use, 0);
	assert_int_equal(a.peak, 80);
	/* NULL is accepted and changes nothing. */
	ntfs_arena_free(&a, NULL, 64);
	assert_int_equal(a.in_use, 0);
}

static void exhaustion(void **state)
{
	struct ntfs_arena a;
	void *p;
	(void)state;

	ntfs_arena_init(&a, mem, 256);
	assert_null(ntfs_arena_alloc(&a, 257));
	assert_null(ntfs_arena_alloc(&a, SIZE_MAX));
	assert_null(ntfs_arena_alloc(&a, SIZE_MAX - 5));
	p = ntfs_arena_alloc(&a, 256);
	assert_ptr_equal(p, mem);
	assert_null(ntfs_arena_alloc(&a, 1));
	assert_int_equal(a.in_use, 256);
	ntfs_arena_free(&a, p, 256);
	assert_non_null(ntfs_arena_alloc(&a, 256));
	/* Too small for even one block. */
	ntfs_arena_init(&a, mem, 8);
	assert_null(ntfs_arena_alloc(&a, 1));
	ntfs_arena_init(&a, mem + 1, 16);
	assert_null(ntfs_arena_alloc(&a, 1));
}

static void reuse(void **state)
{
	struct ntfs_arena a;
	void *x, *y, *z, *w;
	(void)state;

	ntfs_arena_init(&a, mem, sizeof mem);
	x = ntfs_arena_alloc(&a, 64);
	y = ntfs_arena_alloc(&a, 64);
	(void)y;
	ntfs_arena_free(&a, x, 64);
	/* Same size: same place. */
	assert_ptr_equal(ntfs_arena_alloc(&a, 64), x);
	/* A smaller block splits a free one; the rest stays usable. */
	ntfs_arena_free(&a, x, 64);
	z = ntfs_arena_alloc(&a, 16);
	assert_ptr_equal(z, x);
	w = ntfs_arena_alloc(&a, 48);
	assert_ptr_equal(w, (unsigned char *)x + 16);
}

static void coalesce(void **state)
{
	struct ntfs_arena a;
	unsigned char *p1, *p2, *p3, *p4;
	(void)state;

	/* Free b then a: a merges with its following neighbour. */
	ntfs_arena_init(&a, mem, sizeof mem);
	p1 = ntfs_arena_alloc(&a, 32);
	p2 = ntfs_arena_alloc(&a, 32);
	p3 = ntfs_arena_alloc(&a, 32);
	ntfs_arena_free(&a, p2, 32);
	ntfs_arena_free(&a, p1, 32);
	assert_ptr_equal(ntfs_arena_alloc(&a, 64), p1);
	(void)p3;

	/* Free a then b: b merges into its preceding neighbour. */
	ntfs_arena_init(&a, mem, sizeof mem);
	p1 = ntfs_arena_alloc(&a, 32);
	p2 = ntfs_arena_alloc(&a, 32);
	p3 = ntfs_arena_alloc(&a, 32);
	ntfs_arena_free(&a, p1, 32);
	ntfs_arena_free(&a, p2, 32);
	assert_ptr_equal(ntfs_arena_alloc(&a, 64), p1);

	/* Free a, c, then b: all three merge. */
	ntfs_arena_init(&a, mem, sizeof mem);
	p1 = ntfs_arena_alloc(&a, 32);
	p2 = ntfs_arena_alloc(&a, 32);
	p3 = ntfs_arena_alloc(&a, 32);
	p4 = ntfs_arena_alloc(&a, 32);
	ntfs_arena_free(&a, p1, 32);
	ntfs_arena_free(&a, p3, 32);
	ntfs_arena_free(&a, p2, 32);
	assert_ptr_equal(ntfs_arena_alloc(&a, 96), p1);
	(void)p4;

	/* Non-adjacent free blocks do not merge. */
	ntfs_arena_init(&a, mem, sizeof mem);
	p1 = ntfs_arena_alloc(&a, 32);
	p2 = ntfs_arena_alloc(&a, 32);
	p3 = ntfs_arena_alloc(&a, 32);
	p4 = ntfs_arena_alloc(&a, 32);
	ntfs_arena_free(&a, p1, 32);
	ntfs_arena_free(&a, p3, 32);
	assert_ptr_equal(ntfs_arena_alloc(&a, 64), p4 + 32);
	(void)p2;
}

static void free_at_top(void **state)
{
	struct ntfs_arena a;
	void *p, *q;
	(void)state;

	ntfs_arena_init(&a, mem, 128);
	p = ntfs_arena_alloc(&a, 64);
	q = ntfs_arena_alloc(&a, 64);
	assert_int_equal(a.top, 128);
	ntfs_arena_free(&a, q, 64);
	assert_int_equal(a.top, 64);
	assert_null(a.free_list);
	/* Freeing below the top keeps it on the list until the top joins. */
	q = ntfs_arena_alloc(&a, 64);
	ntfs_arena_free(&a, p, 64);
	assert_int_equal(a.top, 128);
	assert_non_null(a.free_list);
	ntfs_arena_free(&a, q, 64);
	assert_int_equal(a.top, 0);
	assert_null(a.free_list);
	assert_ptr_equal(ntfs_arena_alloc(&a, 128), mem);
}

/* Many allocations and frees in a fixed pseudo-random order: blocks never
 * overlap (each keeps its fill pattern) and everything comes back. */
static void stress(void **state)
{
	struct ntfs_arena a;
	struct {
		unsigned char *p;
		size_t size;
		unsigned char fill;
	} blk[64] = {{0}};
	uint32_t rng = 12345;
	(void)state;

	ntfs_arena_init(&a, mem, sizeof mem);
	for (int step = 0; step < 20000; step++) {
		size_t i;
		rng = rng * 1103515245u + 12345u;
		i = (rng >> 16) % 64;
		if (blk[i].p != NULL) {
			for (size_t k = 0; k < blk[i].size; k++)
				assert_int_equal(blk[i].p[k], blk[i].fill);
			ntfs_arena_free(&a, blk[i].p, blk[i].size);
			blk[i].p = NULL;
		} else {
			size_t size = 1 + (rng >> 8) % 200;
			unsigned char *p = ntfs_arena_alloc(&a, size);
			if (p == NULL)
				continue;
			assert_int_equal((uintptr_t)p % 16, 0);
			assert_true(p >= mem && p + size <= mem + sizeof mem);
			blk[i].p = p;
			blk[i].size = size;
			blk[i].fill = (unsigned char)step;
			memset(p, blk[i].fill, size);
		}
	}
	for (size_t i = 0; i < 64; i++) {
		if (blk[i].p == NULL)
			continue;
		for (size_t k = 0; k < blk[i].size; k++)
			assert_int_equal(blk[i].p[k], blk[i].fill);
		ntfs_arena_free(&a, blk[i].p, blk[i].size);
	}
	assert_int_equal(a.in_use, 0);
	assert_int_equal(a.top, 0);
	assert_null(a.free_list);
	assert_ptr_equal(ntfs_arena_alloc(&a, sizeof mem), mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(alignment),  cmocka_unit_test(accounting),
	        cmocka_unit_test(exhaustion), cmocka_unit_test(reuse),
	        cmocka_unit_test(coalesce),   cmocka_unit_test(free_at_top),
	        cmocka_unit_test(stress),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
