/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Mapping pairs (runlist.c). Each run: a header byte whose low nibble is
 * the size of the length field and high nibble the size of the LCN delta
 * field (0: sparse), then the length (unsigned, little-endian) and the
 * delta (signed, little-endian, relative to the previous run's LCN); a 0
 * header ends the list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"
#include "ondisk.h"

struct want {
	uint64_t vcn, lcn, length;
};

/* Decode @mp expecting exactly @n runs then @last (0 or an error). */
static void expect(const uint8_t *mp, uint32_t len, uint64_t lowest, uint64_t end,
                   uint64_t clusters, const struct want *w, size_t n, int last)
{
	struct ntfsi_runlist rl;
	struct ntfs_run run;

	ntfsi_runlist_init(&rl, mp, len, lowest, end, clusters);
	for (size_t i = 0; i < n; i++) {
		memset(&run, 0xCC, sizeof run);
		assert_int_equal(ntfsi_runlist_next(&rl, &run), 1);
		assert_true(run.vcn == w[i].vcn);
		assert_true(run.lcn == w[i].lcn);
		assert_true(run.length == w[i].length);
	}
	assert_int_equal(ntfsi_runlist_next(&rl, &run), last);
}

#define EXPECT(mp, lowest, end, clusters, w, last)                                                 \
	expect(mp, sizeof mp, lowest, end, clusters, w, sizeof w / sizeof w[0], last)
#define EXPECT_FAIL_AT(mp, lowest, end, clusters, w, n)                                            \
	expect(mp, sizeof mp, lowest, end, clusters, w, n, NTFS_ERR_CORRUPT_RUNLIST)

#define VOL 0x100000ull /* clusters in the test volume */

static void single_run(void **state)
{
	static const uint8_t mp[] = {0x21, 0x18, 0x34, 0x56, 0x00};
	static const struct want w[] = {{0, 0x5634, 0x18}};
	(void)state;
	EXPECT(mp, 0, 0x18, VOL, w, 0);
}

static void negative_delta(void **state)
{
	/* +0x60, then -16 (0xF0), then +0x100. */
	static const uint8_t mp[] = {0x11, 0x30, 0x60, 0x11, 0x10, 0xF0,
	                             0x21, 0x05, 0x00, 0x01, 0x00};
	static const struct want w[] = {{0, 0x60, 0x30}, {0x30, 0x50, 0x10}, {0x40, 0x150, 5}};
	(void)state;
	EXPECT(mp, 0, 0x45, VOL, w, 0);
}

static void multibyte_negative_delta(void **state)
{
	/* +0x12345, then -0x12000 as 3 bytes (0xFEE000). */
	static const uint8_t mp[] = {0x31, 0x02, 0x45, 0x23, 0x01, 0x31,
	                             0x03, 0x00, 0xE0, 0xFE, 0x00};
	static const struct want w[] = {{0, 0x12345, 2}, {2, 0x345, 3}};
	(void)state;
	EXPECT(mp, 0, 5, VOL, w, 0);
}

static void positive_delta_high_byte_zero(void **state)
{
	/* 0x80 as a delta needs a second byte 0x00 to stay positive. */
	static const uint8_t mp[] = {0x21, 0x01, 0x80, 0x00, 0x11, 0x01, 0x80, 0x00};
	static const struct want w[] = {{0, 0x80, 1}, {1, 0x00, 1}};
	(void)state;
	EXPECT(mp, 0, 2, VOL, w, 0);
}

static void sparse_runs(void **state)
{
	/* 16 at 0x20; a hole of 0x80 = 128 clusters (length byte with the
	 * high bit set, still positive); 8 at 0x20 + 0x10 (holes do not move
	 * the LCN base); a hole of 0x8000 clusters. */
	static const uint8_t mp[] = {0x11, 0x10, 0x20, 0x01, 0x80, 0x11,
	                             0x08, 0x10, 0x02, 0x00, 0x80, 0x00};
	static const struct want w[] = {{0, 0x20, 16},
	                                {16, NTFS_LCN_HOLE, 128},
	                                {144, 0x30, 8},
	                                {152, NTFS_LCN_HOLE, 0x8000}};
	(void)state;
	EXPECT(mp, 0, 152 + 0x8000, VOL, w, 0);
}

static void all_sparse(void **state)
{
	static const uint8_t mp[] = {0x01, 0xFF, 0x00};
	static const struct want w[] = {{0, NTFS_LCN_HOLE, 255}};
	(void)state;
	EXPECT(mp, 0, 255, VOL, w, 0);
}

static void later_extent(void **state)
{
	/* An extent starting at VCN 100: the first delta is from LCN 0. */
	static const uint8_t mp[] = {0x11, 0x0A, 0x40, 0x00};
	static const struct want w[] = {{100, 0x40, 10}};
	(void)state;
	EXPECT(mp, 100, 110, VOL, w, 0);
}

static void empty(void **state)
{
	static const uint8_t mp[] = {0x00};
	static const struct want *none = NULL;
	(void)state;
	/* highest VCN -1: end VCN 0. */
	expect(mp, sizeof mp, 0, 0, VOL, none, 0, 0);
	/* An empty runlist for an extent that has clusters. */
	expect(mp, sizeof mp, 0, 1, VOL, none, 0, NTFS_ERR_CORRUPT_RUNLIST);
	/* No bytes at all. */
	expect(mp, 0, 0, 0, VOL, none, 0, NTFS_ERR_CORRUPT_RUNLIST);
}

static void lcn_64bit(void **state)
{
	/* 2^40 as a 6-byte delta, and again as an 8-byte one; then -2^32 as a
	 * 5-byte delta (0xFF00000000). */
	static const uint8_t mp6[] = {0x61, 0x10, 0, 0, 0, 0, 0, 0x01, 0x00};
	static const uint8_t mp8[] = {0x81, 0x10, 0, 0, 0, 0, 0, 0x01, 0, 0, 0x00};
	static const uint8_t mp5[] = {0x61, 0x01, 0, 0, 0, 0, 0x02, 0x00, /* 2^33 */
	                              0x51, 0x01, 0, 0, 0, 0, 0xFF, 0x00};
	static const struct want w[] = {{0, 1ull << 40, 16}};
	static const struct want w5[] = {{0, 1ull << 33, 1}, {1, 1ull << 32, 1}};
	(void)state;
	EXPECT(mp6, 0, 16, (1ull << 40) + 16, w, 0);
	EXPECT(mp8, 0, 16, (1ull << 40) + 16, w, 0);
	EXPECT(mp5, 0, 2, 1ull << 40, w5, 0);
	/* The same run on a volume one cluster too small. */
	EXPECT_FAIL_AT(mp6, 0, 16, (1ull << 40) + 15, w, 0);
	/* ...or exactly 2^40 clusters (LCN 2^40 is past the end). */
	EXPECT_FAIL_AT(mp6, 0, 16, 1ull << 40, w, 0);
}

static void bad_header(void **state)
{
	static const uint8_t len9[] = {0x19, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0};
	static const uint8_t off9[] = {0x91, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0};
	static const uint8_t lenF[] = {0x1F, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	static const uint8_t offF[] = {0xF1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	static const uint8_t len0[] = {0x10, 0x10, 0x00};
	static const struct want *none = NULL;
	(void)state;
	expect(len9, sizeof len9, 0, 1, UINT64_MAX, none, 0, NTFS_ERR_CORRUPT_RUNLIST);
	expect(off9, sizeof off9, 0, 1, UINT64_MAX, none, 0, NTFS_ERR_CORRUPT_RUNLIST);
	expect(lenF, sizeof lenF, 0, 1, UINT64_MAX, none, 0, NTFS_ERR_CORRUPT_RUNLIST);
	expect(offF, sizeof offF, 0, 1, UINT64_MAX, none, 0, NTFS_ERR_CORRUPT_RUNLIST);
	expect(len0, sizeof len0, 0, 1, VOL, none, 0, NTFS_ERR_CORRUPT_RUNLIST);
}

static void zero_length(void **state)
{
	static const uint8_t mp1[] = {0x11, 0x00, 0x10, 0x00};
	static const uint8_t mp2[] = {0x21, 0x00, 0x00, 0x10, 0x00};
	static const uint8_t sparse0[] = {0x01, 0x00, 0x00};
	static const struct want *none = NULL;
	(void)state;
	expect(mp1, sizeof mp1, 0, 1, VOL, none, 0, NTFS_ERR_CORRUPT_RUNLIST);
	expect(mp2, sizeof mp2, 0, 1, VOL, none, 0, NTFS_ERR_CORRUPT_RUNLIST);
	expect(sparse0, sizeof sparse0, 0, 1, VOL, none, 0, NTFS_ERR_CORRUPT_RUNLIST);
}

static void past_end(void **state)
{
	/* The header says 3 delta bytes; only 1 follows. */
	static const uint8_t mp[] = {0x31, 0x10, 0x20};
	/* 8 length bytes announced, 2 present. */
	static const uint8_t mp2[] = {0x08, 0x10, 0x20};
	static const struct want *none = NULL;
	(void)state;
	expect(mp, sizeof mp, 0, 16, VOL, none, 0, NTFS_ERR_CORRUPT_RUNLIST);
	expect(mp2, sizeof mp2, 0, 16, VOL, none, 0, NTFS_ERR_CORRUPT_RUNLIST);
}

static void missing_terminator(void **state)
{
	static const uint8_t mp[] = {0x11, 0x10, 0x20};
	static const struct want w[] = {{0, 0x20, 16}};
	(void)state;
	EXPECT_FAIL_AT(mp, 0, 16, VOL, w, 1);
}

static void total_disagrees(void **state)
{
	static const uint8_t mp[] = {0x11, 0x10, 0x20, 0x00};
	static const struct want w[] = {{0, 0x20, 16}};
	(void)state;
	/* The runs end before the extent's highest VCN. */
	EXPECT_FAIL_AT(mp, 0, 17, VOL, w, 1);
	EXPECT_FAIL_AT(mp, 0, 1000, VOL, w, 1);
	/* A run running past it. */
	EXPECT_FAIL_AT(mp, 0, 15, VOL, w, 0);
	EXPECT_FAIL_AT(mp, 100, 110, VOL, w, 0);
	/* Exactly right. */
	EXPECT(mp, 0, 16, VOL, w, 0);
}

static void negative_lcn(void **state)
{
	static const uint8_t first[] = {0x11, 0x10, 0xF0, 0x00};
	static const uint8_t second[] = {0x11, 0x10, 0x10, 0x11, 0x10, 0xEF, 0x00};
	static const uint8_t back_to_zero[] = {0x11, 0x10, 0x10, 0x11, 0x10, 0xF0, 0x00};
	static const struct want w[] = {{0, 0x10, 16}, {16, 0, 16}};
	(void)state;
	EXPECT_FAIL_AT(first, 0, 16, VOL, w, 0);
	EXPECT_FAIL_AT(second, 0, 32, VOL, w, 1);
	EXPECT(back_to_zero, 0, 32, VOL, w, 0);
}

static void past_volume(void **state)
{
	static const uint8_t end_at[] = {0x11, 0x10, 0x54, 0x00};          /* 84 + 16 = 100 */
	static const uint8_t end_past[] = {0x11, 0x10, 0x55, 0x00};        /* 85 + 16 = 101 */
	static const uint8_t start_at[] = {0x11, 0x01, 0x64, 0x00};        /* LCN 100 */
	static const uint8_t start_far[] = {0x21, 0x01, 0x00, 0x02, 0x00}; /* LCN 0x200 */
	static const struct want w[] = {{0, 84, 16}};
	(void)state;
	EXPECT(end_at, 0, 16, 100, w, 0);
	EXPECT_FAIL_AT(end_past, 0, 16, 100, w, 0);
	EXPECT_FAIL_AT(start_at, 0, 1, 100, w, 0);
	EXPECT_FAIL_AT(start_far, 0, 1, 100, w, 0);
}

static void overflow(void **state)
{
	/* LCN 16, length 2^64 - 9: lcn + length wraps. */
	static const uint8_t wrap[] = {0x18, 0xF7, 0xFF, 0xFF, 0xFF, 0xFF,
	                               0xFF, 0xFF, 0xFF, 0x10, 0x00};
	/* Two deltas of +2^62 + 2^62 = 2^63: past INT64_MAX. */
	static const uint8_t big[] = {0x81, 0x01, 0, 0, 0, 0, 0, 0, 0,    0x40, 0x81,
	                              0x01, 0,    0, 0, 0, 0, 0, 0, 0x40, 0x00};
	/* A maximal positive LCN then a delta of +1 (two's complement wrap). */
	static const uint8_t max[] = {0x81, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
	                              0xFF, 0xFF, 0x7F, 0x11, 0x01, 0x01, 0x00};
	/* A negative delta that wraps below zero from a small LCN. */
	static const uint8_t under[] = {0x11, 0x01, 0x01, 0x81, 0x01, 0,    0,
	                                0,    0,    0,    0,    0,    0x80, 0x00};
	static const struct want w[] = {{0, 1ull << 62, 1}};
	static const struct want wmax[] = {{0, INT64_MAX, 1}};
	static const struct want wunder[] = {{0, 1, 1}};
	(void)state;
	expect(wrap, sizeof wrap, 0, UINT64_MAX, UINT64_MAX, NULL, 0, NTFS_ERR_CORRUPT_RUNLIST);
	EXPECT_FAIL_AT(big, 0, 2, UINT64_MAX, w, 1);
	EXPECT_FAIL_AT(max, 0, 2, UINT64_MAX, wmax, 1);
	EXPECT_FAIL_AT(under, 0, 2, UINT64_MAX, wunder, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(single_run),
	        cmocka_unit_test(negative_delta),
	        cmocka_unit_test(multibyte_negative_delta),
	        cmocka_unit_test(positive_delta_high_byte_zero),
	        cmocka_unit_test(sparse_runs),
	        cmocka_unit_test(all_sparse),
	        cmocka_unit_test(later_extent),
	        cmocka_unit_test(empty),
	        cmocka_unit_test(lcn_64bit),
	        cmocka_unit_test(bad_header),
	        cmocka_unit_test(zero_length),
	        cmocka_unit_test(past_end),
	        cmocka_unit_test(missing_terminator),
	        cmocka_unit_test(total_disagrees),
	        cmocka_unit_test(negative_lcn),
	        cmocka_unit_test(past_volume),
	        cmocka_unit_test(overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
