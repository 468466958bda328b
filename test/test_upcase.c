/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * $UpCase (upcase.c): lookup over range tables filled in by hand must
 * reproduce a reference upcase function for all 65536 units, and the
 * builder fed that function's table, in pieces of any even size, must
 * produce those same ranges.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"
#include "ondisk.h"

#define NEG(n) ((uint16_t)(0x10000u - (n)))

/* The ranges of a small synthetic table (sorted by first unit). */
static struct ntfsi_upcase_range ranges[] = {
        {0x0061, 0x007A, NEG(32), 1}, /* a-z -> A-Z */
        {0x00E0, 0x00F6, NEG(32), 1}, /* à-ö -> À-Ö */
        {0x00F8, 0x00FE, NEG(32), 1}, /* ø-þ -> Ø-Þ */
        {0x00FF, 0x00FF, 0x0079, 1},  /* ÿ -> Ÿ (U+0178) */
        {0x0101, 0x012F, NEG(1), 2},  /* Latin Extended-A pairs: ā -> Ā ... */
        {0x03B1, 0x03C1, NEG(32), 1}, /* α-ρ -> Α-Ρ */
        {0x03C3, 0x03CB, NEG(32), 1}, /* σ-ϋ -> Σ-Ϋ */
        {0x0430, 0x044F, NEG(32), 1}, /* а-я -> А-Я */
        {0x0450, 0x045F, NEG(80), 1}, /* ѐ-џ -> Ѐ-Џ */
        {0xFF41, 0xFF5A, NEG(32), 1}, /* fullwidth a-z */
};

/* The same mapping written out plainly. */
static uint16_t reference(uint32_t c)
{
	if ((c >= 0x61 && c <= 0x7A) || (c >= 0xE0 && c <= 0xF6) || (c >= 0xF8 && c <= 0xFE))
		return (uint16_t)(c - 32);
	if (c == 0xFF)
		return 0x0178;
	if (c >= 0x0101 && c <= 0x012F && (c & 1))
		return (uint16_t)(c - 1);
	if ((c >= 0x03B1 && c <= 0x03C1) || (c >= 0x03C3 && c <= 0x03CB))
		return (uint16_t)(c - 32);
	if (c >= 0x0430 && c <= 0x044F)
		return (uint16_t)(c - 32);
	if (c >= 0x0450 && c <= 0x045F)
		return (uint16_t)(c - 80);
	if (c >= 0xFF41 && c <= 0xFF5A)
		return (uint16_t)(c - 32);
	return (uint16_t)c;
}

static struct ntfsi_upcase up;

static int setup(void **state)
{
	(void)state;
	up.ranges = ranges;
	up.count = sizeof ranges / sizeof ranges[0];
	up.cap = up.count;
	return 0;
}

static void lookup_all(void **state)
{
	(void)state;
	for (uint32_t c = 0; c < 0x10000; c++)
		if (ntfsi_upcase_map(&up, (uint16_t)c) != reference(c))
			fail_msg("U+%04X: got U+%04X, want U+%04X", (unsigned)c,
			         ntfsi_upcase_map(&up, (uint16_t)c), reference(c));
}

static void lookup_examples(void **state)
{
	(void)state;
	assert_int_equal(ntfsi_upcase_map(&up, 'a'), 'A');
	assert_int_equal(ntfsi_upcase_map(&up, 'z'), 'Z');
	assert_int_equal(ntfsi_upcase_map(&up, 'A'), 'A');
	assert_int_equal(ntfsi_upcase_map(&up, '{'), '{');
	assert_int_equal(ntfsi_upcase_map(&up, 0x00F7), 0x00F7); /* ÷ */
	assert_int_equal(ntfsi_upcase_map(&up, 0x0101), 0x0100);
	assert_int_equal(ntfsi_upcase_map(&up, 0x0100), 0x0100);
	assert_int_equal(ntfsi_upcase_map(&up, 0x012F), 0x012E);
	assert_int_equal(ntfsi_upcase_map(&up, 0x0131), 0x0131); /* past the pairs */
	assert_int_equal(ntfsi_upcase_map(&up, 0x03C2), 0x03C2); /* final sigma: not in table */
	assert_int_equal(ntfsi_upcase_map(&up, 0x044F), 0x042F); /* я -> Я */
	assert_int_equal(ntfsi_upcase_map(&up, 0xFF5A), 0xFF3A);
	assert_int_equal(ntfsi_upcase_map(&up, 0xFFFF), 0xFFFF);
	assert_int_equal(ntfsi_upcase_map(&up, 0), 0);
}

static void empty_table(void **state)
{
	struct ntfsi_upcase v = {NULL, 0, 0};
	(void)state;
	for (uint32_t c = 0; c < 0x10000; c += 37)
		assert_int_equal(ntfsi_upcase_map(&v, (uint16_t)c), c);
	assert_int_equal(ntfsi_upcase_map(&v, 'a'), 'a');
}

static void range_at_zero_and_top(void **state)
{
	/* Ranges at both ends of the unit space; the delta wraps mod 2^16. */
	static struct ntfsi_upcase_range r[] = {
	        {0x0000, 0x0003, 0x0010, 1},
	        {0xFFF0, 0xFFFF, 0x0020, 2},
	};
	struct ntfsi_upcase v = {r, 2, 2};
	(void)state;
	assert_int_equal(ntfsi_upcase_map(&v, 0), 0x10);
	assert_int_equal(ntfsi_upcase_map(&v, 3), 0x13);
	assert_int_equal(ntfsi_upcase_map(&v, 4), 4);
	assert_int_equal(ntfsi_upcase_map(&v, 0xFFEF), 0xFFEF);
	assert_int_equal(ntfsi_upcase_map(&v, 0xFFF0), 0x0010);
	assert_int_equal(ntfsi_upcase_map(&v, 0xFFF1), 0xFFF1);
	assert_int_equal(ntfsi_upcase_map(&v, 0xFFFE), 0x001E);
	assert_int_equal(ntfsi_upcase_map(&v, 0xFFFF), 0xFFFF);
}

static void *heap_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return malloc(size);
}

static void heap_free(void *ctx, void *ptr, size_t size)
{
	(void)ctx;
	(void)size;
	free(ptr);
}

/* The table reference() describes, fed in pieces of every even size, must
 * come back unit for unit from the ranges built. */
static void build_from_table(void **state)
{
	static const size_t pieces[] = {2, 6, 512, 4096, 131072};
	static uint8_t table[NTFSI_UPCASE_BYTES];
	(void)state;

	for (uint32_t c = 0; c < 65536; c++) {
		table[2 * c] = (uint8_t)reference(c);
		table[2 * c + 1] = (uint8_t)(reference(c) >> 8);
	}
	for (size_t p = 0; p < sizeof pieces / sizeof pieces[0]; p++) {
		struct ntfsi_upcase_builder b;
		ntfs_volume *v = calloc(1, sizeof *v);

		assert_non_null(v);
		v->cfg.alloc = heap_alloc;
		v->cfg.free = heap_free;
		assert_int_equal(ntfsi_upcase_start(v, &b), NTFS_OK);
		for (size_t off = 0; off < sizeof table; off += pieces[p]) {
			size_t n = sizeof table - off < pieces[p] ? sizeof table - off : pieces[p];
			assert_int_equal(ntfsi_upcase_feed(v, &b, table + off, n), NTFS_OK);
		}
		assert_int_equal(ntfsi_upcase_finish(v, &b), NTFS_OK);
		assert_int_equal(v->upcase.count, sizeof ranges / sizeof ranges[0]);
		for (uint32_t c = 0; c < 65536; c++)
			if (ntfsi_upcase_map(&v->upcase, (uint16_t)c) != reference(c))
				fail_msg("piece %zu: U+%04X", pieces[p], (unsigned)c);
		ntfsi_upcase_free(v);
		free(v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup(lookup_all, setup),
	        cmocka_unit_test_setup(lookup_examples, setup),
	        cmocka_unit_test(empty_table),
	        cmocka_unit_test(range_at_zero_and_top),
	        cmocka_unit_test_setup(build_from_table, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
