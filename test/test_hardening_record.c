/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hardening tests, classes 1-9 of docs HARDENING.md: MFT records (update
 * sequence, header fields, BAAD and unused records) and their attributes
 * (lengths, resident values, names, non-resident headers, minimum value
 * sizes). One row per test; see support/hardening_cases.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hardening_cases.h"

#define ld16(p) ((uint32_t)hu_ld((p), 2))
#define ld32(p) ((uint32_t)hu_ld((p), 4))

/* ---- 3-5. record header and attribute walk ----------------------------- */

static void m_first_at_used(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	(void)len;
	(void)p;
	hu_st(b + OD_REC_ATTRS_OFFSET, ld32(b + OD_REC_BYTES_IN_USE), 2);
}

static void m_seq_plus_one(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	(void)len;
	(void)p;
	hu_st(b + OD_REC_SEQUENCE, ld16(b + OD_REC_SEQUENCE) + 1u, 2);
}

/* Length of the first attribute: param bit 8 keeps the old length, the low
 * byte is added (signed). */
static void m_attr0_len(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = ld16(b + OD_REC_ATTRS_OFFSET);
	(void)h;
	(void)len;
	hu_st(b + a + OD_AH_LENGTH,
	      (uint64_t)(ld32(b + a + OD_AH_LENGTH) * (p >> 8 & 1) + (int8_t)(p & 0xFF)), 4);
}

static void m_attr0_len_to_used(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = ld16(b + OD_REC_ATTRS_OFFSET);
	(void)h;
	(void)len;
	(void)p;
	hu_st(b + a + OD_AH_LENGTH, ld32(b + OD_REC_BYTES_IN_USE) - a + 8, 4);
}

static void m_drop_end_marker(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	(void)len;
	(void)p;
	hu_st(b + OD_REC_BYTES_IN_USE, hu_attr_end(b), 4);
}

static void m_zero_end_marker(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	(void)len;
	(void)p;
	memset(b + hu_attr_end(b), 0, 8);
}

/* ---- 6-7. resident values and attribute names ---------------------------- */

/* A value of ALEN(n) means "the attribute's length + n". */
#define ALEN(n) ADD(n)
static uint32_t rel_value(const uint8_t *a, uint32_t v)
{
	if ((v & 0xFFFF0000u) == 0xFFFF0000u)
		return ld32(a + OD_AH_LENGTH) + (v & 0xFFFFu) - 0x8000u;
	return v;
}

/* P(field, value) of the unnamed $DATA. */
static void m_data_field32(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *a = b + hu_attr_find(b, OD_AT_DATA, "");
	(void)h;
	(void)len;
	hu_st(a + P_OFF(p), rel_value(a, P_VAL(p)), 4);
}

static void m_data_field16(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *a = b + hu_attr_find(b, OD_AT_DATA, "");
	(void)h;
	(void)len;
	hu_st(a + P_OFF(p), rel_value(a, P_VAL(p)), 2);
}

static void m_value_one_past(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *a = b + hu_attr_find(b, OD_AT_DATA, "");
	(void)h;
	(void)len;
	(void)p;
	hu_st(a + OD_AH_VALUE_LEN, ld32(a + OD_AH_LENGTH) - ld16(a + OD_AH_VALUE_OFF) + 1, 4);
}

/* P(field, value) of stream "note": the name length (a byte) or a 16-bit
 * field. */
static void m_note_field(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *a = b + hu_attr_find(b, OD_AT_DATA, "note");
	(void)h;
	(void)len;
	if (P_OFF(p) == OD_AH_NAME_LEN)
		a[OD_AH_NAME_LEN] = (uint8_t)P_VAL(p);
	else
		hu_st(a + P_OFF(p), rel_value(a, P_VAL(p)), 2);
}

static void m_gamma_takes_beta_id(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t beta = hu_attr_find(b, OD_AT_DATA, "beta");
	uint32_t gamma = hu_attr_find(b, OD_AT_DATA, "gamma");
	(void)h;
	(void)len;
	(void)p;
	assert_int_equal(b[beta + OD_AH_NONRESIDENT], 1);
	assert_int_equal(b[gamma + OD_AH_NONRESIDENT], 1);
	hu_st(b + gamma + OD_AH_ID, ld16(b + beta + OD_AH_ID), 2);
}

/* "path:stream", read whole on a fresh mount. */
static uint8_t *read_whole(struct hu *h, const char *spec, size_t *len)
{
	const char *colon = strchr(spec, ':');
	char path[256];
	ntfs_file *f;
	ntfs_stream *s;
	uint8_t *buf;

	assert_non_null(colon);
	assert_true((size_t)(colon - spec) < sizeof path);
	memcpy(path, spec, (size_t)(colon - spec));
	path[colon - spec] = '\0';
	assert_int_equal(hu_mount(h), NTFS_OK);
	assert_int_equal(ntfs_path_open(h->vol, path, &f), NTFS_OK);
	assert_int_equal(ntfs_stream_open(f, colon + 1, &s), NTFS_OK);
	buf = malloc((size_t)ntfs_stream_size(s));
	assert_non_null(buf);
	assert_int_equal(ntfs_stream_read(s, 0, buf, (size_t)ntfs_stream_size(s), len), NTFS_OK);
	assert_int_equal(*len, ntfs_stream_size(s));
	ntfs_stream_close(s);
	ntfs_file_close(f);
	hu_unmount(h);
	return buf;
}

/* Two non-resident streams of one record with the same attribute id: each
 * still reads its own runs. */
static void h07_duplicate_attribute_id(const struct hu_case *c)
{
	struct hu h;
	uint8_t *want, *got;
	size_t want_len, got_len;

	hu_open(&h, c->image);
	want = read_whole(&h, c->arg, &want_len);
	hu_close(&h);
	assert_int_equal(want_len, 70000);
	hu_case_prepare(c, &h);
	got = read_whole(&h, c->arg, &got_len);
	assert_int_equal(got_len, want_len);
	assert_memory_equal(got, want, want_len);
	hu_close(&h);
	free(want);
	free(got);
}

/* ---- 9. minimum value sizes ------------------------------------------------ */

/* P(type, value length); index types: $I30. */
static void m_value_len(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, P_OFF(p), P_OFF(p) == OD_AT_INDEX_ROOT ? "$I30" : "");
	(void)h;
	(void)len;
	hu_st(b + a + OD_AH_VALUE_LEN, P_VAL(p), 4);
}

static void m_fn_name_len_past(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, OD_AT_FILE_NAME, "");
	uint8_t *v = hu_attr_value(b, a);
	(void)h;
	(void)len;
	(void)p;
	v[OD_FN_NAME_LEN] = (uint8_t)((ld32(b + a + OD_AH_VALUE_LEN) - OD_FN_NAME) / 2 + 1);
}

static const struct hu_case cases[] = {
        /* 1. update sequence array */
        HU_ROW(.name = "h01_usa_offset_outside_record", .cls = 1, .image = C512, .kind = HU_RECORD,
               .target = SMALL, .raw = true, .mutate = m_set16, .param = P(OD_REC_USA_OFF, 0xFFF0),
               .op = hu_op_open, .expect = NTFS_ERR_CORRUPT_FIXUP, .what = "USA offset 0xFFF0"),
        HU_ROW(.name = "h01_usa_offset_crosses_first_sector", .cls = 1, .image = C512,
               .kind = HU_RECORD, .target = SMALL, .raw = true, .mutate = m_set16,
               .param = P(OD_REC_USA_OFF, 506), .op = hu_op_open, .expect = NTFS_ERR_CORRUPT_FIXUP,
               .what = "USA offset 506 (the array crosses the first stride's end)"),
        HU_ROW(.name = "h01_usa_offset_odd", .cls = 1, .image = C512, .kind = HU_RECORD,
               .target = SMALL, .raw = true, .mutate = m_set16, .param = P(OD_REC_USA_OFF, 0x31),
               .op = hu_op_open, .expect = NTFS_ERR_CORRUPT_FIXUP, .what = "USA offset 0x31"),
        HU_ROW(.name = "h01_usa_count_too_small", .cls = 1, .image = C512, .kind = HU_RECORD,
               .target = SMALL, .raw = true, .mutate = m_set16, .param = P(OD_REC_USA_COUNT, 2),
               .op = hu_op_open, .expect = NTFS_ERR_CORRUPT_FIXUP,
               .what = "USA count 2 (must be 1024/512 + 1 = 3)"),
        HU_ROW(.name = "h01_usa_count_too_large", .cls = 1, .image = C512, .kind = HU_RECORD,
               .target = SMALL, .raw = true, .mutate = m_set16,
               .param = P(OD_REC_USA_COUNT, 0xFFFF), .op = hu_op_open,
               .expect = NTFS_ERR_CORRUPT_FIXUP, .what = "USA count 0xFFFF"),
        HU_ROW(.name = "h01_usa_count_zero", .cls = 1, .image = C512, .kind = HU_RECORD,
               .target = SMALL, .raw = true, .mutate = m_set16, .param = P(OD_REC_USA_COUNT, 0),
               .op = hu_op_open, .expect = NTFS_ERR_CORRUPT_FIXUP, .what = "USA count 0"),
        HU_ROW(.name = "h01_usa_sequence_mismatch", .cls = 1, .image = C512, .kind = HU_RECORD,
               .target = SMALL, .raw = true, .mutate = m_xor8, .param = P(1022, 0xFF),
               .op = hu_op_open, .expect = NTFS_ERR_CORRUPT_FIXUP,
               .what = "a byte of stride 2's sequence number flipped"),
        HU_ROW(.name = "h01_usa_sequence_mismatch_first_sector", .cls = 1, .image = C512,
               .kind = HU_RECORD, .target = SMALL, .raw = true, .mutate = m_xor8,
               .param = P(511, 0x01), .op = hu_op_open, .expect = NTFS_ERR_CORRUPT_FIXUP,
               .what = "last byte of stride 1 changed"),
        HU_ROW(.name = "h01_usa_sequence_mismatch_4k_record", .cls = 1, .image = S4K,
               .kind = HU_RECORD, .target = SMALL, .raw = true, .mutate = m_xor8,
               .param = P(4094, 0x10), .op = hu_op_open, .expect = NTFS_ERR_CORRUPT_FIXUP,
               .what = "4 KiB records (8 strides): the last one torn"),
        HU_ROW(.name = "h01_usa_sequence_mismatch_mft_record", .cls = 1, .image = C512,
               .kind = HU_RECORD, .target = "#0", .raw = true, .mutate = m_xor8,
               .param = P(510, 0x01), .op = hu_op_mount, .expect = NTFS_ERR_CORRUPT_FIXUP,
               .what = "the `$MFT`'s own record, read before anything else, torn"),

        /* 2. bytes in use */
        HU_ROW(.name = "h02_bytes_in_use_over_allocated", .cls = 2, .image = C512,
               .kind = HU_RECORD, .target = SMALL, .mutate = m_set32,
               .param = P(OD_REC_BYTES_IN_USE, 1032), .op = hu_op_open,
               .expect = NTFS_ERR_CORRUPT_RECORD,
               .what = "bytes_in_use 1032 > bytes_allocated 1024"),
        HU_ROW(.name = "h02_bytes_allocated_over_record_size", .cls = 2, .image = C512,
               .kind = HU_RECORD, .target = SMALL, .mutate = m_set32,
               .param = P(OD_REC_BYTES_ALLOC, 4096), .op = hu_op_open,
               .expect = NTFS_ERR_CORRUPT_RECORD, .what = "bytes_allocated 4096 in a 1 KiB record"),
        HU_ROW(.name = "h02_bytes_in_use_huge", .cls = 2, .image = C512, .kind = HU_RECORD,
               .target = SMALL, .mutate = m_set32, .param = P(OD_REC_BYTES_IN_USE, 0xFFFFFFF8u),
               .op = hu_op_open, .expect = NTFS_ERR_CORRUPT_RECORD,
               .what = "bytes_in_use 0xFFFFFFF8"),

        /* 3. first attribute offset */
        HU_ROW(.name = "h03_first_attr_at_bytes_in_use", .cls = 3, .image = C512, .kind = HU_RECORD,
               .target = SMALL, .mutate = m_first_at_used, .op = hu_op_open,
               .expect = NTFS_ERR_CORRUPT_RECORD, .what = "first-attribute offset = bytes_in_use"),
        HU_ROW(.name = "h03_first_attr_unaligned", .cls = 3, .image = C512, .kind = HU_RECORD,
               .target = SMALL, .mutate = m_set16, .param = P(OD_REC_ATTRS_OFFSET, 0x3C),
               .op = hu_op_open, .expect = NTFS_ERR_CORRUPT_RECORD,
               .what = "first-attribute offset 0x3C"),
        HU_ROW(.name = "h03_first_attr_inside_usa", .cls = 3, .image = C512, .kind = HU_RECORD,
               .target = SMALL, .mutate = m_set16, .param = P(OD_REC_ATTRS_OFFSET, 0x30),
               .op = hu_op_open, .expect = NTFS_ERR_CORRUPT_RECORD,
               .what = "first-attribute offset 0x30 (on top of the USA)"),
        HU_ROW(.name = "h03_first_attr_past_record", .cls = 3, .image = C512, .kind = HU_RECORD,
               .target = SMALL, .mutate = m_set16, .param = P(OD_REC_ATTRS_OFFSET, 0xFFF8),
               .op = hu_op_open, .expect = NTFS_ERR_CORRUPT_RECORD,
               .what = "first-attribute offset 0xFFF8"),

        /* 4. BAAD and records not in use */
        HU_ROW(.name = "h04_baad_record", .cls = 4, .image = C512, .kind = HU_RECORD,
               .target = SMALL, .raw = true, .mutate = m_magic, .param = 0, .op = hu_op_open,
               .expect = NTFS_ERR_CORRUPT_RECORD, .what = "magic \"BAAD\""),
        HU_ROW(.name = "h04_baad_mft_record", .cls = 4, .image = C512, .kind = HU_RECORD,
               .target = "#0", .raw = true, .mutate = m_magic, .param = 0, .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_RECORD, .what = "magic \"BAAD\" on the `$MFT`'s record"),
        HU_ROW(.name = "h04_record_not_in_use_by_path", .cls = 4, .image = C512, .kind = HU_RECORD,
               .target = SMALL, .mutate = m_clear_in_use, .op = hu_op_open,
               .expect = NTFS_ERR_STALE, .what = "in-use flag cleared; opened by path"),
        HU_ROW(.name = "h04_record_not_in_use_by_number", .cls = 4, .image = C512,
               .kind = HU_RECORD, .target = "#65", .mutate = m_clear_in_use, .op = hu_op_open,
               .expect = NTFS_ERR_STALE,
               .what = "in-use flag cleared; opened by number (65 is `small.txt`)"),
        HU_ROW(.name = "h04_record_sequence_reused", .cls = 4, .image = C512, .kind = HU_RECORD,
               .target = SMALL, .mutate = m_seq_plus_one, .op = hu_op_open,
               .expect = NTFS_ERR_STALE,
               .what = "sequence number + 1 (the directory entry is now stale)"),
        HU_ROW(.name = "h04_mft_record_not_in_use", .cls = 4, .image = C512, .kind = HU_RECORD,
               .target = "#0", .mutate = m_clear_in_use, .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_MFT, .what = "the `$MFT`'s record not in use"),
        HU_ROW(.name = "h04_system_record_not_in_use", .cls = 4, .image = C512, .kind = HU_RECORD,
               .target = "#3", .mutate = m_clear_in_use, .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_MFT,
               .what = "`$Volume` not in use: an inconsistent system file (a mount has no "
                       "`STALE`)"),

        /* 5. attribute length and the end marker */
        HU_ROW(.name = "h05_attr_length_zero", .cls = 5, .image = C512, .kind = HU_RECORD,
               .target = SMALL, .mutate = m_attr0_len, .param = 0, .op = hu_op_open,
               .expect = NTFS_ERR_CORRUPT_ATTR, .what = "first attribute's length 0"),
        HU_ROW(.name = "h05_attr_length_too_short", .cls = 5, .image = C512, .kind = HU_RECORD,
               .target = SMALL, .mutate = m_attr0_len, .param = 8, .op = hu_op_open,
               .expect = NTFS_ERR_CORRUPT_ATTR, .what = "first attribute's length 8"),
        HU_ROW(.name = "h05_attr_length_unaligned", .cls = 5, .image = C512, .kind = HU_RECORD,
               .target = SMALL, .mutate = m_attr0_len, .param = 0x100 | 4, .op = hu_op_open,
               .expect = NTFS_ERR_CORRUPT_ATTR, .what = "first attribute's length + 4"),
        HU_ROW(.name = "h05_attr_length_past_bytes_in_use", .cls = 5, .image = C512,
               .kind = HU_RECORD, .target = SMALL, .mutate = m_attr0_len_to_used, .op = hu_op_open,
               .expect = NTFS_ERR_CORRUPT_ATTR,
               .what = "first attribute's length runs 8 bytes past bytes_in_use"),
        HU_ROW(.name = "h05_end_marker_missing", .cls = 5, .image = C512, .kind = HU_RECORD,
               .target = SMALL, .mutate = m_drop_end_marker, .op = hu_op_open,
               .expect = NTFS_ERR_CORRUPT_ATTR,
               .what = "bytes_in_use cut just before the 0xFFFFFFFF marker"),
        HU_ROW(.name = "h05_end_marker_zeroed", .cls = 5, .image = C512, .kind = HU_RECORD,
               .target = SMALL, .mutate = m_zero_end_marker, .op = hu_op_open,
               .expect = NTFS_ERR_CORRUPT_ATTR, .what = "end marker overwritten with zeros"),

        /* 6. resident value bounds */
        HU_ROW(.name = "h06_resident_value_length_huge", .cls = 6, .image = C512, .kind = HU_RECORD,
               .target = SMALL, .mutate = m_data_field32, .param = P(OD_AH_VALUE_LEN, 0xFFFFFFF0u),
               .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_ATTR,
               .what = "`$DATA` value length 0xFFFFFFF0"),
        HU_ROW(.name = "h06_resident_value_one_byte_past", .cls = 6, .image = C512,
               .kind = HU_RECORD, .target = SMALL, .mutate = m_value_one_past, .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_ATTR,
               .what = "`$DATA` value length ends 1 byte past the attribute"),
        HU_ROW(.name = "h06_resident_value_offset_past_attr", .cls = 6, .image = C512,
               .kind = HU_RECORD, .target = SMALL, .mutate = m_data_field16,
               .param = P(OD_AH_VALUE_OFF, ALEN(0)), .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_ATTR, .what = "`$DATA` value offset = attribute length"),
        HU_ROW(.name = "h06_resident_value_offset_in_header", .cls = 6, .image = C512,
               .kind = HU_RECORD, .target = SMALL, .mutate = m_data_field16,
               .param = P(OD_AH_VALUE_OFF, 16), .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_ATTR,
               .what = "`$DATA` value offset 16"),

        /* 7. attribute names */
        HU_ROW(.name = "h07_name_length_past_attr", .cls = 7, .image = C512, .kind = HU_RECORD,
               .target = NOTE, .mutate = m_note_field, .param = P(OD_AH_NAME_LEN, 200),
               .op = hu_op_read, .arg = NOTE ":note", .expect = NTFS_ERR_CORRUPT_ATTR,
               .what = "stream \"note\": name length 200"),
        HU_ROW(.name = "h07_name_offset_past_attr", .cls = 7, .image = C512, .kind = HU_RECORD,
               .target = NOTE, .mutate = m_note_field, .param = P(OD_AH_NAME_OFF, ALEN(-2)),
               .op = hu_op_read, .arg = NOTE ":note", .expect = NTFS_ERR_CORRUPT_ATTR,
               .what = "stream \"note\": name offset = attribute length - 2"),
        HU_ROW(.name = "h07_name_offset_in_header", .cls = 7, .image = C512, .kind = HU_RECORD,
               .target = NOTE, .mutate = m_note_field, .param = P(OD_AH_NAME_OFF, 8),
               .op = hu_op_read, .arg = NOTE ":note", .expect = NTFS_ERR_CORRUPT_ATTR,
               .what = "stream \"note\": name offset 8"),
        HU_ROW(.name = "h07_name_contains_nul", .cls = 7, .image = C512, .kind = HU_RECORD,
               .target = NOTE, .mutate = m_note_name_unit, .param = P(2, 0), .op = hu_op_read,
               .arg = NOTE ":note", .expect = NTFS_ERR_CORRUPT_ATTR,
               .what = "third unit of the name \"note\" set to 0"),
        HU_ROW(.name = "h07_duplicate_attribute_id", .cls = 7, .run = h07_duplicate_attribute_id,
               .image = C512, .kind = HU_RECORD, .target = MULTI, .mutate = m_gamma_takes_beta_id,
               .op = hu_op_read, .arg = MULTI ":gamma", .expect = NTFS_OK,
               .what = "stream `gamma` given the attribute id of `beta` (both non-resident, no "
                       "list): `gamma` reads the same 70,000 bytes as before"),

        /* 8. non-resident headers */
        HU_ROW(.name = "h08_nonresident_flag_two", .cls = 8, .image = C512, .kind = HU_RECORD,
               .target = R100K, .mutate = m_nr_field, .param = P(NR(OD_AH_NONRESIDENT, 1), 2),
               .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_ATTR,
               .what = "`$DATA` non-resident flag 2"),
        HU_ROW(.name = "h08_mapping_pairs_offset_at_length", .cls = 8, .image = C512,
               .kind = HU_RECORD, .target = R100K, .mutate = m_nr_field,
               .param = P(NR(OD_AH_MP_OFF, 2), 0xFFFFFFFFu), .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_ATTR, .what = "mapping-pairs offset = attribute length"),
        HU_ROW(.name = "h08_mapping_pairs_offset_in_header", .cls = 8, .image = C512,
               .kind = HU_RECORD, .target = R100K, .mutate = m_nr_field,
               .param = P(NR(OD_AH_MP_OFF, 2), 40), .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_ATTR, .what = "mapping-pairs offset 40"),
        HU_ROW(.name = "h08_lowest_vcn_over_highest", .cls = 8, .image = C512, .kind = HU_RECORD,
               .target = R100K, .mutate = m_nr_field, .param = P(NR(OD_AH_LOWEST_VCN, 8), 300),
               .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_ATTR,
               .what = "lowest VCN 300 > highest 199"),
        HU_ROW(.name = "h08_initialized_over_data_size", .cls = 8, .image = C512, .kind = HU_RECORD,
               .target = R100K, .mutate = m_nr_field, .param = P(NR(OD_AH_INIT, 8), ADD(512)),
               .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_ATTR,
               .what = "initialized size = data size + 512"),
        HU_ROW(.name = "h08_data_over_allocated_size", .cls = 8, .image = C512, .kind = HU_RECORD,
               .target = R100K, .mutate = m_nr_field, .param = P(NR(OD_AH_DATA, 8), ADD(512)),
               .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_ATTR,
               .what = "data size = allocated size + 512"),
        HU_ROW(.name = "h08_compression_unit_on_uncompressed", .cls = 8, .image = C512,
               .kind = HU_RECORD, .target = R100K, .mutate = m_nr_field,
               .param = P(NR(OD_AH_CU, 1), 4), .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_ATTR,
               .what = "compression unit 4, flags 0"),
        HU_ROW(.name = "h08_compression_method_unknown", .cls = 8, .image = C512, .kind = HU_RECORD,
               .target = R100K, .mutate = m_nr_field, .param = P(NR(OD_AH_FLAGS, 2), 0x0002),
               .op = hu_op_read, .expect = NTFS_ERR_UNSUPPORTED,
               .what = "flags 0x0002: a compression method other than LZNT1 is refused, not read "
                       "raw"),

        /* 9. minimum value sizes */
        HU_ROW(.name = "h09_standard_information_short", .cls = 9, .image = C512, .kind = HU_RECORD,
               .target = SMALL, .mutate = m_value_len, .param = P(OD_AT_STANDARD_INFORMATION, 47),
               .op = hu_op_stat, .expect = NTFS_ERR_CORRUPT_ATTR,
               .what = "`$STANDARD_INFORMATION` 47 bytes"),
        HU_ROW(.name = "h09_file_name_short", .cls = 9, .image = C512, .kind = HU_RECORD,
               .target = "/nested/level1", .mutate = m_value_len, .param = P(OD_AT_FILE_NAME, 65),
               .op = hu_op_open, .arg = "/nested/level1/..", .expect = NTFS_ERR_CORRUPT_ATTR,
               .what = "`$FILE_NAME` 65 bytes (`..` resolves through it)"),
        HU_ROW(.name = "h09_file_name_length_past_value", .cls = 9, .image = C512,
               .kind = HU_RECORD, .target = "/nested/level1", .mutate = m_fn_name_len_past,
               .op = hu_op_open, .arg = "/nested/level1/..", .expect = NTFS_ERR_CORRUPT_ATTR,
               .what = "`$FILE_NAME` name length 1 unit past the value"),
        HU_ROW(.name = "h09_volume_information_short", .cls = 9, .image = C512, .kind = HU_RECORD,
               .target = "#3", .mutate = m_value_len, .param = P(OD_AT_VOLUME_INFORMATION, 11),
               .op = hu_op_mount, .expect = NTFS_ERR_CORRUPT_ATTR,
               .what = "`$VOLUME_INFORMATION` 11 bytes"),
        HU_ROW(.name = "h09_index_root_short", .cls = 9, .image = C512, .kind = HU_RECORD,
               .target = UNI, .mutate = m_value_len, .param = P(OD_AT_INDEX_ROOT, 40),
               .op = hu_op_list, .expect = NTFS_ERR_CORRUPT_INDEX,
               .what = "`$INDEX_ROOT` 40 bytes"),
};

int main(void)
{
	return hu_main("hardening_record", cases, sizeof cases / sizeof cases[0]);
}
