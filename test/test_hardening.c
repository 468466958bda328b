/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Regression tests for every class of docs HARDENING.md (how NTFS readers
 * have been broken). Each test takes a committed image, finds one on-disk
 * structure through the public API, checks that the valid bytes work,
 * changes one field, and checks the exact error code the public API then
 * returns, with no leak and no allocation above HU_ALLOC_CAP (see
 * support/hardening_util.h). Test names start with hNN_, the class number.
 * test/HARDENING-TESTS.md lists what each test mangles and expects.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <ntfs/ntfs.h>

#include "hardening_util.h"

#define C512 "ntfs-c512"
#define C4K "ntfs-c4k"
#define FRAG "ntfs-frag"
#define MFTLIST "ntfs-mftlist"

#define AT_ALIST 0x20u
#define AT_FN 0x30u
#define AT_VOLNAME 0x60u
#define AT_VOLINFO 0x70u
#define AT_DATA 0x80u
#define AT_IROOT 0x90u
#define AT_IALLOC 0xA0u
#define AT_BITMAP 0xB0u

/* Record header fields. */
#define R_USA_OFF 4
#define R_USA_COUNT 6
#define R_SEQ 16
#define R_FIRST 20
#define R_FLAGS 22
#define R_USED 24
#define R_ALLOC 28
#define R_BASE 32
/* Attribute header fields. */
#define A_LEN 4
#define A_NONRES 8
#define A_NAME_LEN 9
#define A_NAME_OFF 10
#define A_FLAGS 12
#define A_VLEN 16
#define A_VOFF 20
#define A_LOWEST 16
#define A_HIGHEST 24
#define A_MP_OFF 32
#define A_CU 34
#define A_ALLOC 40
#define A_DATA 48
#define A_INIT 56
/* Attribute list entry fields. */
#define L_LEN 4
#define L_NAME_LEN 6
#define L_NAME_OFF 7
#define L_VCN 8
#define L_REF 16
/* Index entry fields; INDX block header. */
#define E_LEN 8
#define E_KEY_LEN 10
#define E_FLAGS 12
#define E_KEY 16
#define X_VCN 16
#define X_NODE 24
#define N_INDEX_LEN 4
#define N_ALLOC 8

#define ld16(p) ((uint32_t)hu_ld((p), 2))
#define ld32(p) ((uint32_t)hu_ld((p), 4))
#define ld64(p) hu_ld((p), 8)

/* One test per case: a hu_case built from the remaining arguments. */
#define CASE(test, ...)                                                                            \
	static void test(void **state)                                                             \
	{                                                                                          \
		static const struct hu_case c = {__VA_ARGS__};                                     \
		(void)state;                                                                       \
		hu_case_run(&c);                                                                   \
	}

/* Targets. */
#define RECORD(img, file) .image = img, .kind = HU_RECORD, .target = file, .usa = true
#define RECORD_RAW(img, file) .image = img, .kind = HU_RECORD, .target = file, .usa = false
#define INDX0(img, dir)                                                                            \
	.image = img, .kind = HU_STREAM, .target = dir, .type = AT_IALLOC, .name = "$I30",         \
	.off = 0, .len = 4096, .usa = true
#define INDX0_RAW(img, dir)                                                                        \
	.image = img, .kind = HU_STREAM, .target = dir, .type = AT_IALLOC, .name = "$I30",         \
	.off = 0, .len = 4096, .usa = false
#define ALIST(img, file)                                                                           \
	.image = img, .kind = HU_STREAM, .target = file, .type = AT_ALIST, .usa = false
#define BOOT(img) .image = img, .kind = HU_DEVICE, .off = 0, .len = 512, .usa = false

#define RUN(fn, a, want) .op = fn, .arg = a, .expect = want

/* A parameter holding a field offset and a value. */
#define P(off, val) ((long long)(off) << 32 | (uint32_t)(val))
#define P_OFF(p) ((uint32_t)((unsigned long long)(p) >> 32))
#define P_VAL(p) ((uint32_t)(p))

/* ---- generic mutators --------------------------------------------------- */

static void m_set8(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	assert_true(P_OFF(p) < len);
	b[P_OFF(p)] = (uint8_t)P_VAL(p);
}

static void m_set16(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	assert_true(P_OFF(p) + 2 <= len);
	hu_st(b + P_OFF(p), P_VAL(p), 2);
}

static void m_set32(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	assert_true(P_OFF(p) + 4 <= len);
	hu_st(b + P_OFF(p), P_VAL(p), 4);
}

static void m_xor8(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	assert_true(P_OFF(p) < len);
	b[P_OFF(p)] ^= (uint8_t)P_VAL(p);
}

static void m_magic(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	(void)len;
	memcpy(b, p == 0 ? "BAAD" : "INDY", 4);
}

/* ---- 1. update sequence array -------------------------------------------- */

CASE(h01_usa_offset_outside_record, RECORD_RAW(C512, "/small.txt"), .mutate = m_set16,
     .param = P(R_USA_OFF, 0xFFF0), RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_FIXUP))
CASE(h01_usa_offset_crosses_first_sector, RECORD_RAW(C512, "/small.txt"), .mutate = m_set16,
     .param = P(R_USA_OFF, 506), RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_FIXUP))
CASE(h01_usa_offset_odd, RECORD_RAW(C512, "/small.txt"), .mutate = m_set16,
     .param = P(R_USA_OFF, 0x31), RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_FIXUP))
CASE(h01_usa_count_too_small, RECORD_RAW(C512, "/small.txt"), .mutate = m_set16,
     .param = P(R_USA_COUNT, 2), RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_FIXUP))
CASE(h01_usa_count_too_large, RECORD_RAW(C512, "/small.txt"), .mutate = m_set16,
     .param = P(R_USA_COUNT, 0xFFFF), RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_FIXUP))
CASE(h01_usa_count_zero, RECORD_RAW(C512, "/small.txt"), .mutate = m_set16,
     .param = P(R_USA_COUNT, 0), RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_FIXUP))
CASE(h01_usa_sequence_mismatch, RECORD_RAW(C512, "/small.txt"), .mutate = m_xor8,
     .param = P(1022, 0xFF), RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_FIXUP))
CASE(h01_usa_sequence_mismatch_first_sector, RECORD_RAW(C512, "/small.txt"), .mutate = m_xor8,
     .param = P(511, 0x01), RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_FIXUP))
/* 4 KiB records: 8 strides; the last one torn. */
CASE(h01_usa_sequence_mismatch_4k_record, RECORD_RAW("ntfs-s4k", "/small.txt"), .mutate = m_xor8,
     .param = P(4094, 0x10), RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_FIXUP))
/* The $MFT's own record, read before anything else. */
CASE(h01_usa_sequence_mismatch_mft_record, RECORD_RAW(C512, "#0"), .mutate = m_xor8,
     .param = P(510, 0x01), RUN(hu_op_mount, NULL, NTFS_ERR_CORRUPT_FIXUP))

/* ---- 2. bytes in use ------------------------------------------------------ */

CASE(h02_bytes_in_use_over_allocated, RECORD(C512, "/small.txt"), .mutate = m_set32,
     .param = P(R_USED, 1032), RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_RECORD))
CASE(h02_bytes_allocated_over_record_size, RECORD(C512, "/small.txt"), .mutate = m_set32,
     .param = P(R_ALLOC, 4096), RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_RECORD))
CASE(h02_bytes_in_use_huge, RECORD(C512, "/small.txt"), .mutate = m_set32,
     .param = P(R_USED, 0xFFFFFFF8u), RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_RECORD))

/* ---- 3. first attribute offset -------------------------------------------- */

static void m_first_at_used(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	(void)len;
	(void)p;
	hu_st(b + R_FIRST, ld32(b + R_USED), 2);
}

CASE(h03_first_attr_at_bytes_in_use, RECORD(C512, "/small.txt"), .mutate = m_first_at_used,
     RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_RECORD))
CASE(h03_first_attr_unaligned, RECORD(C512, "/small.txt"), .mutate = m_set16,
     .param = P(R_FIRST, 0x3C), RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_RECORD))
CASE(h03_first_attr_inside_usa, RECORD(C512, "/small.txt"), .mutate = m_set16,
     .param = P(R_FIRST, 0x30), RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_RECORD))
CASE(h03_first_attr_past_record, RECORD(C512, "/small.txt"), .mutate = m_set16,
     .param = P(R_FIRST, 0xFFF8), RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_RECORD))

/* ---- 4. BAAD and records not in use --------------------------------------- */

static void m_clear_in_use(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	(void)len;
	(void)p;
	hu_st(b + R_FLAGS, ld16(b + R_FLAGS) & ~1u, 2);
}

static void m_seq_plus_one(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	(void)len;
	(void)p;
	hu_st(b + R_SEQ, ld16(b + R_SEQ) + 1u, 2);
}

CASE(h04_baad_record, RECORD_RAW(C512, "/small.txt"), .mutate = m_magic, .param = 0,
     RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_RECORD))
CASE(h04_baad_mft_record, RECORD_RAW(C512, "#0"), .mutate = m_magic, .param = 0,
     RUN(hu_op_mount, NULL, NTFS_ERR_CORRUPT_RECORD))
CASE(h04_record_not_in_use_by_path, RECORD(C512, "/small.txt"), .mutate = m_clear_in_use,
     RUN(hu_op_open, "/small.txt", NTFS_ERR_STALE))
CASE(h04_record_not_in_use_by_number, RECORD(C512, "#65"), .mutate = m_clear_in_use,
     RUN(hu_op_open, "#65", NTFS_ERR_STALE))
CASE(h04_record_sequence_reused, RECORD(C512, "/small.txt"), .mutate = m_seq_plus_one,
     RUN(hu_op_open, "/small.txt", NTFS_ERR_STALE))
CASE(h04_mft_record_not_in_use, RECORD(C512, "#0"), .mutate = m_clear_in_use,
     RUN(hu_op_mount, NULL, NTFS_ERR_CORRUPT_MFT))
/* $Volume not in use: a system file is inconsistent (the mount's contract
 * has no NTFS_ERR_STALE). */
CASE(h04_system_record_not_in_use, RECORD(C512, "#3"), .mutate = m_clear_in_use,
     RUN(hu_op_mount, NULL, NTFS_ERR_CORRUPT_MFT))

/* ---- 5. attribute length and the end marker ------------------------------- */

/* Attribute @type (unnamed unless P_VAL names an attribute index) field. */
static uint32_t first_attr(const uint8_t *b)
{
	return ld16(b + R_FIRST);
}

static void m_attr0_len(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = first_attr(b);
	(void)h;
	(void)len;
	hu_st(b + a + A_LEN, (uint64_t)(ld32(b + a + A_LEN) * (p >> 8 & 1) + (int8_t)(p & 0xFF)),
	      4);
}

static void m_attr0_len_to_used(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = first_attr(b);
	(void)h;
	(void)len;
	(void)p;
	hu_st(b + a + A_LEN, ld32(b + R_USED) - a + 8, 4);
}

static void m_drop_end_marker(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	(void)len;
	(void)p;
	hu_st(b + R_USED, hu_attr_end(b), 4);
}

static void m_zero_end_marker(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	(void)len;
	(void)p;
	memset(b + hu_attr_end(b), 0, 8);
}

/* param: bit 8 keeps the old length, the low byte is added (signed). */
CASE(h05_attr_length_zero, RECORD(C512, "/small.txt"), .mutate = m_attr0_len, .param = 0,
     RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_ATTR))
CASE(h05_attr_length_too_short, RECORD(C512, "/small.txt"), .mutate = m_attr0_len, .param = 8,
     RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_ATTR))
CASE(h05_attr_length_unaligned, RECORD(C512, "/small.txt"), .mutate = m_attr0_len,
     .param = 0x100 | 4, RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_ATTR))
CASE(h05_attr_length_past_bytes_in_use, RECORD(C512, "/small.txt"), .mutate = m_attr0_len_to_used,
     RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_ATTR))
CASE(h05_end_marker_missing, RECORD(C512, "/small.txt"), .mutate = m_drop_end_marker,
     RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_ATTR))
CASE(h05_end_marker_zeroed, RECORD(C512, "/small.txt"), .mutate = m_zero_end_marker,
     RUN(hu_op_open, "/small.txt", NTFS_ERR_CORRUPT_ATTR))

/* ---- 6. resident value bounds --------------------------------------------- */

/* Field of the unnamed $DATA: P_OFF field offset, P_VAL value; a value of
 * 0xFFFF0000 + n means "attribute length + n - 0x8000". */
static uint32_t rel_value(const uint8_t *a, uint32_t v)
{
	if ((v & 0xFFFF0000u) == 0xFFFF0000u)
		return ld32(a + A_LEN) + (v & 0xFFFFu) - 0x8000u;
	return v;
}
#define ALEN(n) (0xFFFF0000u | (uint32_t)(0x8000 + (n)))

static void m_data_field32(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *a = b + hu_attr_find(b, AT_DATA, "");
	(void)h;
	(void)len;
	hu_st(a + P_OFF(p), rel_value(a, P_VAL(p)), 4);
}

static void m_data_field16(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *a = b + hu_attr_find(b, AT_DATA, "");
	(void)h;
	(void)len;
	hu_st(a + P_OFF(p), rel_value(a, P_VAL(p)), 2);
}

static void m_value_one_past(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *a = b + hu_attr_find(b, AT_DATA, "");
	(void)h;
	(void)len;
	(void)p;
	hu_st(a + A_VLEN, ld32(a + A_LEN) - ld16(a + A_VOFF) + 1, 4);
}

CASE(h06_resident_value_length_huge, RECORD(C512, "/small.txt"), .mutate = m_data_field32,
     .param = P(A_VLEN, 0xFFFFFFF0u), RUN(hu_op_read, "/small.txt", NTFS_ERR_CORRUPT_ATTR))
CASE(h06_resident_value_one_byte_past, RECORD(C512, "/small.txt"), .mutate = m_value_one_past,
     RUN(hu_op_read, "/small.txt", NTFS_ERR_CORRUPT_ATTR))
CASE(h06_resident_value_offset_past_attr, RECORD(C512, "/small.txt"), .mutate = m_data_field16,
     .param = P(A_VOFF, ALEN(0)), RUN(hu_op_read, "/small.txt", NTFS_ERR_CORRUPT_ATTR))
CASE(h06_resident_value_offset_in_header, RECORD(C512, "/small.txt"), .mutate = m_data_field16,
     .param = P(A_VOFF, 16), RUN(hu_op_read, "/small.txt", NTFS_ERR_CORRUPT_ATTR))

/* ---- 7. attribute names --------------------------------------------------- */

#define NOTE "/streams/small-stream.txt"

static void m_note_field(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *a = b + hu_attr_find(b, AT_DATA, "note");
	(void)h;
	(void)len;
	if (P_OFF(p) == A_NAME_LEN)
		a[A_NAME_LEN] = (uint8_t)P_VAL(p);
	else
		hu_st(a + P_OFF(p), rel_value(a, P_VAL(p)), 2);
}

static void m_note_name_unit(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *a = b + hu_attr_find(b, AT_DATA, "note");
	(void)h;
	(void)len;
	hu_st(a + ld16(a + A_NAME_OFF) + 2 * P_OFF(p), P_VAL(p), 2);
}

CASE(h07_name_length_past_attr, RECORD(C512, NOTE), .mutate = m_note_field,
     .param = P(A_NAME_LEN, 200), RUN(hu_op_read, NOTE ":note", NTFS_ERR_CORRUPT_ATTR))
CASE(h07_name_offset_past_attr, RECORD(C512, NOTE), .mutate = m_note_field,
     .param = P(A_NAME_OFF, ALEN(-2)), RUN(hu_op_read, NOTE ":note", NTFS_ERR_CORRUPT_ATTR))
CASE(h07_name_offset_in_header, RECORD(C512, NOTE), .mutate = m_note_field,
     .param = P(A_NAME_OFF, 8), RUN(hu_op_read, NOTE ":note", NTFS_ERR_CORRUPT_ATTR))
CASE(h07_name_contains_nul, RECORD(C512, NOTE), .mutate = m_note_name_unit, .param = P(2, 0),
     RUN(hu_op_read, NOTE ":note", NTFS_ERR_CORRUPT_ATTR))

/* Two non-resident streams of one record with the same attribute id
 * ("gamma" given the id of "beta"): each still reads its own runs. */
#define MULTI "/streams/multi.txt"

static void m_gamma_takes_beta_id(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t beta = hu_attr_find(b, AT_DATA, "beta"), gamma = hu_attr_find(b, AT_DATA, "gamma");
	(void)h;
	(void)len;
	(void)p;
	assert_int_equal(b[beta + A_NONRES], 1);
	assert_int_equal(b[gamma + A_NONRES], 1);
	hu_st(b + gamma + 14, ld16(b + beta + 14), 2);
}

static uint8_t *read_whole(struct hu *h, const char *path, const char *stream, size_t *len)
{
	ntfs_file *f;
	ntfs_stream *s;
	uint8_t *buf;

	assert_int_equal(hu_mount(h), NTFS_OK);
	assert_int_equal(ntfs_path_open(h->vol, path, &f), NTFS_OK);
	assert_int_equal(ntfs_stream_open(f, stream, &s), NTFS_OK);
	buf = malloc((size_t)ntfs_stream_size(s));
	assert_non_null(buf);
	assert_int_equal(ntfs_stream_read(s, 0, buf, (size_t)ntfs_stream_size(s), len), NTFS_OK);
	assert_int_equal(*len, ntfs_stream_size(s));
	ntfs_stream_close(s);
	ntfs_file_close(f);
	hu_unmount(h);
	return buf;
}

static void h07_duplicate_attribute_id(void **state)
{
	static const struct hu_case c = {RECORD(C512, MULTI), .mutate = m_gamma_takes_beta_id,
	                                 RUN(hu_op_read, MULTI ":gamma", NTFS_OK)};
	struct hu h;
	uint8_t *want, *got;
	size_t want_len, got_len;

	(void)state;
	hu_open(&h, C512);
	want = read_whole(&h, MULTI, "gamma", &want_len);
	hu_close(&h);
	assert_int_equal(want_len, 70000);
	hu_case_prepare(&c, &h);
	got = read_whole(&h, MULTI, "gamma", &got_len);
	assert_int_equal(got_len, want_len);
	assert_memory_equal(got, want, want_len);
	hu_close(&h);
	free(want);
	free(got);
}

/* ---- 8. non-resident headers ---------------------------------------------- */

#define R100K "/random-100k.bin"

static void m_nr_field(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *a = b + hu_attr_find(b, AT_DATA, "");
	uint32_t off = P_OFF(p) & 0xFFFF, width = P_OFF(p) >> 16;
	uint64_t v = P_VAL(p);
	(void)h;
	(void)len;
	assert_int_equal(a[A_NONRES], 1);
	if (v == 0xFFFFFFFFu) /* attribute length */
		v = ld32(a + A_LEN);
	else if (v >= 0xFFFF0000u) /* old value + (v - 0xFFFF8000) */
		v = hu_ld(a + off, (int)width) + (v & 0xFFFF) - 0x8000;
	hu_st(a + off, v, (int)width);
}
#define NR(off, width) ((off) | (width) << 16)
#define ADD(n) (0xFFFF0000u | (uint32_t)(0x8000 + (n)))

CASE(h08_nonresident_flag_two, RECORD(C512, R100K), .mutate = m_nr_field,
     .param = P(NR(A_NONRES, 1), 2), RUN(hu_op_read, R100K, NTFS_ERR_CORRUPT_ATTR))
CASE(h08_mapping_pairs_offset_at_length, RECORD(C512, R100K), .mutate = m_nr_field,
     .param = P(NR(A_MP_OFF, 2), 0xFFFFFFFFu), RUN(hu_op_read, R100K, NTFS_ERR_CORRUPT_ATTR))
CASE(h08_mapping_pairs_offset_in_header, RECORD(C512, R100K), .mutate = m_nr_field,
     .param = P(NR(A_MP_OFF, 2), 40), RUN(hu_op_read, R100K, NTFS_ERR_CORRUPT_ATTR))
CASE(h08_lowest_vcn_over_highest, RECORD(C512, R100K), .mutate = m_nr_field,
     .param = P(NR(A_LOWEST, 8), 300), RUN(hu_op_read, R100K, NTFS_ERR_CORRUPT_ATTR))
CASE(h08_initialized_over_data_size, RECORD(C512, R100K), .mutate = m_nr_field,
     .param = P(NR(A_INIT, 8), ADD(512)), RUN(hu_op_read, R100K, NTFS_ERR_CORRUPT_ATTR))
CASE(h08_data_over_allocated_size, RECORD(C512, R100K), .mutate = m_nr_field,
     .param = P(NR(A_DATA, 8), ADD(512)), RUN(hu_op_read, R100K, NTFS_ERR_CORRUPT_ATTR))
CASE(h08_compression_unit_on_uncompressed, RECORD(C512, R100K), .mutate = m_nr_field,
     .param = P(NR(A_CU, 1), 4), RUN(hu_op_read, R100K, NTFS_ERR_CORRUPT_ATTR))
/* A compression method other than LZNT1 (0x0001) is refused, not read raw. */
CASE(h08_compression_method_unknown, RECORD(C512, R100K), .mutate = m_nr_field,
     .param = P(NR(A_FLAGS, 2), 0x0002), RUN(hu_op_read, R100K, NTFS_ERR_UNSUPPORTED))

/* ---- 9. minimum value sizes ----------------------------------------------- */

static void m_value_len(struct hu *h, uint8_t *b, size_t len, long long p)
{
	/* P_OFF: attribute type; P_VAL: new value length. */
	uint32_t a = hu_attr_find(b, P_OFF(p), P_OFF(p) == AT_IROOT ? "$I30" : "");
	(void)h;
	(void)len;
	hu_st(b + a + A_VLEN, P_VAL(p), 4);
}

static void m_fn_name_len_past(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, AT_FN, "");
	uint8_t *v = hu_attr_value(b, a);
	(void)h;
	(void)len;
	(void)p;
	v[64] = (uint8_t)((ld32(b + a + A_VLEN) - 66) / 2 + 1);
}

CASE(h09_standard_information_short, RECORD(C512, "/small.txt"), .mutate = m_value_len,
     .param = P(0x10, 47), RUN(hu_op_stat, "/small.txt", NTFS_ERR_CORRUPT_ATTR))
CASE(h09_file_name_short, RECORD(C512, "/nested/level1"), .mutate = m_value_len,
     .param = P(AT_FN, 65), RUN(hu_op_open, "/nested/level1/..", NTFS_ERR_CORRUPT_ATTR))
CASE(h09_file_name_length_past_value, RECORD(C512, "/nested/level1"), .mutate = m_fn_name_len_past,
     RUN(hu_op_open, "/nested/level1/..", NTFS_ERR_CORRUPT_ATTR))
CASE(h09_volume_information_short, RECORD(C512, "#3"), .mutate = m_value_len,
     .param = P(AT_VOLINFO, 11), RUN(hu_op_mount, NULL, NTFS_ERR_CORRUPT_ATTR))
CASE(h09_index_root_short, RECORD(C512, "/unicode"), .mutate = m_value_len,
     .param = P(AT_IROOT, 40), RUN(hu_op_list, "/unicode", NTFS_ERR_CORRUPT_INDEX))

/* ---- 10. attribute list entries ------------------------------------------- */

#define FRAGF "/fragmented.bin"

/* Offset of attribute list entry @k (k < 0: the last one). */
static uint32_t alist_entry(const struct hu *h, const uint8_t *b, int k)
{
	uint32_t off = 0, last = 0;
	int i = 0;

	while (off < h->stream_size) {
		if (i == k)
			return off;
		last = off;
		assert_true(ld16(b + off + L_LEN) >= 26);
		off += ld16(b + off + L_LEN);
		i++;
	}
	assert_true(k < 0 && off == h->stream_size);
	return last;
}

/* P_OFF: entry index (0xFFFF: last); P_VAL: new length, or ADD(n). */
static void m_alist_len(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t e = alist_entry(h, b, P_OFF(p) == 0xFFFF ? -1 : (int)P_OFF(p));
	uint32_t v = P_VAL(p);
	(void)len;
	if (v >= 0xFFFF0000u)
		v = ld16(b + e + L_LEN) + (v & 0xFFFF) - 0x8000;
	hu_st(b + e + L_LEN, v, 2);
}

static void m_alist_name(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t e = alist_entry(h, b, 0);
	(void)len;
	b[e + L_NAME_LEN] = (uint8_t)P_OFF(p);
	b[e + L_NAME_OFF] = (uint8_t)P_VAL(p);
}

CASE(h10_alist_entry_length_zero, ALIST(FRAG, FRAGF), .mutate = m_alist_len, .param = P(0, 0),
     RUN(hu_op_read, FRAGF, NTFS_ERR_CORRUPT_ATTRLIST))
CASE(h10_alist_entry_shorter_than_header, ALIST(FRAG, FRAGF), .mutate = m_alist_len,
     .param = P(0, 24), RUN(hu_op_read, FRAGF, NTFS_ERR_CORRUPT_ATTRLIST))
CASE(h10_alist_entry_length_unaligned, ALIST(FRAG, FRAGF), .mutate = m_alist_len,
     .param = P(0, ADD(4)), RUN(hu_op_read, FRAGF, NTFS_ERR_CORRUPT_ATTRLIST))
CASE(h10_alist_entry_past_list_end, ALIST(FRAG, FRAGF), .mutate = m_alist_len,
     .param = P(0xFFFF, ADD(8)), RUN(hu_op_read, FRAGF, NTFS_ERR_CORRUPT_ATTRLIST))
CASE(h10_alist_name_past_entry, ALIST(FRAG, FRAGF), .mutate = m_alist_name, .param = P(10, 26),
     RUN(hu_op_read, FRAGF, NTFS_ERR_CORRUPT_ATTRLIST))
CASE(h10_alist_name_in_entry_header, ALIST(FRAG, FRAGF), .mutate = m_alist_name, .param = P(1, 8),
     RUN(hu_op_read, FRAGF, NTFS_ERR_CORRUPT_ATTRLIST))

/* The $ATTRIBUTE_LIST attribute itself named (its first mapping-pairs
 * byte as the one name unit): the list is the unnamed one. */
static void m_alist_attr_named(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, AT_ALIST, NULL), mp = ld16(b + a + A_MP_OFF);
	(void)h;
	(void)len;
	(void)p;
	assert_int_equal(b[a + A_NONRES], 1);
	assert_true(ld16(b + a + mp) != 0);
	b[a + A_NAME_LEN] = 1;
	hu_st(b + a + A_NAME_OFF, mp, 2);
}

CASE(h10_alist_attribute_named, RECORD(FRAG, FRAGF), .mutate = m_alist_attr_named,
     RUN(hu_op_open, FRAGF, NTFS_ERR_CORRUPT_ATTRLIST))

/* ---- 11. the $MFT's $DATA described by its attribute list ----------------- */

/* Entry of the $DATA extent that does not start at VCN 0. */
static uint32_t alist_ext_data(const struct hu *h, const uint8_t *b)
{
	for (uint32_t off = 0; off < h->stream_size; off += ld16(b + off + L_LEN))
		if (ld32(b + off) == AT_DATA && b[off + L_NAME_LEN] == 0 &&
		    ld64(b + off + L_VCN) != 0)
			return off;
	fail_msg("no $DATA extension entry in the attribute list");
	return 0;
}

static void m_mft_ext_entry(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t e = alist_ext_data(h, b);
	(void)len;
	switch (p) {
	case 0: /* length 0 */
		hu_st(b + e + L_LEN, 0, 2);
		break;
	case 1: /* VCN that matches no attribute, leaves a gap */
		hu_st(b + e + L_VCN, ld64(b + e + L_VCN) + 1, 8);
		break;
	case 2: /* a record only the second extent maps */
		hu_st(b + e + L_REF, h->vi.mft_records - 1, 8);
		break;
	default:
		fail();
	}
}

CASE(h11_mft_alist_entry_past_list_end, ALIST(MFTLIST, "#0"), .mutate = m_alist_len,
     .param = P(0xFFFF, ADD(8)), RUN(hu_op_mount, NULL, NTFS_ERR_CORRUPT_ATTRLIST))
CASE(h11_mft_alist_data_entry_length_zero, ALIST(MFTLIST, "#0"), .mutate = m_mft_ext_entry,
     .param = 0, RUN(hu_op_mount, NULL, NTFS_ERR_CORRUPT_ATTRLIST))
CASE(h11_mft_alist_data_entry_vcn_gap, ALIST(MFTLIST, "#0"), .mutate = m_mft_ext_entry, .param = 1,
     RUN(hu_op_mount, NULL, NTFS_ERR_CORRUPT_ATTRLIST))
/* The extension holding extent 2 lies in a record only extent 2 maps. */
CASE(h11_mft_extension_unreachable, ALIST(MFTLIST, "#0"), .mutate = m_mft_ext_entry, .param = 2,
     RUN(hu_op_mount, NULL, NTFS_ERR_CORRUPT_MFT))

/* Read the attribute list of @spec and return the record reference of its
 * @k-th $DATA entry (k counts from 0). */
static uint64_t alist_data_ref(const char *image, const char *spec, int k)
{
	struct hu h;
	ntfs_file *f;
	ntfs_stream *s;
	uint8_t *buf;
	size_t got;
	uint64_t size, ref = 0;
	int i = 0;

	hu_open(&h, image);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	assert_int_equal(hu_open_spec(h.vol, spec, &f), NTFS_OK);
	assert_int_equal(ntfs_attr_open(f, AT_ALIST, NULL, 0, &s), NTFS_OK);
	size = ntfs_stream_size(s);
	buf = malloc((size_t)size);
	assert_non_null(buf);
	assert_int_equal(ntfs_stream_read(s, 0, buf, (size_t)size, &got), NTFS_OK);
	assert_int_equal(got, size);
	for (uint32_t off = 0; off < size; off += ld16(buf + off + L_LEN)) {
		assert_true(ld16(buf + off + L_LEN) >= 26);
		if (ld32(buf + off) == AT_DATA && buf[off + L_NAME_LEN] == 0 && i++ == k) {
			ref = ld64(buf + off + L_REF);
			break;
		}
	}
	free(buf);
	ntfs_stream_close(s);
	ntfs_file_close(f);
	hu_unmount(&h);
	hu_close(&h);
	if (ref == 0)
		fail_msg("%s %s: no $DATA entry %d", image, spec, k);
	return ref;
}

static void h11_mft_data_in_attribute_list(void **state)
{
	struct hu h;
	struct ntfs_attr_info *ai = malloc(sizeof *ai);
	struct ntfs_dirent *ent = malloc(sizeof *ent);
	uint64_t ext = alist_data_ref(MFTLIST, "#0", 1), first_ext_vcn = 0, opened = 0;
	uint32_t cursor = 0, data_extents = 0;
	ntfs_file *f, *many;
	ntfs_dir *d;
	int r;

	(void)state;
	assert_non_null(ai);
	assert_non_null(ent);
	hu_open(&h, MFTLIST);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	/* $DATA of record 0 comes in two extents, the second in an extension. */
	assert_int_equal(ntfs_file_open(h.vol, 0, &f), NTFS_OK);
	while ((r = ntfs_attr_next(f, &cursor, ai)) == 1) {
		if (ai->type != AT_DATA || ai->name_len != 0)
			continue;
		data_extents++;
		if (ai->lowest_vcn != 0) {
			assert_int_equal(ai->record, NTFS_REF_RECORD(ext));
			first_ext_vcn = ai->lowest_vcn;
		}
	}
	assert_int_equal(r, 0);
	ntfs_file_close(f);
	assert_int_equal(data_extents, 2);
	assert_true(first_ext_vcn > 0);
	/* Files whose records only the second extent maps open and read. */
	assert_int_equal(ntfs_path_open(h.vol, "/many", &many), NTFS_OK);
	assert_int_equal(ntfs_dir_open(many, 0, &d), NTFS_OK);
	while ((r = ntfs_dir_next(d, ent)) == 1) {
		uint64_t rec = NTFS_REF_RECORD(ent->ref);
		if (rec * h.vi.record_size / h.vi.cluster_size >= first_ext_vcn) {
			char spec[32];
			snprintf(spec, sizeof spec, "#%llu", (unsigned long long)rec);
			assert_int_equal(hu_op_stat(h.vol, spec), NTFS_OK);
			opened++;
		}
	}
	assert_int_equal(r, 0);
	ntfs_dir_close(d);
	ntfs_file_close(many);
	assert_true(opened > 0);
	hu_unmount(&h);
	hu_close(&h);
	free(ai);
	free(ent);
}

/* The extension record of the $MFT's second $DATA extent: base reference
 * changed. */
static void m_base_ref(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	(void)len;
	hu_st(b + R_BASE, (uint64_t)p, 8);
}

static void run_ext_record_case(const char *image, const char *file, int k,
                                void (*mutate)(struct hu *, uint8_t *, size_t, long long),
                                long long param, hu_op op, const char *arg, int expect)
{
	uint64_t ref = alist_data_ref(image, file, k);
	char target[32];
	struct hu_case c = {RECORD(image, target), .mutate = mutate, .param = param,
	                    RUN(op, arg, expect)};

	snprintf(target, sizeof target, "#%llu", (unsigned long long)NTFS_REF_RECORD(ref));
	if (param == -1) /* base reference: the extension itself */
		c.param =
		        (long long)(NTFS_REF_RECORD(ref) | (uint64_t)NTFS_REF_SEQUENCE(ref) << 48);
	hu_case_run(&c);
}

static void h11_mft_extension_base_mismatch(void **state)
{
	(void)state;
	run_ext_record_case(MFTLIST, "#0", 1, m_base_ref, 1ll << 48 | 5 /* record 5 */, hu_op_mount,
	                    NULL, NTFS_ERR_CORRUPT_ATTRLIST);
}

/* ---- 12. extension records ------------------------------------------------- */

static void h12_extension_not_in_use(void **state)
{
	(void)state;
	run_ext_record_case(FRAG, FRAGF, 2, m_clear_in_use, 0, hu_op_read, FRAGF,
	                    NTFS_ERR_CORRUPT_ATTRLIST);
}

static void h12_extension_base_ref_mismatch(void **state)
{
	(void)state;
	/* Base reference: record 64 (hello.txt) with sequence 1. */
	run_ext_record_case(FRAG, FRAGF, 2, m_base_ref, 1ll << 48 | 64, hu_op_read, FRAGF,
	                    NTFS_ERR_CORRUPT_ATTRLIST);
}

static void h12_extension_base_ref_self(void **state)
{
	(void)state;
	run_ext_record_case(FRAG, FRAGF, 2, m_base_ref, -1, hu_op_read, FRAGF,
	                    NTFS_ERR_CORRUPT_ATTRLIST);
}

static void h12_extension_base_ref_zero(void **state)
{
	(void)state;
	/* An extension that claims to be a base record. */
	run_ext_record_case(FRAG, FRAGF, 2, m_base_ref, 0, hu_op_read, FRAGF,
	                    NTFS_ERR_CORRUPT_ATTRLIST);
}

static void m_ext_attr_vcn(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, AT_DATA, "");
	(void)h;
	(void)len;
	(void)p;
	hu_st(b + a + A_LOWEST, ld64(b + a + A_LOWEST) + 1, 8);
}

static void h12_extension_attr_vcn_mismatch(void **state)
{
	(void)state;
	run_ext_record_case(FRAG, FRAGF, 2, m_ext_attr_vcn, 0, hu_op_read, FRAGF,
	                    NTFS_ERR_CORRUPT_ATTRLIST);
}

static void h12_extension_opened_as_file(void **state)
{
	(void)state;
	/* An extension record is not a file: NTFS_ERR_STALE (nothing is
	 * changed: the valid file opens, its extension does not). */
	uint64_t ref = alist_data_ref(FRAG, FRAGF, 2);
	char spec[32];
	struct hu h;

	snprintf(spec, sizeof spec, "#%llu", (unsigned long long)NTFS_REF_RECORD(ref));
	hu_open(&h, FRAG);
	hu_expect(&h, hu_op_open, FRAGF, NTFS_OK);
	hu_expect(&h, hu_op_open, spec, NTFS_ERR_STALE);
	hu_close(&h);
}

/* Attribute list entry of the @P_OFF-th $DATA extent. */
static uint32_t alist_data_entry(const struct hu *h, const uint8_t *b, int k)
{
	int i = 0;

	for (uint32_t off = 0; off < h->stream_size; off += ld16(b + off + L_LEN))
		if (ld32(b + off) == AT_DATA && b[off + L_NAME_LEN] == 0 && i++ == k)
			return off;
	fail_msg("no $DATA entry %d", k);
	return 0;
}

static void m_alist_data_ref(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t e = alist_data_entry(h, b, 2);
	uint64_t ref = ld64(b + e + L_REF);
	(void)len;
	switch (p) {
	case 0: /* the base record itself (checked to be 66) */
		ref = 66 | (ref & 0xFFFF000000000000ull);
		break;
	case 1: /* sequence number of the extension changed */
		ref += 1ull << 48;
		break;
	case 2: /* past the end of the $MFT */
		ref = 0x0000FFFFFFFFFFFFull;
		break;
	case 3: /* another file's base record (hello.txt) */
		ref = 64;
		break;
	default:
		fail();
	}
	hu_st(b + e + L_REF, ref, 8);
}

static void m_alist_data_vcn_repeat(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t e1 = alist_data_entry(h, b, 1), e2 = alist_data_entry(h, b, 2);
	(void)len;
	(void)p;
	hu_st(b + e2 + L_VCN, ld64(b + e1 + L_VCN), 8);
}

static void h12_alist_entry_points_at_base(void **state)
{
	struct hu h;
	static const struct hu_case c = {ALIST(FRAG, FRAGF), .mutate = m_alist_data_ref, .param = 0,
	                                 RUN(hu_op_read, FRAGF, NTFS_ERR_CORRUPT_ATTRLIST)};
	uint64_t base;

	(void)state;
	hu_open(&h, FRAG);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	base = hu_recno(&h, FRAGF);
	hu_unmount(&h);
	hu_close(&h);
	assert_int_equal(base, 66);
	hu_case_run(&c);
}

CASE(h12_alist_entry_sequence_mismatch, ALIST(FRAG, FRAGF), .mutate = m_alist_data_ref, .param = 1,
     RUN(hu_op_read, FRAGF, NTFS_ERR_CORRUPT_ATTRLIST))
CASE(h12_alist_entry_past_mft_end, ALIST(FRAG, FRAGF), .mutate = m_alist_data_ref, .param = 2,
     RUN(hu_op_read, FRAGF, NTFS_ERR_CORRUPT_ATTRLIST))
CASE(h12_alist_entry_other_file_record, ALIST(FRAG, FRAGF), .mutate = m_alist_data_ref, .param = 3,
     RUN(hu_op_read, FRAGF, NTFS_ERR_CORRUPT_ATTRLIST))
CASE(h12_alist_extent_vcn_repeated, ALIST(FRAG, FRAGF), .mutate = m_alist_data_vcn_repeat,
     RUN(hu_op_read, FRAGF, NTFS_ERR_CORRUPT_ATTRLIST))

/* Non-resident $ATTRIBUTE_LIST of the base record: sizes set to P. */
static void m_alist_sizes(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, AT_ALIST, "");
	(void)h;
	(void)len;
	assert_int_equal(b[a + A_NONRES], 1);
	hu_st(b + a + A_ALLOC, (uint64_t)p, 8);
	hu_st(b + a + A_DATA, (uint64_t)p, 8);
	hu_st(b + a + A_INIT, (uint64_t)p, 8);
}

CASE(h12_alist_declared_size_huge, RECORD(FRAG, FRAGF), .mutate = m_alist_sizes, .param = 1ll << 30,
     RUN(hu_op_open, FRAGF, NTFS_ERR_LIMIT))

/* ---- 13. runlist encoding --------------------------------------------------- */

static uint8_t *data_mp(uint8_t *b, uint32_t *mp_len)
{
	uint8_t *a = b + hu_attr_find(b, AT_DATA, "");
	assert_int_equal(a[A_NONRES], 1);
	*mp_len = ld32(a + A_LEN) - ld16(a + A_MP_OFF);
	return a + ld16(a + A_MP_OFF);
}

/* P_OFF 0: set the first header byte to P_VAL; 1: zero the first run's
 * length bytes; 2: OR P_VAL into the first header byte. */
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
	case 2:
		mp[0] = (uint8_t)((mp[0] & ~P_VAL(p)) | P_VAL(p));
		break;
	default:
		fail();
	}
}

/* Replace the terminator and the padding with 1-cluster sparse runs up to
 * the end of the attribute, and extend the VCN range over them: every run
 * is valid, only the terminator is missing. */
static void m_mp_no_terminator(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *a = b + hu_attr_find(b, AT_DATA, "");
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
	hu_st(a + A_HIGHEST, ld64(a + A_HIGHEST) + added, 8);
}

CASE(h13_runlist_length_nibble_over_8, RECORD(C512, R100K), .mutate = m_mp_header,
     .param = P(0, 0x29), RUN(hu_op_read, R100K, NTFS_ERR_CORRUPT_RUNLIST))
CASE(h13_runlist_offset_nibble_over_8, RECORD(C512, R100K), .mutate = m_mp_header,
     .param = P(0, 0x91), RUN(hu_op_read, R100K, NTFS_ERR_CORRUPT_RUNLIST))
CASE(h13_runlist_run_past_attribute_end, RECORD(C512, R100K), .mutate = m_mp_header,
     .param = P(0, 0x44), RUN(hu_op_read, R100K, NTFS_ERR_CORRUPT_RUNLIST))
CASE(h13_runlist_missing_terminator, RECORD(C512, R100K), .mutate = m_mp_no_terminator,
     RUN(hu_op_map, R100K, NTFS_ERR_CORRUPT_RUNLIST))

/* ---- 14. zero-length runs, empty runlists, VCN range ------------------------ */

static void m_highest_add(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *a = b + hu_attr_find(b, AT_DATA, "");
	(void)h;
	(void)len;
	hu_st(a + A_HIGHEST, ld64(a + A_HIGHEST) + (uint64_t)p, 8);
}

CASE(h14_zero_length_run, RECORD(C512, R100K), .mutate = m_mp_header, .param = P(1, 0),
     RUN(hu_op_read, R100K, NTFS_ERR_CORRUPT_RUNLIST))
CASE(h14_empty_runlist, RECORD(C512, R100K), .mutate = m_mp_header, .param = P(0, 0),
     RUN(hu_op_read, R100K, NTFS_ERR_CORRUPT_RUNLIST))
CASE(h14_runs_shorter_than_vcn_range, RECORD(C512, R100K), .mutate = m_highest_add, .param = 8,
     RUN(hu_op_map, R100K, NTFS_ERR_CORRUPT_RUNLIST))
CASE(h14_runs_longer_than_vcn_range, RECORD(C512, R100K), .mutate = m_highest_add, .param = -1,
     RUN(hu_op_read, R100K, NTFS_ERR_CORRUPT_RUNLIST))

/* ---- 15. LCN range ------------------------------------------------------------ */

#define P3M "/pattern-3m.bin"

/* Rewrite run P_OFF with LCN = f(P_VAL): see lcn_for(). */
enum {
	LCN_TOTAL_MINUS,
	LCN_INT64_MAX,
	LCN_MINUS,
	LCN_PLUS_4G
};

static void m_run_lcn(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, AT_DATA, "");
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
	/* Later runs keep their absolute LCNs. */
	hu_runs_set(b, len, a, runs, n);
}
#define LCN(k, how, v) ((long long)(k) << 48 | (long long)(how) << 40 | (long long)(v))

static void h15_run_past_volume_end(void **state)
{
	/* A 200-cluster run ending exactly at the volume end is accepted;
	 * one cluster later it is not. */
	static const struct hu_case c = {RECORD(C512, R100K), .mutate = m_run_lcn,
	                                 .param = LCN(0, LCN_TOTAL_MINUS, 200),
	                                 RUN(hu_op_map, R100K, NTFS_ERR_CORRUPT_RUNLIST)};
	struct hu h;

	(void)state;
	hu_case_prepare(&c, &h);
	hu_expect(&h, hu_op_map, R100K, NTFS_OK);
	hu_case_mutate(&c, &h, m_run_lcn, LCN(0, LCN_TOTAL_MINUS, 199));
	hu_expect(&h, hu_op_map, R100K, NTFS_ERR_CORRUPT_RUNLIST);
	hu_expect(&h, hu_op_read, R100K, NTFS_ERR_CORRUPT_RUNLIST);
	hu_close(&h);
}

CASE(h15_lcn_plus_length_overflows, RECORD(C512, R100K), .mutate = m_run_lcn,
     .param = LCN(0, LCN_INT64_MAX, 100), RUN(hu_op_read, R100K, NTFS_ERR_CORRUPT_RUNLIST))
CASE(h15_negative_first_lcn, RECORD(C512, R100K), .mutate = m_run_lcn,
     .param = LCN(0, LCN_MINUS, 1), RUN(hu_op_read, R100K, NTFS_ERR_CORRUPT_RUNLIST))
CASE(h15_negative_lcn_after_delta, RECORD(C512, P3M), .mutate = m_run_lcn,
     .param = LCN(1, LCN_MINUS, 5), RUN(hu_op_read, P3M, NTFS_ERR_CORRUPT_RUNLIST))
/* A reader truncating LCNs to 32 bits would read the file's real data. */
CASE(h15_lcn_above_4g_clusters, RECORD(C512, R100K), .mutate = m_run_lcn,
     .param = LCN(0, LCN_PLUS_4G, 0), RUN(hu_op_read, R100K, NTFS_ERR_CORRUPT_RUNLIST))

/* ---- 16. sparse runs with the length's high bit set ---------------------- */

static void m_sparse_high_bit(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, AT_DATA, "");
	uint32_t mp_len;
	uint8_t *mp = data_mp(b, &mp_len);
	struct hu_run runs[16];
	size_t used, n = hu_runs_decode(mp, mp_len, runs, 16, &used);
	(void)h;
	assert_int_equal(n, 1);
	if (p == 0) {
		/* 128 sparse clusters ("01 80"), then the rest of the data. */
		struct hu_run two[2] = {{128, 0, true},
		                        {runs[0].len - 128, runs[0].lcn + 128, false}};
		hu_runs_set(b, len, a, two, 2);
		mp = data_mp(b, &mp_len);
		assert_int_equal(mp[0], 0x01);
		assert_int_equal(mp[1], 0x80);
	} else {
		/* One sparse run of 255 clusters ("01 FF") in a 200-cluster range. */
		struct hu_run one = {255, 0, true};
		hu_runs_set(b, len, a, &one, 1);
	}
}

static void h16_sparse_run_length_high_bit(void **state)
{
	static const struct hu_case c = {RECORD(C512, R100K), .mutate = m_sparse_high_bit,
	                                 .param = 0, RUN(hu_op_read, R100K, NTFS_OK)};
	struct hu h;
	ntfs_file *f;
	ntfs_stream *s;
	uint8_t *before = malloc(102400), *after = malloc(102400);
	size_t got;

	(void)state;
	assert_non_null(before);
	assert_non_null(after);
	/* The data before the change. */
	hu_open(&h, C512);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	assert_int_equal(ntfs_path_open(h.vol, R100K, &f), NTFS_OK);
	assert_int_equal(ntfs_stream_open(f, NULL, &s), NTFS_OK);
	assert_int_equal(ntfs_stream_read(s, 0, before, 102400, &got), NTFS_OK);
	assert_int_equal(got, 102400);
	ntfs_stream_close(s);
	ntfs_file_close(f);
	hu_unmount(&h);
	hu_close(&h);

	hu_case_prepare(&c, &h);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	assert_int_equal(ntfs_path_open(h.vol, R100K, &f), NTFS_OK);
	assert_int_equal(ntfs_stream_open(f, NULL, &s), NTFS_OK);
	assert_int_equal(ntfs_stream_read(s, 0, after, 102400, &got), NTFS_OK);
	assert_int_equal(got, 102400);
	ntfs_stream_close(s);
	ntfs_file_close(f);
	hu_unmount(&h);
	/* 128 clusters of zeros, then the original bytes from 64 KiB on. */
	for (size_t i = 0; i < 65536; i++)
		if (after[i] != 0)
			fail_msg("byte %zu of the 128-cluster hole is %u", i, after[i]);
	assert_memory_equal(after + 65536, before + 65536, 102400 - 65536);
	hu_close(&h);
	free(before);
	free(after);
}

CASE(h16_sparse_run_high_bit_past_range, RECORD(C512, R100K), .mutate = m_sparse_high_bit,
     .param = 1, RUN(hu_op_read, R100K, NTFS_ERR_CORRUPT_RUNLIST))

/* ---- 17. index entries ------------------------------------------------------ */

#define UNI "/unicode"
#define UNI_FILE "/unicode/Привет.txt"

/* Field of entry P_OFF>>8 (0xFF: the END entry) of INDX block 0, field
 * P_OFF & 0xFF; P_VAL the value, or ADD(n), or IDXLEN(n) for "index
 * length - entry offset + n". */
#define IDXLEN(n) (0xFFFE0000u | (uint32_t)(0x8000 + (n)))
#define ENTRY(k, field) ((k) << 8 | (field))

static uint32_t entry_or_end(const uint8_t *node, unsigned k)
{
	uint32_t off;

	if (k != 0xFF)
		return hu_ie_off(node, k);
	off = ld32(node);
	while (!(ld16(node + off + E_FLAGS) & 2))
		off += ld16(node + off + E_LEN);
	return off;
}

static void m_indx_entry(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *node = b + X_NODE;
	uint32_t e = entry_or_end(node, P_OFF(p) >> 8), field = P_OFF(p) & 0xFF;
	uint32_t v = P_VAL(p);
	(void)h;
	(void)len;
	if ((v & 0xFFFF0000u) == 0xFFFF0000u)
		v = ld16(node + e + field) + (v & 0xFFFF) - 0x8000;
	else if ((v & 0xFFFF0000u) == 0xFFFE0000u)
		v = ld32(node + N_INDEX_LEN) - e + (v & 0xFFFF) - 0x8000;
	if (field >= E_KEY)
		node[e + field] = (uint8_t)v;
	else
		hu_st(node + e + field, v, 2);
}

CASE(h17_index_entry_length_zero, INDX0(C512, UNI), .mutate = m_indx_entry,
     .param = P(ENTRY(0, E_LEN), 0), RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))
CASE(h17_index_entry_shorter_than_header, INDX0(C512, UNI), .mutate = m_indx_entry,
     .param = P(ENTRY(0, E_LEN), 8), RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))
CASE(h17_index_key_length_past_entry, INDX0(C512, UNI), .mutate = m_indx_entry,
     .param = P(ENTRY(0, E_KEY_LEN), 0x7FF8), RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))
CASE(h17_index_key_shorter_than_file_name, INDX0(C512, UNI), .mutate = m_indx_entry,
     .param = P(ENTRY(0, E_KEY_LEN), 40), RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))
CASE(h17_index_entry_past_index_length, INDX0(C512, UNI), .mutate = m_indx_entry,
     .param = P(ENTRY(0, E_LEN), IDXLEN(8)), RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))
CASE(h17_index_end_entry_past_index_length, INDX0(C512, UNI), .mutate = m_indx_entry,
     .param = P(ENTRY(0xFF, E_LEN), ADD(8)), RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))
/* The key of entry P is 2 bytes too short for the name it holds. */
static void m_key_short_for_name(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *node = b + X_NODE;
	uint32_t e = hu_ie_off(node, (unsigned)p);
	(void)h;
	(void)len;
	hu_st(node + e + E_KEY_LEN, 66u + 2u * node[e + E_KEY + 64] - 2u, 2);
}

/* Entry P's name length one unit more than its key holds. */
static void m_name_len_past_key(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *node = b + X_NODE;
	uint32_t e = hu_ie_off(node, (unsigned)p);
	(void)h;
	(void)len;
	assert_true(ld16(node + e + E_KEY_LEN) < 66 + 2 * 254);
	node[e + E_KEY + 64] = (uint8_t)((ld16(node + e + E_KEY_LEN) - 66) / 2 + 1);
}

CASE(h17_index_key_shorter_than_name, INDX0(C512, UNI), .mutate = m_key_short_for_name, .param = 3,
     RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))
CASE(h17_index_entry_length_zero_lookup, INDX0(C512, UNI), .mutate = m_indx_entry,
     .param = P(ENTRY(0, E_LEN), 0), RUN(hu_op_open, UNI_FILE, NTFS_ERR_CORRUPT_INDEX))

/* ---- 18. index block and node headers --------------------------------------- */

static void m_node_hdr(struct hu *h, uint8_t *b, size_t len, long long p)
{
	/* P_OFF bit 8: root node (in a record) rather than an INDX block. */
	uint8_t *node =
	        P_OFF(p) & 0x100 ? hu_root_node(b, hu_attr_find(b, AT_IROOT, "$I30")) : b + X_NODE;
	uint32_t field = P_OFF(p) & 0xFF, v = P_VAL(p);
	(void)h;
	(void)len;
	if (v == 0xFFFFFFFFu) /* allocated size + 8 */
		v = ld32(node + N_ALLOC) + 8;
	hu_st(node + field, v, 4);
}

static void m_root_field(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *v = hu_attr_value(b, hu_attr_find(b, AT_IROOT, "$I30"));
	(void)h;
	(void)len;
	hu_st(v + P_OFF(p), P_VAL(p), 4);
}

CASE(h18_index_length_over_allocated, INDX0(C512, UNI), .mutate = m_node_hdr,
     .param = P(N_INDEX_LEN, 0xFFFFFFFFu), RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))
CASE(h18_allocated_over_block_size, INDX0(C512, UNI), .mutate = m_node_hdr,
     .param = P(N_ALLOC, 4096 - 24 + 8), RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))
CASE(h18_indx_magic, INDX0_RAW(C512, UNI), .mutate = m_magic, .param = 1,
     RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))
CASE(h18_indx_usa_sequence_mismatch, INDX0_RAW(C512, UNI), .mutate = m_xor8, .param = P(2046, 0xFF),
     RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_FIXUP))
CASE(h18_indx_usa_count_wrong, INDX0_RAW(C512, UNI), .mutate = m_set16, .param = P(R_USA_COUNT, 8),
     RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_FIXUP))
CASE(h18_indx_usa_offset_outside, INDX0_RAW(C512, UNI), .mutate = m_set16,
     .param = P(R_USA_OFF, 4000), RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_FIXUP))
CASE(h18_indx_vcn_mismatch, INDX0(C512, UNI), .mutate = m_set32, .param = P(X_VCN, 8),
     RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))
CASE(h18_root_index_length_over_allocated, RECORD(C512, UNI), .mutate = m_node_hdr,
     .param = P(0x100 | N_INDEX_LEN, 0xFFFFFFFFu), RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))
CASE(h18_root_block_size_mismatch, RECORD(C512, UNI), .mutate = m_root_field, .param = P(8, 8192),
     RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))

/* ---- 19. subnode VCNs, cycles, depth ----------------------------------------- */

/* Subnode VCN of the root's END entry of /unicode (the only root entry). */
static void m_root_subnode(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *node = hu_root_node(b, hu_attr_find(b, AT_IROOT, "$I30"));
	uint32_t e = entry_or_end(node, 0xFF), elen = ld16(node + e + E_LEN);
	(void)h;
	(void)len;
	assert_true(ld16(node + e + E_FLAGS) & 1);
	hu_st(node + e + elen - 8, (uint64_t)p, 8);
}

static void m_root_bitmap_clear(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *v = hu_attr_value(b, hu_attr_find(b, AT_BITMAP, "$I30"));
	(void)h;
	(void)len;
	(void)p;
	assert_true(v[0] & 1);
	v[0] &= 0xFE;
}

/* The END entry of INDX block 0 gets a subnode: block 0 itself. */
static void m_indx_self_cycle(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *node = b + X_NODE;
	uint32_t e = entry_or_end(node, 0xFF);
	(void)h;
	(void)len;
	(void)p;
	assert_int_equal(ld16(node + e + E_LEN), 16);
	assert_true(ld32(node + N_INDEX_LEN) + 8 <= ld32(node + N_ALLOC));
	hu_st(node + e + E_LEN, 24, 2);
	hu_st(node + e + E_FLAGS, 3, 2);
	hu_st(node + e + 16, 0, 8);
	hu_st(node + N_INDEX_LEN, ld32(node + N_INDEX_LEN) + 8, 4);
}

/* c512: index blocks (4 KiB) span clusters, so VCN 8 is block 1. */
CASE(h19_subnode_vcn_outside_allocation, RECORD(C512, UNI), .mutate = m_root_subnode, .param = 8,
     RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))
CASE(h19_subnode_vcn_not_block_aligned, RECORD(C512, UNI), .mutate = m_root_subnode, .param = 1,
     RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))
CASE(h19_subnode_vcn_huge, RECORD(C512, UNI), .mutate = m_root_subnode, .param = 1ll << 62,
     RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))
CASE(h19_subnode_vcn_huge_lookup, RECORD(C512, UNI), .mutate = m_root_subnode, .param = 1ll << 62,
     RUN(hu_op_open, UNI_FILE, NTFS_ERR_CORRUPT_INDEX))
CASE(h19_subnode_not_in_bitmap, RECORD(C512, UNI), .mutate = m_root_bitmap_clear,
     RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))
CASE(h19_subnode_cycle_single_block, INDX0(C512, UNI), .mutate = m_indx_self_cycle,
     RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))
/* c64k: index blocks (4 KiB) are smaller than a cluster: VCNs count 512-byte
 * units, so VCN 1 is not a block boundary, and VCN 8 is block 1. */
CASE(h19_subnode_vcn_units_small_block, RECORD("ntfs-c64k", UNI), .mutate = m_root_subnode,
     .param = 1, RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))
CASE(h19_subnode_vcn_units_small_block_next, RECORD("ntfs-c64k", UNI), .mutate = m_root_subnode,
     .param = 8, RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))

/* Every entry of /unicode, through sub-cluster index blocks (512-byte VCN
 * units) on 64 KiB and 2 MiB clusters. */
static void h19_index_vcn_units_valid(void **state)
{
	static const char *const images[] = {C512, "ntfs-c64k", "ntfs-c2m"};
	struct ntfs_dirent *ent = malloc(sizeof *ent);

	(void)state;
	assert_non_null(ent);
	for (size_t i = 0; i < sizeof images / sizeof images[0]; i++) {
		struct hu h;
		ntfs_file *f;
		ntfs_dir *d;
		int r, n = 0;
		hu_open(&h, images[i]);
		assert_int_equal(hu_mount(&h), NTFS_OK);
		assert_int_equal(ntfs_path_open(h.vol, UNI, &f), NTFS_OK);
		assert_int_equal(ntfs_dir_open(f, 0, &d), NTFS_OK);
		while ((r = ntfs_dir_next(d, ent)) == 1)
			n++;
		assert_int_equal(r, 0);
		assert_int_equal(n, 8);
		ntfs_dir_close(d);
		ntfs_file_close(f);
		assert_int_equal(hu_op_read(h.vol, UNI_FILE), NTFS_OK);
		hu_unmount(&h);
		hu_close(&h);
	}
	free(ent);
}

/* A chain of index blocks in /big (c4k): root -> c[0] -> c[1] -> ... */
#define CHAIN_MAX 40
struct chain {
	struct hu h;
	uint64_t big;                 /* record of /big */
	uint64_t vcn[CHAIN_MAX];      /* blocks in use, VCN = block (4 KiB clusters) */
	struct hu_loc loc[CHAIN_MAX]; /* where they are */
	struct hu_loc root;
};

static void chain_open(struct chain *c)
{
	uint8_t bitmap[512];
	ntfs_file *f;
	ntfs_stream *s;
	size_t got, n = 0;

	hu_open(&c->h, C4K);
	assert_int_equal(hu_mount(&c->h), NTFS_OK);
	assert_int_equal(c->h.vi.cluster_size, 4096);
	assert_int_equal(c->h.vi.index_block_size, 4096);
	c->big = hu_recno(&c->h, "/big");
	hu_loc_record(&c->h, c->big, &c->root);
	assert_int_equal(ntfs_path_open(c->h.vol, "/big", &f), NTFS_OK);
	{
		static const uint16_t i30[4] = {'$', 'I', '3', '0'};
		assert_int_equal(ntfs_attr_open(f, AT_BITMAP, i30, 4, &s), NTFS_OK);
	}
	assert_int_equal(ntfs_stream_read(s, 0, bitmap, sizeof bitmap, &got), NTFS_OK);
	ntfs_stream_close(s);
	ntfs_file_close(f);
	/* Skip block 0: it may be the root's first child either way. */
	for (size_t bit = 1; bit < got * 8 && n < CHAIN_MAX; bit++)
		if (bitmap[bit / 8] >> (bit % 8) & 1)
			c->vcn[n++] = bit;
	assert_int_equal(n, CHAIN_MAX);
	for (size_t i = 0; i < CHAIN_MAX; i++)
		hu_loc_stream(&c->h, "/big", AT_IALLOC, "$I30", c->vcn[i] * 4096, 4096, &c->loc[i]);
	assert_int_equal(hu_op_list(c->h.vol, "/big"), NTFS_OK);
	hu_unmount(&c->h);
}

/* Make block c[i] hold only an END entry, with subnode @sub (or none when
 * @sub is UINT64_MAX). */
static void chain_block(struct chain *c, size_t i, uint64_t sub)
{
	static uint8_t b[4096];
	uint8_t *node = b + X_NODE, *e;
	uint32_t eo;

	hu_loc_read(&c->h, &c->loc[i], b);
	hu_unfix(b, sizeof b);
	assert_int_equal(ld64(b + X_VCN), c->vcn[i]);
	eo = ld32(node);
	e = node + eo;
	memset(e, 0, 24);
	hu_st(e + E_LEN, sub == UINT64_MAX ? 16 : 24, 2);
	hu_st(e + E_FLAGS, sub == UINT64_MAX ? 2 : 3, 2);
	if (sub != UINT64_MAX)
		hu_st(e + 16, sub, 8);
	hu_st(node + N_INDEX_LEN, eo + ld16(e + E_LEN), 4);
	hu_fix(b, sizeof b);
	hu_loc_write(&c->h, &c->loc[i], b);
}

/* The root of /big: one END entry whose subnode is c[0]. */
static void chain_root(struct chain *c)
{
	static uint8_t rec[1024];
	uint8_t *node, *e;
	uint32_t eo;

	assert_int_equal(c->root.size, sizeof rec);
	hu_loc_read(&c->h, &c->root, rec);
	hu_unfix(rec, sizeof rec);
	node = hu_root_node(rec, hu_attr_find(rec, AT_IROOT, "$I30"));
	eo = ld32(node);
	e = node + eo;
	assert_true(ld16(e + E_LEN) >= 24);
	memset(e, 0, 24);
	hu_st(e + E_LEN, 24, 2);
	hu_st(e + E_FLAGS, 3, 2);
	hu_st(e + 16, c->vcn[0], 8);
	hu_st(node + N_INDEX_LEN, eo + 24, 4);
	hu_fix(rec, sizeof rec);
	hu_loc_write(&c->h, &c->root, rec);
}

/* NTFS_MAX_INDEX_DEPTH levels, root included, are read; one more is
 * NTFS_ERR_LIMIT, found with a bounded stack. */
static void h19_index_depth_beyond_limit(void **state)
{
	static struct chain chain;
	struct chain *c = &chain;
	const size_t levels = NTFS_MAX_INDEX_DEPTH - 1; /* below the root */

	(void)state;
	assert_true(levels + 1 < CHAIN_MAX);
	chain_open(c);
	chain_root(c);
	for (size_t i = 0; i + 1 < levels; i++)
		chain_block(c, i, c->vcn[i + 1]);
	chain_block(c, levels - 1, UINT64_MAX);
	hu_expect(&c->h, hu_op_list, "/big", NTFS_OK);
	/* One level more. */
	chain_block(c, levels - 1, c->vcn[levels]);
	chain_block(c, levels, UINT64_MAX);
	hu_expect(&c->h, hu_op_list, "/big", NTFS_ERR_LIMIT);
	hu_expect(&c->h, hu_op_open, "/big/f00000.txt", NTFS_ERR_LIMIT);
	hu_close(&c->h);
}

/* root -> c[0] -> c[1] -> c[0]: a cycle in a directory of ~1000 blocks is
 * corruption, not a tree too deep. */
static void h19_index_subnode_cycle_deep_tree(void **state)
{
	static struct chain chain;
	struct chain *c = &chain;

	(void)state;
	chain_open(c);
	chain_root(c);
	chain_block(c, 0, c->vcn[1]);
	chain_block(c, 1, UINT64_MAX);
	hu_expect(&c->h, hu_op_list, "/big", NTFS_OK);
	chain_block(c, 1, c->vcn[0]);
	hu_expect(&c->h, hu_op_list, "/big", NTFS_ERR_CORRUPT_INDEX);
	hu_close(&c->h);
}

/* ---- 20. index $BITMAP shorter than the allocation -------------------------- */

static void m_bitmap_len(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, AT_BITMAP, "$I30");
	(void)h;
	(void)len;
	hu_st(b + a + A_VLEN, (uint64_t)p, 4);
}

CASE(h20_index_bitmap_empty, RECORD(C512, UNI), .mutate = m_bitmap_len, .param = 0,
     RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))

/* /big (c4k): 1000+ blocks; a bitmap of 64 bytes covers 512. */
static void h20_index_bitmap_shorter_than_allocation(void **state)
{
	static const struct hu_case c = {RECORD(C4K, "/big"), .mutate = m_bitmap_len, .param = 64,
	                                 RUN(hu_op_list, "/big", NTFS_ERR_CORRUPT_INDEX)};
	struct hu h;
	uint8_t rec[1024];

	(void)state;
	/* The bitmap must be resident for the mutation: check first. */
	hu_open(&h, C4K);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	hu_loc_record(&h, hu_recno(&h, "/big"), &h.loc);
	hu_unmount(&h);
	hu_loc_read(&h, &h.loc, rec);
	hu_unfix(rec, sizeof rec);
	if (rec[hu_attr_find(rec, AT_BITMAP, "$I30") + A_NONRES] != 0)
		fail_msg("/big has a non-resident $BITMAP");
	assert_true(ld32(rec + hu_attr_find(rec, AT_BITMAP, "$I30") + A_VLEN) > 64);
	hu_close(&h);
	hu_case_run(&c);
}

/* ---- 21. UTF-16 names --------------------------------------------------------- */

/* In INDX block 0 of /unicode, break the surrogate pair of "😀smile.txt". */
static void m_lone_surrogate(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *node = b + X_NODE;
	(void)h;
	(void)len;
	(void)p;
	for (unsigned k = 0;; k++) {
		uint32_t e = hu_ie_off(node, k);
		uint8_t *key = node + e + E_KEY;
		if (key[64] == 11 && ld16(key + 66) == 0xD83D && ld16(key + 68) == 0xDE00) {
			hu_st(key + 68, 'x', 2);
			return;
		}
	}
}

static void h21_lone_surrogate_in_dir_entry(void **state)
{
	static const struct hu_case c = {INDX0(C512, UNI), .mutate = m_lone_surrogate,
	                                 RUN(hu_op_list, UNI, NTFS_OK)};
	struct ntfs_dirent *ent = malloc(sizeof *ent);
	struct hu h;
	ntfs_file *f;
	ntfs_dir *d;
	int r, ok = 0, bad = 0, calls = 0;

	(void)state;
	assert_non_null(ent);
	hu_case_prepare(&c, &h);
	hu_expect(&h, hu_op_list, UNI, NTFS_ERR_NAME);
	/* The bad name is reported once and the cursor goes on. */
	assert_int_equal(hu_mount(&h), NTFS_OK);
	assert_int_equal(ntfs_path_open(h.vol, UNI, &f), NTFS_OK);
	assert_int_equal(ntfs_dir_open(f, 0, &d), NTFS_OK);
	while ((r = ntfs_dir_next(d, ent)) != 0) {
		assert_true(++calls <= 9);
		if (r == 1) {
			ok++;
			continue;
		}
		assert_int_equal(r, NTFS_ERR_NAME);
		assert_int_equal(NTFS_REF_RECORD(ent->ref), 87);
		assert_int_equal(ent->name_len, 0);
		assert_string_equal(ent->name, "");
		assert_int_equal(ent->name16_len, 11);
		bad++;
	}
	assert_int_equal(ok, 7);
	assert_int_equal(bad, 1);
	ntfs_dir_close(d);
	ntfs_file_close(f);
	hu_unmount(&h);
	/* The other names still resolve. */
	hu_expect(&h, hu_op_read, UNI_FILE, NTFS_OK);
	hu_close(&h);
	free(ent);
}

CASE(h21_lone_surrogate_in_stream_name, RECORD(C512, NOTE), .mutate = m_note_name_unit,
     .param = P(0, 0xD800), RUN(hu_op_streams, NOTE, NTFS_ERR_NAME))
CASE(h21_zero_length_name_in_index, INDX0(C512, UNI), .mutate = m_indx_entry,
     .param = P(ENTRY(0, E_KEY + 64), 0), RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))
CASE(h21_name_length_past_index_key, INDX0(C512, UNI), .mutate = m_name_len_past_key, .param = 3,
     RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))

/* Names no file may have: U+0000 or '/' in place of the 's' of
 * "\U0001F600smile.txt" (the entry's order is kept by its first unit), or
 * entry 0 of the first block renamed "." or "..". Each is reported as
 * NTFS_ERR_NAME. */
static void m_smile_unit(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *node = b + X_NODE;
	(void)h;
	(void)len;
	for (unsigned k = 0;; k++) {
		uint8_t *key = node + hu_ie_off(node, k) + E_KEY;
		if (key[64] == 11 && ld16(key + 66) == 0xD83D && ld16(key + 68) == 0xDE00) {
			hu_st(key + 70, (uint32_t)p, 2);
			return;
		}
	}
}

static void m_first_name_dots(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *key = b + X_NODE + hu_ie_off(b + X_NODE, 0) + E_KEY;
	(void)h;
	(void)len;
	key[64] = (uint8_t)p;
	for (long long i = 0; i < p; i++)
		hu_st(key + 66 + 2 * i, '.', 2);
}

CASE(h21_nul_in_dir_entry_name, INDX0(C512, UNI), .mutate = m_smile_unit, .param = 0,
     RUN(hu_op_list, UNI, NTFS_ERR_NAME))
CASE(h21_slash_in_dir_entry_name, INDX0(C512, UNI), .mutate = m_smile_unit, .param = '/',
     RUN(hu_op_list, UNI, NTFS_ERR_NAME))
CASE(h21_dir_entry_named_dot, INDX0(C512, UNI), .mutate = m_first_name_dots, .param = 1,
     RUN(hu_op_list, UNI, NTFS_ERR_NAME))
CASE(h21_dir_entry_named_dotdot, INDX0(C512, UNI), .mutate = m_first_name_dots, .param = 2,
     RUN(hu_op_list, UNI, NTFS_ERR_NAME))

/* Conversion into a fixed buffer: every size too small gives
 * NTFS_ERR_LIMIT and nothing is written past the buffer. */
static void h21_utf16_to_utf8_bounded(void **state)
{
	uint16_t name[NTFS_NAME_MAX_UTF16];
	char buf[NTFS_NAME_MAX_UTF8 + 16];
	size_t need, out;

	(void)state;
	/* 125 surrogate pairs and 5 ASCII units: 505 bytes of UTF-8. */
	for (int i = 0; i < 125; i++) {
		name[2 * i] = 0xD83D;
		name[2 * i + 1] = 0xDE00;
	}
	memcpy(name + 250, (const uint16_t[]){'a', '.', 't', 'x', 't'}, 5 * sizeof(uint16_t));
	assert_int_equal(ntfs_utf16_to_utf8(name, 255, buf, sizeof buf, &need), NTFS_OK);
	assert_int_equal(need, 505);
	for (size_t size = 0; size <= need; size++) {
		memset(buf, 0x5A, sizeof buf);
		out = 12345;
		assert_int_equal(ntfs_utf16_to_utf8(name, 255, buf, size, &out), NTFS_ERR_LIMIT);
		for (size_t i = size; i < sizeof buf; i++)
			if (buf[i] != 0x5A)
				fail_msg("size %zu: byte %zu written", size, i);
	}
	memset(buf, 0x5A, sizeof buf);
	assert_int_equal(ntfs_utf16_to_utf8(name, 255, buf, need + 1, &out), NTFS_OK);
	assert_int_equal(out, need);
	assert_int_equal(buf[need], '\0');
	assert_int_equal((unsigned char)buf[need + 1], 0x5A);
	/* A lone surrogate anywhere: NTFS_ERR_NAME, also into a big buffer. */
	name[100] = 0xDC00;
	assert_int_equal(ntfs_utf16_to_utf8(name, 255, buf, sizeof buf, &out), NTFS_ERR_NAME);
	name[100] = 0xD800;
	name[101] = 'x';
	assert_int_equal(ntfs_utf16_to_utf8(name, 255, buf, sizeof buf, &out), NTFS_ERR_NAME);
	assert_int_equal(ntfs_utf16_to_utf8(name, 0, buf, 1, &out), NTFS_OK);
	assert_int_equal(out, 0);
}

/* ---- 22. volume label ---------------------------------------------------------- */

static void m_label(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, AT_VOLNAME, "");
	uint8_t *v;
	(void)h;
	(void)len;
	switch (p) {
	case 0: /* value length past the attribute */
		hu_st(b + a + A_VLEN, ld32(b + a + A_LEN), 4);
		break;
	case 1: /* value offset past the attribute */
		hu_st(b + a + A_VOFF, ld32(b + a + A_LEN), 2);
		break;
	case 2: /* odd length */
		hu_st(b + a + A_VLEN, ld32(b + a + A_VLEN) - 1, 4);
		break;
	case 3: /* lone low surrogate */
		v = hu_attr_value(b, a);
		hu_st(v, 0xDC00, 2);
		break;
	case 4: /* empty label: valid */
		hu_st(b + a + A_VLEN, 0, 4);
		break;
	default:
		fail();
	}
}

CASE(h22_label_length_past_attribute, RECORD(C512, "#3"), .mutate = m_label, .param = 0,
     RUN(hu_op_mount, NULL, NTFS_ERR_CORRUPT_ATTR))
CASE(h22_label_offset_past_attribute, RECORD(C512, "#3"), .mutate = m_label, .param = 1,
     RUN(hu_op_mount, NULL, NTFS_ERR_CORRUPT_ATTR))
CASE(h22_label_odd_length, RECORD(C512, "#3"), .mutate = m_label, .param = 2,
     RUN(hu_op_mount, NULL, NTFS_ERR_CORRUPT_ATTR))
/* NTFS takes any 16-bit units in a label: the mount succeeds, the label
 * reads as "" (it has no UTF-8 form). */
static void h22_label_lone_surrogate(void **state)
{
	static const struct hu_case c = {RECORD(C512, "#3"), .mutate = m_label, .param = 3,
	                                 RUN(hu_op_mount, NULL, NTFS_OK)};
	struct hu h;

	(void)state;
	hu_case_prepare(&c, &h);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	assert_int_equal(h.vi.label_len, 0);
	assert_string_equal(h.vi.label, "");
	hu_unmount(&h);
	hu_close(&h);
}

static void h22_label_empty(void **state)
{
	static const struct hu_case c = {RECORD(C512, "#3"), .mutate = m_label, .param = 4,
	                                 RUN(hu_op_mount, NULL, NTFS_OK)};
	struct hu h;

	(void)state;
	hu_case_prepare(&c, &h);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	assert_int_equal(h.vi.label_len, 0);
	assert_string_equal(h.vi.label, "");
	hu_unmount(&h);
	hu_close(&h);
}

/* A label of P UTF-16 units ('A'): the attribute grown to hold it. */
static void m_label_units(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, AT_VOLNAME, "");
	uint32_t voff = ld16(b + a + A_VOFF), n = (uint32_t)p;
	uint8_t *v;
	(void)h;
	hu_attr_resize(b, len, a, (voff + 2 * n + 7) & ~7u);
	hu_st(b + a + A_VLEN, 2 * n, 4);
	v = hu_attr_value(b, a);
	for (uint32_t i = 0; i < n; i++)
		hu_st(v + 2 * i, 'A', 2);
}

/* 128 units is the most $VOLUME_NAME holds ($AttrDef: 256 bytes). */
static void h22_label_longer_than_128_units(void **state)
{
	static const struct hu_case c = {RECORD(C512, "#3"), .mutate = m_label_units, .param = 128,
	                                 RUN(hu_op_mount, NULL, NTFS_OK)};
	struct hu h;

	(void)state;
	hu_case_prepare(&c, &h);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	assert_int_equal(h.vi.label_len, 128);
	assert_int_equal(h.vi.label[127], 'A');
	hu_unmount(&h);
	hu_case_mutate(&c, &h, m_label_units, 129);
	hu_expect(&h, hu_op_mount, NULL, NTFS_ERR_CORRUPT_ATTR);
	hu_close(&h);
}

/* ---- 23. boot sector ------------------------------------------------------------ */

#define BOOT_CASE(test, field, width, value)                                                       \
	CASE(test, BOOT(C512), .mutate = m_set##width, .param = P(field, value),                   \
	     RUN(hu_op_mount, NULL, NTFS_ERR_CORRUPT_BOOT))

static void m_set64(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	(void)len;
	hu_st(b + P_OFF(p), P_VAL(p) == 0xFFFFFFFFu ? UINT64_MAX : P_VAL(p), 8);
}

static void m_boot_past_end(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)len;
	/* P: field offset; the volume's cluster count there. */
	hu_st(b + p, h->vi.total_clusters, 8);
}

BOOT_CASE(h23_bytes_per_sector_not_power_of_two, 11, 16, 384)
BOOT_CASE(h23_bytes_per_sector_128, 11, 16, 128)
BOOT_CASE(h23_bytes_per_sector_8192, 11, 16, 8192)
BOOT_CASE(h23_sectors_per_cluster_zero, 13, 8, 0)
BOOT_CASE(h23_sectors_per_cluster_not_power_of_two, 13, 8, 3)
BOOT_CASE(h23_sectors_per_cluster_exponent_too_large, 13, 8, 0xE0)
/* 2^13 sectors of 512 bytes: 4 MiB clusters. */
BOOT_CASE(h23_cluster_over_2m, 13, 8, 0xF3)
BOOT_CASE(h23_clusters_per_record_zero, 64, 8, 0)
BOOT_CASE(h23_clusters_per_record_not_power_of_two, 64, 8, 3)
BOOT_CASE(h23_record_size_exponent_too_large, 64, 8, 0xE0)
BOOT_CASE(h23_clusters_per_index_block_zero, 68, 8, 0)
BOOT_CASE(h23_total_sectors_zero, 40, 64, 0)
BOOT_CASE(h23_total_sectors_overflow, 40, 64, 0xFFFFFFFFu)
BOOT_CASE(h23_oem_id, 3, 8, 'X')
BOOT_CASE(h23_signature, 510, 8, 0)
CASE(h23_mft_lcn_past_volume, BOOT(C512), .mutate = m_boot_past_end, .param = 48,
     RUN(hu_op_mount, NULL, NTFS_ERR_CORRUPT_BOOT))
CASE(h23_mftmirr_lcn_past_volume, BOOT(C512), .mutate = m_boot_past_end, .param = 56,
     RUN(hu_op_mount, NULL, NTFS_ERR_CORRUPT_BOOT))

/* Records of 1 KiB written as 2 clusters of 512 bytes (a positive count)
 * instead of 2^-10: the same volume. */
static void h23_clusters_per_record_positive_encoding(void **state)
{
	static const struct hu_case c = {BOOT(C512), .mutate = m_set8, .param = P(64, 2),
	                                 RUN(hu_op_list, "/", NTFS_OK)};
	struct hu h;

	(void)state;
	hu_case_prepare(&c, &h);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	assert_int_equal(h.vi.record_size, 1024);
	assert_int_equal(hu_op_read(h.vol, "/random-100k.bin"), NTFS_OK);
	hu_unmount(&h);
	hu_close(&h);
}

/* 2 MiB clusters (sectors per cluster 0xF4 = 2^12) are valid. */
static void h23_cluster_2m_valid(void **state)
{
	struct hu h;

	(void)state;
	hu_open(&h, "ntfs-c2m");
	assert_int_equal(hu_mount(&h), NTFS_OK);
	assert_int_equal(h.vi.cluster_size, 2u << 20);
	assert_int_equal(hu_op_list(h.vol, "/"), NTFS_OK);
	assert_int_equal(hu_op_read(h.vol, "/pattern-3m.bin"), NTFS_OK);
	hu_unmount(&h);
	hu_close(&h);
}

/* A bad primary boot sector: the backup (last sector) is used when the
 * volume size is known. */
static void h23_backup_boot_sector(void **state)
{
	static const struct hu_case c = {BOOT(C512), .mutate = m_set8, .param = P(13, 0),
	                                 RUN(hu_op_mount, NULL, NTFS_ERR_CORRUPT_BOOT)};
	struct hu h;

	(void)state;
	hu_case_prepare(&c, &h);
	hu_expect(&h, hu_op_mount, NULL, NTFS_ERR_CORRUPT_BOOT);
	h.volume_size = h.img.size;
	hu_expect(&h, hu_op_list, "/", NTFS_OK);
	hu_close(&h);
}

/* The boot sector claims twice the sectors the device has, and the caller
 * said how big the device is: the primary is not this device's, so the
 * backup (the device's last sector) is used; with both claiming too much,
 * the mount fails. */
static void h23_total_sectors_past_device(void **state)
{
	struct hu h;
	uint64_t total, backup;

	(void)state;
	hu_open(&h, C512);
	h.volume_size = h.img.size;
	hu_expect(&h, hu_op_mount, NULL, NTFS_OK);
	total = hu_ld(h.img.data + 40, 8);
	hu_st(h.img.data + 40, total * 2, 8);
	hu_expect(&h, hu_op_mount, NULL, NTFS_OK);
	backup = h.img.size - 512;
	assert_int_equal(hu_ld(h.img.data + backup + 40, 8), total);
	hu_st(h.img.data + backup + 40, total * 2, 8);
	hu_expect(&h, hu_op_mount, NULL, NTFS_ERR_CORRUPT_BOOT);
	hu_close(&h);
}

/* With the device size unknown (volume_size 0), the device must hold the
 * volume the boot sector claims: its last byte is read at mount. Without
 * this, work over the cluster count (ntfs_volume_free_clusters over a
 * forged $Bitmap) would follow a forged count of up to 2^64 bytes. */
static void h27_unknown_device_size_bounds_volume(void **state)
{
	struct hu h;
	uint64_t total;

	(void)state;
	hu_open(&h, C512);
	assert_int_equal(h.volume_size, 0);
	hu_expect(&h, hu_op_free, NULL, NTFS_OK);
	total = hu_ld(h.img.data + 40, 8);
	/* The probe is the one read past the device (hu_run forbids any). */
	hu_st(h.img.data + 40, total << 20, 8);
	assert_int_equal(hu_mount(&h), NTFS_ERR_IO);
	assert_int_equal(h.dev.oob_reads, 1);
	/* One cluster (here one sector) past the device is enough to tell. */
	h.dev.oob_reads = 0;
	hu_st(h.img.data + 40, h.img.size / 512 + 1, 8);
	assert_int_equal(hu_mount(&h), NTFS_ERR_IO);
	assert_int_equal(h.dev.oob_reads, 1);
	/* A volume that fills the device exactly is fine. */
	hu_st(h.img.data + 40, h.img.size / 512, 8);
	hu_expect(&h, hu_op_mount, NULL, NTFS_OK);
	hu_close(&h);
}

/* ---- 24-25. compression (not implemented: reads are refused) --------------- */

static void h24_lznt1_read_unsupported(void **state)
{
	static const char *const files[] = {"/compressed/text.txt", "/compressed/random.bin",
	                                    "/compressed/mixed.bin"};
	struct hu h;

	(void)state;
	hu_open(&h, C512);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		hu_expect(&h, hu_op_read, files[i], NTFS_ERR_UNSUPPORTED);
	/* A resident value is never compressed. */
	hu_expect(&h, hu_op_read, "/compressed/small.txt", NTFS_OK);
	hu_close(&h);
}

/* Compression unit other than 4 (16 clusters): refused, not decoded. */
static void h24_lznt1_compression_unit_not_4(void **state)
{
	static const struct hu_case c = {RECORD(C512, "/compressed/text.txt"), .mutate = m_nr_field,
	                                 .param = P(NR(A_CU, 1), 5),
	                                 RUN(hu_op_stat, "/compressed/text.txt", NTFS_OK)};
	struct hu h;

	(void)state;
	hu_case_prepare(&c, &h);
	hu_expect(&h, hu_op_read, "/compressed/text.txt", NTFS_ERR_UNSUPPORTED);
	hu_close(&h);
}

/* The compressed flag on a non-resident stream of another file. */
static void m_set_compressed(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, AT_DATA, "gamma");
	(void)h;
	(void)len;
	(void)p;
	assert_int_equal(b[a + A_NONRES], 1);
	hu_st(b + a + A_FLAGS, ld16(b + a + A_FLAGS) | 1u, 2);
}

static void h25_compressed_stream_read_unsupported(void **state)
{
	static const struct hu_case c = {RECORD(C512, "/streams/multi.txt"),
	                                 .mutate = m_set_compressed,
	                                 RUN(hu_op_read, "/streams/multi.txt:gamma", NTFS_OK)};
	struct hu h;

	(void)state;
	hu_case_prepare(&c, &h);
	hu_expect(&h, hu_op_read, "/streams/multi.txt:gamma", NTFS_ERR_UNSUPPORTED);
	hu_expect(&h, hu_op_read, "/streams/multi.txt:beta", NTFS_OK);
	hu_close(&h);
}

/*
 * WOF (Windows Overlay Filter) compression: the file carries a reparse
 * point with tag IO_REPARSE_TAG_WOF (0x80000017), provider FILE (2), and
 * its unnamed $DATA is only a placeholder; the data lives compressed
 * (XPRESS/LZX) in the "WofCompressedData" stream. Reading the unnamed
 * stream must not hand back the placeholder as the file's content.
 * The resident stream "note" of streams/small-stream.txt is turned into
 * such a $REPARSE_POINT.
 */
static void m_wof_reparse(struct hu *h, uint8_t *b, size_t len, long long p)
{
	static const uint8_t wof[24] = {
	        0x17, 0x00, 0x00, 0x80, 16, 0, 0, 0, /* tag, data length 16 */
	        1,    0,    0,    0,    2,  0, 0, 0, /* WOF_EXTERNAL_INFO v1, FILE */
	        1,    0,    0,    0,    0,  0, 0, 0, /* FILE_PROVIDER_EXTERNAL_INFO_V1, XPRESS4K */
	};
	uint32_t a = hu_attr_find(b, AT_DATA, "note");
	uint8_t *si;
	(void)h;
	(void)len;
	(void)p;
	assert_true(ld32(b + a + A_LEN) - ld16(b + a + A_VOFF) >= sizeof wof);
	hu_st(b + a, 0xC0, 4);
	b[a + A_NAME_LEN] = 0;
	hu_st(b + a + A_VLEN, sizeof wof, 4);
	memcpy(hu_attr_value(b, a), wof, sizeof wof);
	si = hu_attr_value(b, hu_attr_find(b, 0x10, ""));
	hu_st(si + 32, ld32(si + 32) | 0x400u, 4); /* FILE_ATTRIBUTE_REPARSE_POINT */
}

CASE(h25_wof_compressed_file_read_unsupported, RECORD(C512, NOTE), .mutate = m_wof_reparse,
     RUN(hu_op_read, NOTE, NTFS_ERR_UNSUPPORTED))

/* ---- 26. allocations sized by the disk ------------------------------------------ */

static void m_sizes(struct hu *h, uint8_t *b, size_t len, long long p)
{
	/* P_OFF: attribute type (index types are named $I30); P_VAL: log2 size. */
	uint32_t type = P_OFF(p);
	uint32_t a = hu_attr_find(b, type, type == AT_IALLOC ? "$I30" : "");
	uint64_t v = 1ull << P_VAL(p);
	(void)h;
	(void)len;
	assert_int_equal(b[a + A_NONRES], 1);
	hu_st(b + a + A_ALLOC, v, 8);
	hu_st(b + a + A_DATA, v, 8);
	hu_st(b + a + A_INIT, v, 8);
}

CASE(h26_attrlist_size_huge, RECORD(FRAG, FRAGF), .mutate = m_alist_sizes, .param = 1ll << 40,
     RUN(hu_op_open, FRAGF, NTFS_ERR_LIMIT))
CASE(h26_attrlist_size_just_over_cap, RECORD(FRAG, FRAGF), .mutate = m_alist_sizes,
     .param = NTFS_MAX_ATTRLIST_SIZE + 8, RUN(hu_op_open, FRAGF, NTFS_ERR_LIMIT))
CASE(h26_index_allocation_size_huge, RECORD(C512, UNI), .mutate = m_sizes,
     .param = P(AT_IALLOC, 40), RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX))
CASE(h26_upcase_size_huge, RECORD(C512, "#10"), .mutate = m_sizes, .param = P(AT_DATA, 40),
     RUN(hu_op_mount, NULL, NTFS_ERR_CORRUPT_UPCASE))
/* $Bitmap claiming 1 TiB: only what the volume needs is read. */
CASE(h26_volume_bitmap_size_huge, RECORD(C512, "#6"), .mutate = m_sizes, .param = P(AT_DATA, 40),
     RUN(hu_op_free, NULL, NTFS_OK))

/* The $MFT keeps the mapping pairs of all its extents. Give the $MFT of
 * ntfs-c4k an attribute list (in place of its $STANDARD_INFORMATION) that
 * names @n extents after its real one, each a one-cluster $DATA extent in
 * its own extension record (records 1000 on, which the real extent maps),
 * with mapping pairs padded to fill the record: ~900 bytes each. Returns
 * the mapping-pairs bytes of the forged extents. */
static uint64_t forge_mft_extents(struct hu *h, unsigned n)
{
	const uint32_t rs = 1024, cs = 4096, first_rec = 1000;
	uint8_t rec[1024], bm[4096];
	uint32_t list_len = (n + 1) * 32, nclus = (list_len + cs - 1) / cs, d, si, lcn = 0, run = 0;
	uint64_t end0, seq0, id0, total = 0;
	struct hu_run r;
	struct hu_loc loc;
	uint8_t *list = calloc(1, (size_t)nclus * cs);
	ntfs_file *bf;
	ntfs_stream *bs;
	size_t got;

	assert_non_null(list);
	hu_open(h, C4K);
	assert_int_equal(hu_mount(h), NTFS_OK);
	assert_true(first_rec + n <= h->vi.mft_records);
	assert_int_equal(h->vi.record_size, rs);
	assert_int_equal(h->vi.cluster_size, cs);
	/* nclus free clusters in a row for the list. */
	assert_int_equal(ntfs_file_open(h->vol, 6, &bf), NTFS_OK);
	assert_int_equal(ntfs_stream_open(bf, NULL, &bs), NTFS_OK);
	assert_int_equal(ntfs_stream_read(bs, 0, bm, sizeof bm, &got), NTFS_OK);
	ntfs_stream_close(bs);
	ntfs_file_close(bf);
	for (uint32_t c = 1; c < got * 8 && run < nclus; c++) {
		run = (bm[c / 8] >> (c % 8) & 1) ? 0 : run + 1;
		lcn = c + 1 - run;
	}
	assert_int_equal(run, nclus);
	/* Records are located through the mounted $MFT, whose extents are
	 * held in memory: writing the image underneath is harmless. */
	hu_loc_record(h, 0, &h->loc);
	hu_loc_read(h, &h->loc, rec);
	hu_unfix(rec, rs);
	seq0 = ld16(rec + R_SEQ);
	d = hu_attr_find(rec, AT_DATA, "");
	end0 = ld64(rec + d + A_HIGHEST) + 1;
	id0 = ld16(rec + d + 14);
	si = hu_attr_find(rec, 0x10, NULL);
	assert_true(ld32(rec + si + A_LEN) >= 0x48);
	memset(rec + si + 8, 0, ld32(rec + si + A_LEN) - 8);
	hu_st(rec + si, AT_ALIST, 4);
	rec[si + A_NONRES] = 1;
	hu_st(rec + si + A_NAME_OFF, 0x40, 2);
	hu_st(rec + si + 14, 7, 2); /* an id no other attribute of record 0 has */
	hu_st(rec + si + A_HIGHEST, nclus - 1, 8);
	hu_st(rec + si + A_MP_OFF, 0x40, 2);
	hu_st(rec + si + A_ALLOC, (uint64_t)nclus * cs, 8);
	hu_st(rec + si + A_DATA, list_len, 8);
	hu_st(rec + si + A_INIT, list_len, 8);
	r = (struct hu_run){.len = nclus, .lcn = lcn};
	hu_runs_encode(&r, 1, rec + si + 0x40, ld32(rec + si + A_LEN) - 0x40);
	hu_fix(rec, rs);
	hu_loc_write(h, &h->loc, rec);

	for (unsigned k = 0; k <= n; k++) {
		uint8_t *e = list + 32 * k;
		hu_st(e, AT_DATA, 4);
		hu_st(e + L_LEN, 32, 2);
		e[L_NAME_OFF] = 26;
		hu_st(e + L_VCN, k == 0 ? 0 : end0 + k - 1, 8);
		hu_st(e + L_REF, k == 0 ? seq0 << 48 : first_rec + k - 1, 8);
		hu_st(e + 24, k == 0 ? id0 : 0, 2);
	}
	hu_loc_device(h, (uint64_t)lcn * cs, (uint64_t)nclus * cs, &loc);
	hu_loc_write(h, &loc, list);
	free(list);

	for (unsigned k = 1; k <= n; k++) {
		uint32_t a, len;
		hu_loc_record(h, first_rec + k - 1, &loc);
		hu_loc_read(h, &loc, rec);
		hu_unfix(rec, rs);
		a = ld16(rec + R_FIRST);
		len = (rs - a - 8) & ~7u;
		memset(rec + a, 0, rs - a);
		hu_st(rec + R_FLAGS, 1, 2);
		hu_st(rec + R_BASE, seq0 << 48, 8);
		hu_st(rec + a, AT_DATA, 4);
		hu_st(rec + a + A_LEN, len, 4);
		rec[a + A_NONRES] = 1;
		hu_st(rec + a + A_NAME_OFF, 0x40, 2);
		hu_st(rec + a + A_LOWEST, end0 + k - 1, 8);
		hu_st(rec + a + A_HIGHEST, end0 + k - 1, 8);
		hu_st(rec + a + A_MP_OFF, 0x40, 2);
		r = (struct hu_run){.len = 1, .lcn = 1};
		hu_runs_encode(&r, 1, rec + a + 0x40, len - 0x40);
		hu_st(rec + a + len, 0xFFFFFFFFu, 4);
		hu_st(rec + R_USED, a + len + 8, 4);
		hu_fix(rec, rs);
		hu_loc_write(h, &loc, rec);
		total += len - 0x40;
	}
	hu_unmount(h);
	return total;
}

static void h26_mft_mapping_pairs_capped(void **state)
{
	struct hu h;

	(void)state;
	/* A few forged extents: the image is valid, files still read. */
	forge_mft_extents(&h, 8);
	hu_expect(&h, hu_op_read, "/small.txt", NTFS_OK);
	hu_close(&h);
	/* Enough for more than NTFS_MAX_MFT_MAPPING bytes in all. */
	assert_true(forge_mft_extents(&h, NTFS_MAX_MFT_MAPPING / 896 + 1) > NTFS_MAX_MFT_MAPPING);
	hu_expect(&h, hu_op_mount, NULL, NTFS_ERR_LIMIT);
	hu_close(&h);
}

/* 3,000+ runs over ~15 extents cost no more memory than one run. */
static void h26_runlist_length_not_allocated(void **state)
{
	struct hu h;

	(void)state;
	hu_open(&h, FRAG);
	hu_expect(&h, hu_op_read, FRAGF, NTFS_OK);
	if (h.ma.largest > 64u * 1024 || h.ma.peak > 256u * 1024)
		fail_msg("reading 3,000+ runs: largest allocation %zu, peak %zu", h.ma.largest,
		         h.ma.peak);
	hu_close(&h);
}

/* ---- 27. loops and recursion driven by the disk ------------------------------- */

/* Path components are counted: NTFS_MAX_PATH_DEPTH of them resolve, one more
 * is refused (no recursion, no endless walk). */
static void h27_path_depth_limit(void **state)
{
	size_t n = 2 * (NTFS_MAX_PATH_DEPTH + 1) + 16;
	char *path = malloc(n);
	struct hu h;

	(void)state;
	assert_non_null(path);
	hu_open(&h, C512);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	path[0] = '\0';
	path[0] = '\0';
	for (int i = 0; i < NTFS_MAX_PATH_DEPTH - 1; i++)
		strcat(path, "/.");
	strcat(path, "/small.txt");
	assert_int_equal(hu_op_read(h.vol, path), NTFS_OK);
	memmove(path + 2, path, strlen(path) + 1);
	memcpy(path, "/.", 2);
	assert_int_equal(hu_op_open(h.vol, path), NTFS_ERR_LIMIT);
	hu_unmount(&h);
	hu_close(&h);
	free(path);
}

/* A one-block cycle: each entry once, then CORRUPT_INDEX, and the error
 * stays (no spinning, no repeated entries). */
static void h27_dir_walk_terminates_on_cycle(void **state)
{
	static const struct hu_case c = {INDX0(C512, UNI), .mutate = m_indx_self_cycle,
	                                 RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX)};
	struct ntfs_dirent *ent = malloc(sizeof *ent);
	struct hu h;
	ntfs_file *f;
	ntfs_dir *d;
	int r, n = 0;

	(void)state;
	assert_non_null(ent);
	hu_case_prepare(&c, &h);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	assert_int_equal(ntfs_path_open(h.vol, UNI, &f), NTFS_OK);
	assert_int_equal(ntfs_dir_open(f, 0, &d), NTFS_OK);
	while ((r = ntfs_dir_next(d, ent)) == 1)
		assert_true(++n <= 8);
	assert_int_equal(n, 8);
	assert_int_equal(r, NTFS_ERR_CORRUPT_INDEX);
	for (int i = 0; i < 100; i++)
		assert_int_equal(ntfs_dir_next(d, ent), NTFS_ERR_CORRUPT_INDEX);
	ntfs_dir_close(d);
	ntfs_file_close(f);
	hu_unmount(&h);
	hu_close(&h);
	free(ent);
}

/* ---- 28. directory offsets are stable and resumable ---------------------------- */

struct entkey {
	uint64_t ref;
	uint16_t len;
	uint16_t name[NTFS_NAME_MAX_UTF16];
};

static void key_of(const struct ntfs_dirent *e, struct entkey *k)
{
	memset(k, 0, sizeof *k);
	k->ref = e->ref;
	k->len = e->name16_len;
	memcpy(k->name, e->name16, e->name16_len * sizeof(uint16_t));
}

static size_t list_keys(ntfs_volume *vol, const char *dir, struct entkey *keys, size_t max,
                        size_t skip)
{
	struct ntfs_dirent *ent = malloc(sizeof *ent);
	ntfs_file *f;
	ntfs_dir *d;
	size_t n = 0, seen = 0;
	int r;

	assert_non_null(ent);
	assert_int_equal(ntfs_path_open(vol, dir, &f), NTFS_OK);
	assert_int_equal(ntfs_dir_open(f, 0, &d), NTFS_OK);
	while (n < max && (r = ntfs_dir_next(d, ent)) == 1)
		if (seen++ >= skip)
			key_of(ent, &keys[n++]);
	if (n < max)
		assert_int_equal(r, 0);
	ntfs_dir_close(d);
	ntfs_file_close(f);
	free(ent);
	return n;
}

static void h28_readdir_offsets_resumable(void **state)
{
	enum {
		MAX = 20100,
		WINDOW = 64
	};
	static const size_t skips[] = {0, 1, 407, 408, 5000, 10001, 19936, 19999, 20000};
	struct entkey *all = malloc(MAX * sizeof *all), *again = malloc(MAX * sizeof *again);
	struct entkey *win = malloc(WINDOW * sizeof *win);
	struct hu h;
	size_t n;

	(void)state;
	assert_non_null(all);
	assert_non_null(again);
	assert_non_null(win);
	hu_open(&h, C4K);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	n = list_keys(h.vol, "/big", all, MAX, 0);
	assert_int_equal(n, 20000);
	/* Deterministic: a second walk gives the same sequence. */
	assert_int_equal(list_keys(h.vol, "/big", again, MAX, 0), n);
	assert_memory_equal(all, again, n * sizeof *all);
	/* Resumable: re-open, skip N, and the next entries are entries N.. */
	for (size_t i = 0; i < sizeof skips / sizeof skips[0]; i++) {
		size_t want = n - skips[i] < WINDOW ? n - skips[i] : WINDOW;
		assert_int_equal(list_keys(h.vol, "/big", win, WINDOW, skips[i]), want);
		assert_memory_equal(win, all + skips[i], want * sizeof *win);
	}
	hu_unmount(&h);
	hu_close(&h);
	free(all);
	free(again);
	free(win);
}

/* ---- 29. too-small buffers and failing entries never loop ----------------------- */

static void h29_small_buffer_limit(void **state)
{
	static const uint16_t name[] = {'r', 0x00E9, 0x4E2D, 0xD83D, 0xDE00, 'z'};
	char buf[32];
	size_t out;

	(void)state;
	/* 1 + 2 + 3 + 4 + 1 bytes, plus the NUL: 12. */
	for (size_t size = 0; size < 12; size++) {
		memset(buf, 0x5A, sizeof buf);
		assert_int_equal(ntfs_utf16_to_utf8(name, 6, buf, size, &out), NTFS_ERR_LIMIT);
		for (size_t i = size; i < sizeof buf; i++)
			assert_int_equal((unsigned char)buf[i], 0x5A);
	}
	assert_int_equal(ntfs_utf16_to_utf8(name, 6, buf, 12, &out), NTFS_OK);
	assert_int_equal(out, 11);
	/* NTFS_NAME_MAX_UTF8 always suffices (the documented "size needed"). */
	assert_true(NTFS_NAME_MAX_UTF8 >= 3 * NTFS_NAME_MAX_UTF16 + 1);
}

/* A failing entry: the error comes back at once, every time, and the
 * cursor produces nothing more. */
static void h29_dir_next_failing_entry_no_loop(void **state)
{
	static const struct hu_case c = {INDX0(C512, UNI), .mutate = m_indx_entry,
	                                 .param = P(ENTRY(3, E_LEN), 0),
	                                 RUN(hu_op_list, UNI, NTFS_ERR_CORRUPT_INDEX)};
	struct ntfs_dirent *ent = malloc(sizeof *ent);
	struct hu h;
	ntfs_file *f;
	ntfs_dir *d;
	int r, n = 0;

	(void)state;
	assert_non_null(ent);
	hu_case_prepare(&c, &h);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	assert_int_equal(ntfs_path_open(h.vol, UNI, &f), NTFS_OK);
	assert_int_equal(ntfs_dir_open(f, 0, &d), NTFS_OK);
	while ((r = ntfs_dir_next(d, ent)) == 1)
		assert_true(++n <= 3);
	assert_int_equal(n, 3);
	assert_int_equal(r, NTFS_ERR_CORRUPT_INDEX);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(ntfs_dir_next(d, ent), NTFS_ERR_CORRUPT_INDEX);
	ntfs_dir_close(d);
	ntfs_file_close(f);
	hu_unmount(&h);
	hu_close(&h);
	free(ent);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(h01_usa_offset_outside_record),
	        cmocka_unit_test(h01_usa_offset_crosses_first_sector),
	        cmocka_unit_test(h01_usa_offset_odd),
	        cmocka_unit_test(h01_usa_count_too_small),
	        cmocka_unit_test(h01_usa_count_too_large),
	        cmocka_unit_test(h01_usa_count_zero),
	        cmocka_unit_test(h01_usa_sequence_mismatch),
	        cmocka_unit_test(h01_usa_sequence_mismatch_first_sector),
	        cmocka_unit_test(h01_usa_sequence_mismatch_4k_record),
	        cmocka_unit_test(h01_usa_sequence_mismatch_mft_record),
	        cmocka_unit_test(h02_bytes_in_use_over_allocated),
	        cmocka_unit_test(h02_bytes_allocated_over_record_size),
	        cmocka_unit_test(h02_bytes_in_use_huge),
	        cmocka_unit_test(h03_first_attr_at_bytes_in_use),
	        cmocka_unit_test(h03_first_attr_unaligned),
	        cmocka_unit_test(h03_first_attr_inside_usa),
	        cmocka_unit_test(h03_first_attr_past_record),
	        cmocka_unit_test(h04_baad_record),
	        cmocka_unit_test(h04_baad_mft_record),
	        cmocka_unit_test(h04_record_not_in_use_by_path),
	        cmocka_unit_test(h04_record_not_in_use_by_number),
	        cmocka_unit_test(h04_record_sequence_reused),
	        cmocka_unit_test(h04_mft_record_not_in_use),
	        cmocka_unit_test(h04_system_record_not_in_use),
	        cmocka_unit_test(h05_attr_length_zero),
	        cmocka_unit_test(h05_attr_length_too_short),
	        cmocka_unit_test(h05_attr_length_unaligned),
	        cmocka_unit_test(h05_attr_length_past_bytes_in_use),
	        cmocka_unit_test(h05_end_marker_missing),
	        cmocka_unit_test(h05_end_marker_zeroed),
	        cmocka_unit_test(h06_resident_value_length_huge),
	        cmocka_unit_test(h06_resident_value_one_byte_past),
	        cmocka_unit_test(h06_resident_value_offset_past_attr),
	        cmocka_unit_test(h06_resident_value_offset_in_header),
	        cmocka_unit_test(h07_name_length_past_attr),
	        cmocka_unit_test(h07_name_offset_past_attr),
	        cmocka_unit_test(h07_name_offset_in_header),
	        cmocka_unit_test(h07_name_contains_nul),
	        cmocka_unit_test(h07_duplicate_attribute_id),
	        cmocka_unit_test(h08_nonresident_flag_two),
	        cmocka_unit_test(h08_mapping_pairs_offset_at_length),
	        cmocka_unit_test(h08_mapping_pairs_offset_in_header),
	        cmocka_unit_test(h08_lowest_vcn_over_highest),
	        cmocka_unit_test(h08_initialized_over_data_size),
	        cmocka_unit_test(h08_data_over_allocated_size),
	        cmocka_unit_test(h08_compression_unit_on_uncompressed),
	        cmocka_unit_test(h08_compression_method_unknown),
	        cmocka_unit_test(h09_standard_information_short),
	        cmocka_unit_test(h09_file_name_short),
	        cmocka_unit_test(h09_file_name_length_past_value),
	        cmocka_unit_test(h09_volume_information_short),
	        cmocka_unit_test(h09_index_root_short),
	        cmocka_unit_test(h10_alist_entry_length_zero),
	        cmocka_unit_test(h10_alist_entry_shorter_than_header),
	        cmocka_unit_test(h10_alist_entry_length_unaligned),
	        cmocka_unit_test(h10_alist_entry_past_list_end),
	        cmocka_unit_test(h10_alist_name_past_entry),
	        cmocka_unit_test(h10_alist_name_in_entry_header),
	        cmocka_unit_test(h10_alist_attribute_named),
	        cmocka_unit_test(h11_mft_data_in_attribute_list),
	        cmocka_unit_test(h11_mft_alist_entry_past_list_end),
	        cmocka_unit_test(h11_mft_alist_data_entry_length_zero),
	        cmocka_unit_test(h11_mft_alist_data_entry_vcn_gap),
	        cmocka_unit_test(h11_mft_extension_unreachable),
	        cmocka_unit_test(h11_mft_extension_base_mismatch),
	        cmocka_unit_test(h12_extension_not_in_use),
	        cmocka_unit_test(h12_extension_base_ref_mismatch),
	        cmocka_unit_test(h12_extension_base_ref_self),
	        cmocka_unit_test(h12_extension_base_ref_zero),
	        cmocka_unit_test(h12_extension_attr_vcn_mismatch),
	        cmocka_unit_test(h12_extension_opened_as_file),
	        cmocka_unit_test(h12_alist_entry_points_at_base),
	        cmocka_unit_test(h12_alist_entry_sequence_mismatch),
	        cmocka_unit_test(h12_alist_entry_past_mft_end),
	        cmocka_unit_test(h12_alist_entry_other_file_record),
	        cmocka_unit_test(h12_alist_extent_vcn_repeated),
	        cmocka_unit_test(h12_alist_declared_size_huge),
	        cmocka_unit_test(h13_runlist_length_nibble_over_8),
	        cmocka_unit_test(h13_runlist_offset_nibble_over_8),
	        cmocka_unit_test(h13_runlist_run_past_attribute_end),
	        cmocka_unit_test(h13_runlist_missing_terminator),
	        cmocka_unit_test(h14_zero_length_run),
	        cmocka_unit_test(h14_empty_runlist),
	        cmocka_unit_test(h14_runs_shorter_than_vcn_range),
	        cmocka_unit_test(h14_runs_longer_than_vcn_range),
	        cmocka_unit_test(h15_run_past_volume_end),
	        cmocka_unit_test(h15_lcn_plus_length_overflows),
	        cmocka_unit_test(h15_negative_first_lcn),
	        cmocka_unit_test(h15_negative_lcn_after_delta),
	        cmocka_unit_test(h15_lcn_above_4g_clusters),
	        cmocka_unit_test(h16_sparse_run_length_high_bit),
	        cmocka_unit_test(h16_sparse_run_high_bit_past_range),
	        cmocka_unit_test(h17_index_entry_length_zero),
	        cmocka_unit_test(h17_index_entry_shorter_than_header),
	        cmocka_unit_test(h17_index_key_length_past_entry),
	        cmocka_unit_test(h17_index_key_shorter_than_file_name),
	        cmocka_unit_test(h17_index_entry_past_index_length),
	        cmocka_unit_test(h17_index_end_entry_past_index_length),
	        cmocka_unit_test(h17_index_key_shorter_than_name),
	        cmocka_unit_test(h17_index_entry_length_zero_lookup),
	        cmocka_unit_test(h18_index_length_over_allocated),
	        cmocka_unit_test(h18_allocated_over_block_size),
	        cmocka_unit_test(h18_indx_magic),
	        cmocka_unit_test(h18_indx_usa_sequence_mismatch),
	        cmocka_unit_test(h18_indx_usa_count_wrong),
	        cmocka_unit_test(h18_indx_usa_offset_outside),
	        cmocka_unit_test(h18_indx_vcn_mismatch),
	        cmocka_unit_test(h18_root_index_length_over_allocated),
	        cmocka_unit_test(h18_root_block_size_mismatch),
	        cmocka_unit_test(h19_subnode_vcn_outside_allocation),
	        cmocka_unit_test(h19_subnode_vcn_not_block_aligned),
	        cmocka_unit_test(h19_subnode_vcn_huge),
	        cmocka_unit_test(h19_subnode_vcn_huge_lookup),
	        cmocka_unit_test(h19_subnode_not_in_bitmap),
	        cmocka_unit_test(h19_subnode_cycle_single_block),
	        cmocka_unit_test(h19_subnode_vcn_units_small_block),
	        cmocka_unit_test(h19_subnode_vcn_units_small_block_next),
	        cmocka_unit_test(h19_index_vcn_units_valid),
	        cmocka_unit_test(h19_index_depth_beyond_limit),
	        cmocka_unit_test(h19_index_subnode_cycle_deep_tree),
	        cmocka_unit_test(h20_index_bitmap_empty),
	        cmocka_unit_test(h20_index_bitmap_shorter_than_allocation),
	        cmocka_unit_test(h21_lone_surrogate_in_dir_entry),
	        cmocka_unit_test(h21_lone_surrogate_in_stream_name),
	        cmocka_unit_test(h21_zero_length_name_in_index),
	        cmocka_unit_test(h21_name_length_past_index_key),
	        cmocka_unit_test(h21_nul_in_dir_entry_name),
	        cmocka_unit_test(h21_slash_in_dir_entry_name),
	        cmocka_unit_test(h21_dir_entry_named_dot),
	        cmocka_unit_test(h21_dir_entry_named_dotdot),
	        cmocka_unit_test(h21_utf16_to_utf8_bounded),
	        cmocka_unit_test(h22_label_length_past_attribute),
	        cmocka_unit_test(h22_label_offset_past_attribute),
	        cmocka_unit_test(h22_label_odd_length),
	        cmocka_unit_test(h22_label_lone_surrogate),
	        cmocka_unit_test(h22_label_empty),
	        cmocka_unit_test(h22_label_longer_than_128_units),
	        cmocka_unit_test(h23_bytes_per_sector_not_power_of_two),
	        cmocka_unit_test(h23_bytes_per_sector_128),
	        cmocka_unit_test(h23_bytes_per_sector_8192),
	        cmocka_unit_test(h23_sectors_per_cluster_zero),
	        cmocka_unit_test(h23_sectors_per_cluster_not_power_of_two),
	        cmocka_unit_test(h23_sectors_per_cluster_exponent_too_large),
	        cmocka_unit_test(h23_cluster_over_2m),
	        cmocka_unit_test(h23_clusters_per_record_zero),
	        cmocka_unit_test(h23_clusters_per_record_not_power_of_two),
	        cmocka_unit_test(h23_record_size_exponent_too_large),
	        cmocka_unit_test(h23_clusters_per_index_block_zero),
	        cmocka_unit_test(h23_total_sectors_zero),
	        cmocka_unit_test(h23_total_sectors_overflow),
	        cmocka_unit_test(h23_oem_id),
	        cmocka_unit_test(h23_signature),
	        cmocka_unit_test(h23_mft_lcn_past_volume),
	        cmocka_unit_test(h23_mftmirr_lcn_past_volume),
	        cmocka_unit_test(h23_clusters_per_record_positive_encoding),
	        cmocka_unit_test(h23_cluster_2m_valid),
	        cmocka_unit_test(h23_backup_boot_sector),
	        cmocka_unit_test(h23_total_sectors_past_device),
	        cmocka_unit_test(h24_lznt1_read_unsupported),
	        cmocka_unit_test(h24_lznt1_compression_unit_not_4),
	        cmocka_unit_test(h25_compressed_stream_read_unsupported),
	        cmocka_unit_test(h25_wof_compressed_file_read_unsupported),
	        cmocka_unit_test(h26_attrlist_size_huge),
	        cmocka_unit_test(h26_mft_mapping_pairs_capped),
	        cmocka_unit_test(h26_attrlist_size_just_over_cap),
	        cmocka_unit_test(h26_index_allocation_size_huge),
	        cmocka_unit_test(h26_upcase_size_huge),
	        cmocka_unit_test(h26_volume_bitmap_size_huge),
	        cmocka_unit_test(h26_runlist_length_not_allocated),
	        cmocka_unit_test(h27_path_depth_limit),
	        cmocka_unit_test(h27_unknown_device_size_bounds_volume),
	        cmocka_unit_test(h27_dir_walk_terminates_on_cycle),
	        cmocka_unit_test(h28_readdir_offsets_resumable),
	        cmocka_unit_test(h29_small_buffer_limit),
	        cmocka_unit_test(h29_dir_next_failing_entry_no_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
