/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * $UpCase lookup and file name collation (upcase.c) over range tables
 * filled in by hand. The range builder is only reachable through a mounted
 * volume's $UpCase (tested with images); here the lookup must reproduce a
 * reference upcase function for all 65536 units, and collation must follow
 * COLLATION_FILE_NAME: compare upcased units, a prefix sorts first.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

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

static ntfs_volume vol;

static int setup(void **state)
{
	(void)state;
	memset(&vol, 0, sizeof vol);
	vol.upcase = ranges;
	vol.upcase_count = sizeof ranges / sizeof ranges[0];
	vol.upcase_cap = vol.upcase_count;
	return 0;
}

static void lookup_all(void **state)
{
	(void)state;
	for (uint32_t c = 0; c < 0x10000; c++)
		if (ntfsi_upcase(&vol, (uint16_t)c) != reference(c))
			fail_msg("U+%04X: got U+%04X, want U+%04X", (unsigned)c,
			         ntfsi_upcase(&vol, (uint16_t)c), reference(c));
}

static void lookup_examples(void **state)
{
	(void)state;
	assert_int_equal(ntfsi_upcase(&vol, 'a'), 'A');
	assert_int_equal(ntfsi_upcase(&vol, 'z'), 'Z');
	assert_int_equal(ntfsi_upcase(&vol, 'A'), 'A');
	assert_int_equal(ntfsi_upcase(&vol, '{'), '{');
	assert_int_equal(ntfsi_upcase(&vol, 0x00F7), 0x00F7); /* ÷ */
	assert_int_equal(ntfsi_upcase(&vol, 0x0101), 0x0100);
	assert_int_equal(ntfsi_upcase(&vol, 0x0100), 0x0100);
	assert_int_equal(ntfsi_upcase(&vol, 0x012F), 0x012E);
	assert_int_equal(ntfsi_upcase(&vol, 0x0131), 0x0131); /* past the pairs */
	assert_int_equal(ntfsi_upcase(&vol, 0x03C2), 0x03C2); /* final sigma: not in table */
	assert_int_equal(ntfsi_upcase(&vol, 0x044F), 0x042F); /* я -> Я */
	assert_int_equal(ntfsi_upcase(&vol, 0xFF5A), 0xFF3A);
	assert_int_equal(ntfsi_upcase(&vol, 0xFFFF), 0xFFFF);
	assert_int_equal(ntfsi_upcase(&vol, 0), 0);
}

static void empty_table(void **state)
{
	ntfs_volume v;
	(void)state;
	memset(&v, 0, sizeof v);
	for (uint32_t c = 0; c < 0x10000; c += 37)
		assert_int_equal(ntfsi_upcase(&v, (uint16_t)c), c);
	assert_int_equal(ntfsi_upcase(&v, 'a'), 'a');
}

static void range_at_zero_and_top(void **state)
{
	/* Ranges at both ends of the unit space; the delta wraps mod 2^16. */
	static struct ntfsi_upcase_range r[] = {
	        {0x0000, 0x0003, 0x0010, 1},
	        {0xFFF0, 0xFFFF, 0x0020, 2},
	};
	ntfs_volume v;
	(void)state;
	memset(&v, 0, sizeof v);
	v.upcase = r;
	v.upcase_count = 2;
	assert_int_equal(ntfsi_upcase(&v, 0), 0x10);
	assert_int_equal(ntfsi_upcase(&v, 3), 0x13);
	assert_int_equal(ntfsi_upcase(&v, 4), 4);
	assert_int_equal(ntfsi_upcase(&v, 0xFFEF), 0xFFEF);
	assert_int_equal(ntfsi_upcase(&v, 0xFFF0), 0x0010);
	assert_int_equal(ntfsi_upcase(&v, 0xFFF1), 0xFFF1);
	assert_int_equal(ntfsi_upcase(&v, 0xFFFE), 0x001E);
	assert_int_equal(ntfsi_upcase(&v, 0xFFFF), 0xFFFF);
}

/* Collate @a (encoded little-endian here) against @b. */
static int collate(const uint16_t *a, size_t alen, const uint16_t *b, size_t blen)
{
	uint8_t le[64];
	for (size_t i = 0; i < alen; i++) {
		le[2 * i] = (uint8_t)a[i];
		le[2 * i + 1] = (uint8_t)(a[i] >> 8);
	}
	return ntfsi_collate_name(&vol, le, alen, b, blen);
}

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void collation(void **state)
{
	static const uint16_t abc[] = {'a', 'b', 'c'};
	static const uint16_t ABC[] = {'A', 'B', 'C'};
	static const uint16_t aBc[] = {'a', 'B', 'c'};
	static const uint16_t abd[] = {'a', 'b', 'd'};
	static const uint16_t AB[] = {'A', 'B'};
	static const uint16_t under[] = {'_'};
	static const uint16_t a[] = {'a'};
	static const uint16_t ya[] = {0x044F};   /* я */
	static const uint16_t YA[] = {0x042F};   /* Я */
	static const uint16_t amac[] = {0x0101}; /* ā */
	static const uint16_t AMAC[] = {0x0100}; /* Ā */
	static const uint16_t full[] = {0xFF21}; /* fullwidth A */
	static const uint16_t Z[] = {'Z'};
	(void)state;

	/* Case-insensitive equality. */
	assert_int_equal(collate(abc, 3, ABC, 3), 0);
	assert_int_equal(collate(ABC, 3, aBc, 3), 0);
	assert_int_equal(collate(ya, 1, YA, 1), 0);
	assert_int_equal(collate(amac, 1, AMAC, 1), 0);
	assert_int_equal(collate(NULL, 0, NULL, 0), 0);
	/* Ordering of the upcased units. */
	assert_int_equal(sign(collate(abc, 3, abd, 3)), -1);
	assert_int_equal(sign(collate(abd, 3, ABC, 3)), 1);
	/* '_' (0x5F) sorts after 'a' because 'a' is compared as 'A' (0x41). */
	assert_int_equal(sign(collate(under, 1, a, 1)), 1);
	assert_int_equal(sign(collate(a, 1, under, 1)), -1);
	/* A prefix sorts first, whatever the case. */
	assert_int_equal(sign(collate(AB, 2, abc, 3)), -1);
	assert_int_equal(sign(collate(abc, 3, AB, 2)), 1);
	assert_int_equal(sign(collate(NULL, 0, a, 1)), -1);
	assert_int_equal(sign(collate(a, 1, NULL, 0)), 1);
	/* Units compare as unsigned 16-bit numbers. */
	assert_int_equal(sign(collate(full, 1, Z, 1)), 1);
	assert_int_equal(sign(collate(ya, 1, Z, 1)), 1);
}

static void collation_without_table(void **state)
{
	static const uint16_t A[] = {'A'};
	static const uint8_t a_le[] = {'a', 0};
	ntfs_volume v;
	(void)state;
	memset(&v, 0, sizeof v);
	/* With the identity table, case matters. */
	assert_int_equal(sign(ntfsi_collate_name(&v, a_le, 1, A, 1)), 1);
	assert_int_equal(sign(ntfsi_collate_name(&vol, a_le, 1, A, 1)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup(lookup_all, setup),
	        cmocka_unit_test_setup(lookup_examples, setup),
	        cmocka_unit_test(empty_table),
	        cmocka_unit_test(range_at_zero_and_top),
	        cmocka_unit_test_setup(collation, setup),
	        cmocka_unit_test_setup(collation_without_table, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
