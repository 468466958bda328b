/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hardening tests, classes 21-22 of docs HARDENING.md and the names' part
 * of classes 27 and 29: UTF-16 names in directory entries and stream names,
 * the volume label, UTF-8 conversion into bounded buffers, path depth. One
 * row per test; see support/hardening_cases.h.
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

/* ---- 21. UTF-16 names ----------------------------------------------------------- */

/* INDX block 0 of /unicode: the key of "\U0001F600smile.txt". */
static uint8_t *smile_key(uint8_t *b)
{
	uint8_t *node = b + OD_INDX_NODE;

	for (unsigned k = 0;; k++) {
		uint8_t *key = node + hu_ie_off(node, k) + OD_IE_KEY;
		if (key[OD_FN_NAME_LEN] == 11 && ld16(key + OD_FN_NAME) == 0xD83D &&
		    ld16(key + OD_FN_NAME + 2) == 0xDE00)
			return key;
	}
}

/* Its low surrogate replaced: a lone high surrogate. */
static void m_lone_surrogate(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	(void)len;
	(void)p;
	hu_st(smile_key(b) + OD_FN_NAME + 2, 'x', 2);
}

/* Its 's' (unit 2) replaced by @p: the entry keeps its place in the order,
 * which its first unit decides. */
static void m_smile_unit(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)h;
	(void)len;
	hu_st(smile_key(b) + OD_FN_NAME + 4, (uint32_t)p, 2);
}

/* Entry 0 renamed @p dots. */
static void m_first_name_dots(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *key = b + OD_INDX_NODE + hu_ie_off(b + OD_INDX_NODE, 0) + OD_IE_KEY;
	(void)h;
	(void)len;
	key[OD_FN_NAME_LEN] = (uint8_t)p;
	for (long long i = 0; i < p; i++)
		hu_st(key + OD_FN_NAME + 2 * i, '.', 2);
}

/* Entry @p's name length one unit more than its key holds. */
static void m_name_len_past_key(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *node = b + OD_INDX_NODE;
	uint32_t e = hu_ie_off(node, (unsigned)p);
	(void)h;
	(void)len;
	assert_true(ld16(node + e + OD_IE_KEY_LEN) < OD_FN_NAME + 2 * 254);
	node[e + OD_IE_KEY + OD_FN_NAME_LEN] =
	        (uint8_t)((ld16(node + e + OD_IE_KEY_LEN) - OD_FN_NAME) / 2 + 1);
}

/* The bad name is reported once (record 87, no UTF-8 name, its 11 units),
 * the cursor goes on, the other names still resolve. */
static void h21_lone_surrogate_in_dir_entry(const struct hu_case *c)
{
	struct ntfs_dirent *ent = malloc(sizeof *ent);
	struct hu h;
	ntfs_file *f;
	ntfs_dir *d;
	int r, ok = 0, bad = 0, calls = 0;

	assert_non_null(ent);
	hu_case_prepare(c, &h);
	hu_expect(&h, c->op, c->target, c->expect);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	assert_int_equal(ntfs_path_open(h.vol, c->target, &f), NTFS_OK);
	assert_int_equal(ntfs_dir_open(f, 0, &d), NTFS_OK);
	while ((r = ntfs_dir_next(d, ent)) != 0) {
		assert_true(++calls <= 9);
		if (r == 1) {
			ok++;
			continue;
		}
		assert_int_equal(r, c->expect);
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
	hu_expect(&h, hu_op_read, UNI_FILE, NTFS_OK);
	hu_close(&h);
	free(ent);
}

/* Conversion into a fixed buffer: every size too small gives .expect and
 * nothing is written past the buffer. */
static void h21_utf16_to_utf8_bounded(const struct hu_case *c)
{
	uint16_t name[NTFS_NAME_MAX_UTF16];
	char buf[NTFS_NAME_MAX_UTF8 + 16];
	size_t need, out;

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
		assert_int_equal(ntfs_utf16_to_utf8(name, 255, buf, size, &out), c->expect);
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

/* $VOLUME_NAME: 0 value length past the attribute; 1 value offset past the
 * attribute; 2 odd length; 3 first unit a lone low surrogate; 4 empty. */
static void m_label(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, OD_AT_VOLUME_NAME, "");
	(void)h;
	(void)len;
	switch (p) {
	case 0:
		hu_st(b + a + OD_AH_VALUE_LEN, ld32(b + a + OD_AH_LENGTH), 4);
		break;
	case 1:
		hu_st(b + a + OD_AH_VALUE_OFF, ld32(b + a + OD_AH_LENGTH), 2);
		break;
	case 2:
		hu_st(b + a + OD_AH_VALUE_LEN, ld32(b + a + OD_AH_VALUE_LEN) - 1, 4);
		break;
	case 3:
		hu_st(hu_attr_value(b, a), 0xDC00, 2);
		break;
	case 4:
		hu_st(b + a + OD_AH_VALUE_LEN, 0, 4);
		break;
	default:
		fail();
	}
}

/* The mount gives .expect and the label reads as "". */
static void h22_label_reads_empty(const struct hu_case *c)
{
	struct hu h;

	hu_case_prepare(c, &h);
	assert_int_equal(hu_mount(&h), c->expect);
	assert_int_equal(h.vi.label_len, 0);
	assert_string_equal(h.vi.label, "");
	hu_unmount(&h);
	hu_close(&h);
}

/* A label of @p UTF-16 units ('A'): the attribute grown to hold it. */
static void m_label_units(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, OD_AT_VOLUME_NAME, "");
	uint32_t voff = ld16(b + a + OD_AH_VALUE_OFF), n = (uint32_t)p;
	uint8_t *v;
	(void)h;
	hu_attr_resize(b, len, a, (voff + 2 * n + 7) & ~7u);
	hu_st(b + a + OD_AH_VALUE_LEN, 2 * n, 4);
	v = hu_attr_value(b, a);
	for (uint32_t i = 0; i < n; i++)
		hu_st(v + 2 * i, 'A', 2);
}

/* .param units are the most $VOLUME_NAME holds ($AttrDef: 256 bytes); one
 * more is refused. */
static void h22_label_longer_than_128_units(const struct hu_case *c)
{
	struct hu h;

	hu_case_prepare(c, &h);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	assert_int_equal(h.vi.label_len, c->param);
	assert_int_equal(h.vi.label[c->param - 1], 'A');
	hu_unmount(&h);
	hu_case_mutate(c, &h, c->mutate, c->param + 1);
	hu_expect(&h, c->op, NULL, c->expect);
	hu_close(&h);
}

/* ---- 27. path depth -------------------------------------------------------------- */

/* Path components are counted: NTFS_MAX_PATH_DEPTH of them resolve, one
 * more is refused (no recursion, no endless walk). */
static void h27_path_depth_limit(const struct hu_case *c)
{
	size_t n = 2 * (NTFS_MAX_PATH_DEPTH + 1) + 16;
	char *path = malloc(n);
	struct hu h;

	assert_non_null(path);
	hu_open(&h, c->image);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	path[0] = '\0';
	for (int i = 0; i < NTFS_MAX_PATH_DEPTH - 1; i++)
		strcat(path, "/.");
	strcat(path, c->target);
	assert_int_equal(hu_op_read(h.vol, path), NTFS_OK);
	memmove(path + 2, path, strlen(path) + 1);
	memcpy(path, "/.", 2);
	assert_int_equal(c->op(h.vol, path), c->expect);
	hu_unmount(&h);
	hu_close(&h);
	free(path);
}

/* ---- 29. too-small buffers -------------------------------------------------------- */

static void h29_small_buffer_limit(const struct hu_case *c)
{
	static const uint16_t name[] = {'r', 0x00E9, 0x4E2D, 0xD83D, 0xDE00, 'z'};
	char buf[32];
	size_t out;

	/* 1 + 2 + 3 + 4 + 1 bytes, plus the NUL: 12. */
	for (size_t size = 0; size < 12; size++) {
		memset(buf, 0x5A, sizeof buf);
		assert_int_equal(ntfs_utf16_to_utf8(name, 6, buf, size, &out), c->expect);
		for (size_t i = size; i < sizeof buf; i++)
			assert_int_equal((unsigned char)buf[i], 0x5A);
	}
	assert_int_equal(ntfs_utf16_to_utf8(name, 6, buf, 12, &out), NTFS_OK);
	assert_int_equal(out, 11);
	/* NTFS_NAME_MAX_UTF8 always suffices (the documented "size needed"). */
	assert_true(NTFS_NAME_MAX_UTF8 >= 3 * NTFS_NAME_MAX_UTF16 + 1);
}

static const struct hu_case cases[] = {
        /* 21. UTF-16 names */
        HU_ROW(.name = "h21_lone_surrogate_in_dir_entry", .cls = 21,
               .run = h21_lone_surrogate_in_dir_entry, .image = C512, .kind = HU_INDX,
               .target = UNI, .mutate = m_lone_surrogate, .op = hu_op_list, .expect = NTFS_ERR_NAME,
               .what = "low surrogate of \"😀smile.txt\" -> 'x': that entry alone fails (name \"\", "
                       "record 87), the 7 others list, then the end"),
        HU_ROW(.name = "h21_lone_surrogate_in_stream_name", .cls = 21, .image = C512,
               .kind = HU_RECORD, .target = NOTE, .mutate = m_note_name_unit, .param = P(0, 0xD800),
               .op = hu_op_streams, .expect = NTFS_ERR_NAME,
               .what = "stream name \"note\" -> U+D800 \"ote\""),
        HU_ROW(.name = "h21_zero_length_name_in_index", .cls = 21, .image = C512, .kind = HU_INDX,
               .target = UNI, .mutate = m_indx_entry,
               .param = P(ENTRY(0, OD_IE_KEY + OD_FN_NAME_LEN), 0), .op = hu_op_list,
               .expect = NTFS_ERR_CORRUPT_INDEX, .what = "entry 0's name length 0"),
        HU_ROW(.name = "h21_name_length_past_index_key", .cls = 21, .image = C512, .kind = HU_INDX,
               .target = UNI, .mutate = m_name_len_past_key, .param = 3, .op = hu_op_list,
               .expect = NTFS_ERR_CORRUPT_INDEX,
               .what = "entry 3's name length 1 unit past its key"),
        HU_ROW(.name = "h21_nul_in_dir_entry_name", .cls = 21, .image = C512, .kind = HU_INDX,
               .target = UNI, .mutate = m_smile_unit, .param = 0, .op = hu_op_list,
               .expect = NTFS_ERR_NAME, .what = "the 's' of \"😀smile.txt\" -> U+0000"),
        HU_ROW(.name = "h21_slash_in_dir_entry_name", .cls = 21, .image = C512, .kind = HU_INDX,
               .target = UNI, .mutate = m_smile_unit, .param = '/', .op = hu_op_list,
               .expect = NTFS_ERR_NAME, .what = "the 's' of \"😀smile.txt\" -> '/'"),
        HU_ROW(.name = "h21_dir_entry_named_dot", .cls = 21, .image = C512, .kind = HU_INDX,
               .target = UNI, .mutate = m_first_name_dots, .param = 1, .op = hu_op_list,
               .expect = NTFS_ERR_NAME, .what = "entry 0 renamed \".\""),
        HU_ROW(.name = "h21_dir_entry_named_dotdot", .cls = 21, .image = C512, .kind = HU_INDX,
               .target = UNI, .mutate = m_first_name_dots, .param = 2, .op = hu_op_list,
               .expect = NTFS_ERR_NAME, .what = "entry 0 renamed \"..\""),
        HU_ROW(.name = "h21_utf16_to_utf8_bounded", .cls = 21, .run = h21_utf16_to_utf8_bounded,
               .expect = NTFS_ERR_LIMIT,
               .what = "nothing: a 255-unit name into every buffer size 0..505, nothing written "
                       "past "
                       "the buffer; lone surrogates `NAME`"),

        /* 22. volume label */
        HU_ROW(.name = "h22_label_length_past_attribute", .cls = 22, .image = C512,
               .kind = HU_RECORD, .target = "#3", .mutate = m_label, .param = 0, .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_ATTR,
               .what = "`$VOLUME_NAME` value length past the attribute"),
        HU_ROW(.name = "h22_label_offset_past_attribute", .cls = 22, .image = C512,
               .kind = HU_RECORD, .target = "#3", .mutate = m_label, .param = 1, .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_ATTR,
               .what = "`$VOLUME_NAME` value offset past the attribute"),
        HU_ROW(.name = "h22_label_odd_length", .cls = 22, .image = C512, .kind = HU_RECORD,
               .target = "#3", .mutate = m_label, .param = 2, .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_ATTR, .what = "`$VOLUME_NAME` length - 1 (odd)"),
        HU_ROW(.name = "h22_label_lone_surrogate", .cls = 22, .run = h22_label_reads_empty,
               .image = C512, .kind = HU_RECORD, .target = "#3", .mutate = m_label, .param = 3,
               .op = hu_op_mount, .expect = NTFS_OK,
               .what = "first unit U+DC00: NTFS takes any units, the label reads as \"\""),
        HU_ROW(.name = "h22_label_empty", .cls = 22, .run = h22_label_reads_empty, .image = C512,
               .kind = HU_RECORD, .target = "#3", .mutate = m_label, .param = 4, .op = hu_op_mount,
               .expect = NTFS_OK, .what = "length 0: the label reads as \"\""),
        HU_ROW(.name = "h22_label_longer_than_128_units", .cls = 22,
               .run = h22_label_longer_than_128_units, .image = C512, .kind = HU_RECORD,
               .target = "#3", .mutate = m_label_units, .param = 128, .op = hu_op_mount,
               .expect = NTFS_ERR_CORRUPT_ATTR,
               .what = "128 units (`OK`, the most `$AttrDef` allows), then 129"),

        /* 27. path depth */
        HU_ROW(.name = "h27_path_depth_limit", .cls = 27, .run = h27_path_depth_limit,
               .image = C512, .target = SMALL, .op = hu_op_open, .expect = NTFS_ERR_LIMIT,
               .what = "nothing: `NTFS_MAX_PATH_DEPTH` (1,024) path components (`OK`), then 1,025"),

        /* 29. too-small buffers */
        HU_ROW(.name = "h29_small_buffer_limit", .cls = 29, .run = h29_small_buffer_limit,
               .expect = NTFS_ERR_LIMIT,
               .what = "nothing: an 11-byte name into buffers of 0..11 bytes, nothing written past "
                       "the buffer"),
};

int main(void)
{
	return hu_main("hardening_names", cases, sizeof cases / sizeof cases[0]);
}
