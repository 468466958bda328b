/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hardening tests, classes 13-16 of docs HARDENING.md and the
 * runlist's part of class 26: mapping pairs (encoding, lengths, VCN and
 * LCN ranges, sparse runs), the memory a long runlist
 * costs. One row per test; see support/hardening_cases.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hardening_cases.h"

#define ld16(p) ((uint32_t)hu_ld((p), 2))
#define ld32(p) ((uint32_t)hu_ld((p), 4))
#define ld64(p) hu_ld((p), 8)

/* Mapping pairs of the unnamed non-resident $DATA. */
static uint8_t *data_mp(uint8_t *b, uint32_t *mp_len)
{
	uint8_t *a = b + hu_attr_find(b, OD_AT_DATA, "");
	assert_int_equal(a[OD_AH_NONRESIDENT], 1);
	*mp_len = ld32(a + OD_AH_LENGTH) - ld16(a + OD_AH_MP_OFF);
	return a + ld16(a + OD_AH_MP_OFF);
}

/* ---- 13-14. encoding and lengths ------------------------------------------- */

/* P(0, v): the first header byte set to v; P(1, 0): the first run's length
 * bytes zeroed. */
static void m_mp_header(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t mp_len;
	uint8_t *mp = data_mp(b, &mp_len);
	(void)h;
	(void)len;
	switch (P_OFF(p)) {
	case 0:
		mp[0] = (uint8_t)P_VAL(p);
		break;
	case 1:
		memset(mp + 1, 0, mp[0] & 15u);
		break;
	default:
		fail();
	}
}

/* The terminator and the padding replaced by 1-cluster sparse runs up to
 * the end of the attribute, the VCN range extended over them: every run is
 * valid, only the terminator is missing. */
static void m_mp_no_terminator(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *a = b + hu_attr_find(b, OD_AT_DATA, "");
	uint32_t mp_len;
	uint8_t *mp = data_mp(b, &mp_len), *q;
	struct hu_run runs[16];
	size_t used, left;
	uint64_t added = 0;
	(void)h;
	(void)len;
	(void)p;
	hu_runs_decode(mp, mp_len, runs, 16, &used);
	q = mp + used;
	left = mp_len - used;
	assert_true(left >= 2);
	if (left % 2) {
		q[0] = 0x02, q[1] = 1, q[2] = 0;
		q += 3, left -= 3, added++;
	}
	for (; left > 0; q += 2, left -= 2, added++)
		q[0] = 0x01, q[1] = 1;
	hu_st(a + OD_AH_HIGHEST_VCN, ld64(a + OD_AH_HIGHEST_VCN) + added, 8);
}

static void m_highest_add(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *a = b + hu_attr_find(b, OD_AT_DATA, "");
	(void)h;
	(void)len;
	hu_st(a + OD_AH_HIGHEST_VCN, ld64(a + OD_AH_HIGHEST_VCN) + (uint64_t)p, 8);
}

/* ---- 15. LCN range ------------------------------------------------------------ */

/* Run k's LCN set to f(v), later runs keeping their absolute LCNs. */
enum {
	LCN_TOTAL_MINUS, /* total clusters - v */
	LCN_INT64_MAX,   /* INT64_MAX - v */
	LCN_MINUS,       /* -v */
	LCN_PLUS_4G      /* the old LCN + 2^32 */
};
#define LCN(k, how, v) ((long long)(k) << 48 | (long long)(how) << 40 | (long long)(v))

static void m_run_lcn(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, OD_AT_DATA, "");
	uint32_t mp_len;
	uint8_t *mp = data_mp(b, &mp_len);
	struct hu_run runs[16];
	size_t used, n = hu_runs_decode(mp, mp_len, runs, 16, &used);
	unsigned k = (unsigned)(p >> 48), how = (unsigned)(p >> 40) & 0xFF;
	int64_t v = (int64_t)(p & 0xFFFFFFFFFFll);

	assert_true(k < n && !runs[k].hole);
	switch (how) {
	case LCN_TOTAL_MINUS:
		runs[k].lcn = (int64_t)h->vi.total_clusters - v;
		break;
	case LCN_INT64_MAX:
		runs[k].lcn = INT64_MAX - v;
		break;
	case LCN_MINUS:
		runs[k].lcn = -v;
		break;
	case LCN_PLUS_4G:
		runs[k].lcn += INT64_C(1) << 32;
		break;
	default:
		fail();
	}
	hu_runs_set(b, len, a, runs, n);
}

/* A 200-cluster run ending exactly at the volume end is accepted; one
 * cluster later it is not. */
static void h15_run_past_volume_end(const struct hu_case *c)
{
	struct hu h;

	hu_case_prepare(c, &h);
	hu_expect(&h, c->op, hu_case_arg(c), NTFS_OK);
	hu_case_mutate(c, &h, m_run_lcn, LCN(0, LCN_TOTAL_MINUS, 199));
	hu_expect(&h, c->op, hu_case_arg(c), c->expect);
	hu_expect(&h, hu_op_read, hu_case_arg(c), c->expect);
	hu_close(&h);
}

/* ---- 16. sparse runs with the length's high bit set ------------------------ */

/* The one run of the unnamed $DATA rewritten: param 0, 128 sparse clusters
 * ("01 80") then the rest of the data; 1, one sparse run of 255 clusters
 * ("01 FF") in a 200-cluster range. */
static void m_sparse_high_bit(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, OD_AT_DATA, "");
	uint32_t mp_len;
	uint8_t *mp = data_mp(b, &mp_len);
	struct hu_run runs[16];
	size_t used, n = hu_runs_decode(mp, mp_len, runs, 16, &used);
	(void)h;
	assert_int_equal(n, 1);
	if (p == 0) {
		struct hu_run two[2] = {{128, 0, true},
		                        {runs[0].len - 128, runs[0].lcn + 128, false}};
		hu_runs_set(b, len, a, two, 2);
		mp = data_mp(b, &mp_len);
		assert_int_equal(mp[0], 0x01);
		assert_int_equal(mp[1], 0x80);
	} else {
		struct hu_run one = {255, 0, true};
		hu_runs_set(b, len, a, &one, 1);
	}
}

static void read_100k(struct hu *h, const char *path, uint8_t *buf)
{
	ntfs_file *f;
	ntfs_stream *s;
	size_t got;

	assert_int_equal(hu_mount(h), NTFS_OK);
	assert_int_equal(ntfs_path_open(h->vol, path, &f), NTFS_OK);
	assert_int_equal(ntfs_stream_open(f, NULL, &s), NTFS_OK);
	assert_int_equal(ntfs_stream_read(s, 0, buf, 102400, &got), NTFS_OK);
	assert_int_equal(got, 102400);
	ntfs_stream_close(s);
	ntfs_file_close(f);
	hu_unmount(h);
}

/* 128 clusters of zeros, then the original bytes from 64 KiB on. */
static void h16_sparse_run_length_high_bit(const struct hu_case *c)
{
	uint8_t *before = malloc(102400), *after = malloc(102400);
	struct hu h;

	assert_non_null(before);
	assert_non_null(after);
	hu_open(&h, c->image);
	read_100k(&h, c->target, before);
	hu_close(&h);
	hu_case_prepare(c, &h);
	read_100k(&h, c->target, after);
	for (size_t i = 0; i < 65536; i++)
		if (after[i] != 0)
			fail_msg("byte %zu of the 128-cluster hole is %u", i, after[i]);
	assert_memory_equal(after + 65536, before + 65536, 102400 - 65536);
	hu_close(&h);
	free(before);
	free(after);
}

/* ---- 26. what a long runlist costs --------------------------------------------- */

/* 3,000+ runs over ~15 extents cost no more memory than one run. */
static void h26_runlist_length_not_allocated(const struct hu_case *c)
{
	struct hu h;

	hu_open(&h, c->image);
	hu_expect(&h, c->op, hu_case_arg(c), c->expect);
	if (h.ma.largest > 64u * 1024 || h.ma.peak > 256u * 1024)
		fail_msg("reading 3,000+ runs: largest allocation %zu, peak %zu", h.ma.largest,
		         h.ma.peak);
	hu_close(&h);
}

static const struct hu_case cases[] = {
        /* 13. runlist encoding */
        HU_ROW(.name = "h13_runlist_length_nibble_over_8", .cls = 13, .image = C512,
               .kind = HU_RECORD, .target = R100K, .mutate = m_mp_header, .param = P(0, 0x29),
               .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_RUNLIST,
               .what = "first run header 0x29"),
        HU_ROW(.name = "h13_runlist_offset_nibble_over_8", .cls = 13, .image = C512,
               .kind = HU_RECORD, .target = R100K, .mutate = m_mp_header, .param = P(0, 0x91),
               .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_RUNLIST,
               .what = "first run header 0x91"),
        HU_ROW(.name = "h13_runlist_run_past_attribute_end", .cls = 13, .image = C512,
               .kind = HU_RECORD, .target = R100K, .mutate = m_mp_header, .param = P(0, 0x44),
               .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_RUNLIST,
               .what = "first run header 0x44 (needs 9 bytes, 7 left)"),
        HU_ROW(.name = "h13_runlist_missing_terminator", .cls = 13, .image = C512,
               .kind = HU_RECORD, .target = R100K, .mutate = m_mp_no_terminator, .op = hu_op_map,
               .expect = NTFS_ERR_CORRUPT_RUNLIST,
               .what = "terminator and padding replaced by valid 1-cluster sparse runs to the "
                       "attribute end, VCN range extended to match"),

        /* 14. zero-length runs, empty runlists, VCN range */
        HU_ROW(.name = "h14_zero_length_run", .cls = 14, .image = C512, .kind = HU_RECORD,
               .target = R100K, .mutate = m_mp_header, .param = P(1, 0), .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_RUNLIST, .what = "first run's length bytes 0"),
        HU_ROW(.name = "h14_empty_runlist", .cls = 14, .image = C512, .kind = HU_RECORD,
               .target = R100K, .mutate = m_mp_header, .param = P(0, 0), .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_RUNLIST,
               .what = "first byte 0 (no runs for 200 clusters)"),
        HU_ROW(.name = "h14_runs_shorter_than_vcn_range", .cls = 14, .image = C512,
               .kind = HU_RECORD, .target = R100K, .mutate = m_highest_add, .param = 8,
               .op = hu_op_map, .expect = NTFS_ERR_CORRUPT_RUNLIST, .what = "highest VCN + 8"),
        HU_ROW(.name = "h14_runs_longer_than_vcn_range", .cls = 14, .image = C512,
               .kind = HU_RECORD, .target = R100K, .mutate = m_highest_add, .param = -1,
               .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_RUNLIST, .what = "highest VCN - 1"),

        /* 15. LCN range */
        HU_ROW(.name = "h15_run_past_volume_end", .cls = 15, .run = h15_run_past_volume_end,
               .image = C512, .kind = HU_RECORD, .target = R100K, .mutate = m_run_lcn,
               .param = LCN(0, LCN_TOTAL_MINUS, 200), .op = hu_op_map,
               .expect = NTFS_ERR_CORRUPT_RUNLIST,
               .what = "the 200-cluster run ending exactly at the last cluster (`OK`), then one "
                       "cluster later (map and read)"),
        HU_ROW(.name = "h15_lcn_plus_length_overflows", .cls = 15, .image = C512, .kind = HU_RECORD,
               .target = R100K, .mutate = m_run_lcn, .param = LCN(0, LCN_INT64_MAX, 100),
               .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_RUNLIST, .what = "LCN INT64_MAX - 100"),
        HU_ROW(.name = "h15_negative_first_lcn", .cls = 15, .image = C512, .kind = HU_RECORD,
               .target = R100K, .mutate = m_run_lcn, .param = LCN(0, LCN_MINUS, 1),
               .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_RUNLIST, .what = "first LCN -1"),
        HU_ROW(.name = "h15_negative_lcn_after_delta", .cls = 15, .image = C512, .kind = HU_RECORD,
               .target = P3M, .mutate = m_run_lcn, .param = LCN(1, LCN_MINUS, 5), .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_RUNLIST, .what = "second run's LCN -5"),
        HU_ROW(.name = "h15_lcn_above_4g_clusters", .cls = 15, .image = C512, .kind = HU_RECORD,
               .target = R100K, .mutate = m_run_lcn, .param = LCN(0, LCN_PLUS_4G, 0),
               .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_RUNLIST,
               .what = "LCN + 2^32 (a reader truncating LCNs to 32 bits would read the real data)"),

        /* 16. sparse runs with the length's high bit set */
        HU_ROW(.name = "h16_sparse_run_length_high_bit", .cls = 16,
               .run = h16_sparse_run_length_high_bit, .image = C512, .kind = HU_RECORD,
               .target = R100K, .mutate = m_sparse_high_bit, .param = 0, .op = hu_op_read,
               .expect = NTFS_OK,
               .what = "runlist rewritten as a sparse run encoded `01 80` (128 clusters) + the "
                       "rest: "
                       "64 KiB of zeros, then the original bytes"),
        HU_ROW(.name = "h16_sparse_run_high_bit_past_range", .cls = 16, .image = C512,
               .kind = HU_RECORD, .target = R100K, .mutate = m_sparse_high_bit, .param = 1,
               .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_RUNLIST,
               .what = "one sparse run `01 FF` (255 > 200 clusters)"),

        /* 26. allocations sized by the disk */
        HU_ROW(.name = "h26_runlist_length_not_allocated", .cls = 26,
               .run = h26_runlist_length_not_allocated, .image = FRAG, .target = FRAGF,
               .op = hu_op_read, .expect = NTFS_OK,
               .what = "nothing: read 3,000+ runs; largest allocation <= 64 KiB, peak <= 256 KiB"),
};

int main(void)
{
	return hu_main("hardening_runlist", cases, sizeof cases / sizeof cases[0]);
}
