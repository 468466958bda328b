/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hardening tests, classes 10-12 of docs HARDENING.md and the attribute
 * list's part of class 26: $ATTRIBUTE_LIST entries, the $MFT's own $DATA
 * described by a list, extension records, the list's declared size. One
 * row per test; see support/hardening_cases.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "hardening_cases.h"

#define ld16(p) ((uint32_t)hu_ld((p), 2))
#define ld32(p) ((uint32_t)hu_ld((p), 4))
#define ld64(p) hu_ld((p), 8)

/* ---- 10-11. list entries ---------------------------------------------------- */

/* Offset of list entry @k (k < 0: the last one). */
static uint32_t alist_entry(const struct hu *h, const uint8_t *b, int k)
{
	uint32_t off = 0, last = 0;
	int i = 0;

	while (off < h->stream_size) {
		if (i == k)
			return off;
		last = off;
		assert_true(ld16(b + off + OD_AL_LENGTH) >= 26);
		off += ld16(b + off + OD_AL_LENGTH);
		i++;
	}
	assert_true(k < 0 && off == h->stream_size);
	return last;
}

/* P(entry index, 0xFFFF: the last; new length, or ADD(n)). */
static void m_alist_len(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t e = alist_entry(h, b, P_OFF(p) == 0xFFFF ? -1 : (int)P_OFF(p));
	uint32_t v = P_VAL(p);
	(void)len;
	if (v >= 0xFFFF0000u)
		v = ld16(b + e + OD_AL_LENGTH) + (v & 0xFFFF) - 0x8000;
	hu_st(b + e + OD_AL_LENGTH, v, 2);
}

/* Entry 0: P(name length, name offset). */
static void m_alist_name(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t e = alist_entry(h, b, 0);
	(void)len;
	b[e + OD_AL_NAME_LEN] = (uint8_t)P_OFF(p);
	b[e + OD_AL_NAME_OFF] = (uint8_t)P_VAL(p);
}

/* Record: the $ATTRIBUTE_LIST attribute itself named, its first
 * mapping-pairs byte as the one name unit. */
static void m_alist_attr_named(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, OD_AT_ATTRIBUTE_LIST, NULL), mp = ld16(b + a + OD_AH_MP_OFF);
	(void)h;
	(void)len;
	(void)p;
	assert_int_equal(b[a + OD_AH_NONRESIDENT], 1);
	assert_true(ld16(b + a + mp) != 0);
	b[a + OD_AH_NAME_LEN] = 1;
	hu_st(b + a + OD_AH_NAME_OFF, mp, 2);
}

/* The entry of the $DATA extent that does not start at VCN 0. */
static uint32_t alist_ext_data(const struct hu *h, const uint8_t *b)
{
	for (uint32_t off = 0; off < h->stream_size; off += ld16(b + off + OD_AL_LENGTH))
		if (ld32(b + off + OD_AL_TYPE) == OD_AT_DATA && b[off + OD_AL_NAME_LEN] == 0 &&
		    ld64(b + off + OD_AL_LOWEST_VCN) != 0)
			return off;
	fail_msg("no $DATA extension entry in the attribute list");
	return 0;
}

/* That entry: 0 length 0; 1 a VCN that matches no attribute (a gap); 2 a
 * record only the second extent maps. */
static void m_mft_ext_entry(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t e = alist_ext_data(h, b);
	(void)len;
	switch (p) {
	case 0:
		hu_st(b + e + OD_AL_LENGTH, 0, 2);
		break;
	case 1:
		hu_st(b + e + OD_AL_LOWEST_VCN, ld64(b + e + OD_AL_LOWEST_VCN) + 1, 8);
		break;
	case 2:
		hu_st(b + e + OD_AL_REF, h->vi.mft_records - 1, 8);
		break;
	default:
		fail();
	}
}

/* $DATA of record 0 comes in two extents, the second in an extension; files
 * whose records only the second extent maps open and stat. */
static void h11_mft_data_in_attribute_list(const struct hu_case *c)
{
	struct hu h;
	struct ntfs_attr_info *ai = malloc(sizeof *ai);
	struct ntfs_dirent *ent = malloc(sizeof *ent);
	uint64_t ext, first_ext_vcn = 0, opened = 0;
	uint32_t cursor = 0, data_extents = 0;
	ntfs_file *f, *many;
	ntfs_dir *d;
	int r;

	assert_non_null(ai);
	assert_non_null(ent);
	hu_open(&h, c->image);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	ext = hu_alist_data_ref(&h, c->target, c->extent);
	assert_int_equal(hu_open_spec(h.vol, c->target, &f), NTFS_OK);
	while ((r = ntfs_attr_next(f, &cursor, ai)) == 1) {
		if (ai->type != OD_AT_DATA || ai->name_len != 0)
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
	assert_int_equal(ntfs_path_open(h.vol, "/many", &many), NTFS_OK);
	assert_int_equal(ntfs_dir_open(many, 0, &d), NTFS_OK);
	while ((r = ntfs_dir_next(d, ent)) == 1) {
		uint64_t rec = NTFS_REF_RECORD(ent->ref);
		if (rec * h.vi.record_size / h.vi.cluster_size >= first_ext_vcn) {
			char spec[32];
			snprintf(spec, sizeof spec, "#%llu", (unsigned long long)rec);
			assert_int_equal(c->op(h.vol, spec), c->expect);
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

/* ---- 12. extension records -------------------------------------------------- */

/* Extension record: base reference @p, or (-1) its own reference. */
static void m_base_ref(struct hu *h, uint8_t *b, size_t len, long long p)
{
	(void)len;
	hu_st(b + OD_REC_BASE_REF, p == -1 ? h->ext_ref : (uint64_t)p, 8);
}

static void m_ext_attr_vcn(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, OD_AT_DATA, "");
	(void)h;
	(void)len;
	(void)p;
	hu_st(b + a + OD_AH_LOWEST_VCN, ld64(b + a + OD_AH_LOWEST_VCN) + 1, 8);
}

/* An extension record is not a file (nothing is changed: the valid file
 * opens, its extension does not). */
static void h12_extension_opened_as_file(const struct hu_case *c)
{
	char spec[32];
	struct hu h;

	hu_open(&h, c->image);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	snprintf(spec, sizeof spec, "#%llu",
	         (unsigned long long)NTFS_REF_RECORD(hu_alist_data_ref(&h, c->target, c->extent)));
	hu_unmount(&h);
	hu_expect(&h, c->op, c->target, NTFS_OK);
	hu_expect(&h, c->op, spec, c->expect);
	hu_close(&h);
}

/* List entry of the @k-th unnamed $DATA extent. */
static uint32_t alist_data_entry(const struct hu *h, const uint8_t *b, int k)
{
	int i = 0;

	for (uint32_t off = 0; off < h->stream_size; off += ld16(b + off + OD_AL_LENGTH))
		if (ld32(b + off + OD_AL_TYPE) == OD_AT_DATA && b[off + OD_AL_NAME_LEN] == 0 &&
		    i++ == k)
			return off;
	fail_msg("no $DATA entry %d", k);
	return 0;
}

/* The reference of extent 2's entry: 0 the base record itself; 1 sequence
 * number + 1; 2 past the end of the $MFT; 3 another file's base record (64,
 * hello.txt). */
static void m_alist_data_ref(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t e = alist_data_entry(h, b, 2);
	uint64_t ref = ld64(b + e + OD_AL_REF);
	(void)len;
	switch (p) {
	case 0:
		ref = h->base | (ref & 0xFFFF000000000000ull);
		break;
	case 1:
		ref += 1ull << 48;
		break;
	case 2:
		ref = 0x0000FFFFFFFFFFFFull;
		break;
	case 3:
		ref = 64;
		break;
	default:
		fail();
	}
	hu_st(b + e + OD_AL_REF, ref, 8);
}

static void m_alist_data_vcn_repeat(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t e1 = alist_data_entry(h, b, 1), e2 = alist_data_entry(h, b, 2);
	(void)len;
	(void)p;
	hu_st(b + e2 + OD_AL_LOWEST_VCN, ld64(b + e1 + OD_AL_LOWEST_VCN), 8);
}

/* Record: the non-resident $ATTRIBUTE_LIST's three sizes set to @p. */
static void m_alist_sizes(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, OD_AT_ATTRIBUTE_LIST, "");
	(void)h;
	(void)len;
	assert_int_equal(b[a + OD_AH_NONRESIDENT], 1);
	hu_st(b + a + OD_AH_ALLOC, (uint64_t)p, 8);
	hu_st(b + a + OD_AH_DATA, (uint64_t)p, 8);
	hu_st(b + a + OD_AH_INIT, (uint64_t)p, 8);
}

static const struct hu_case cases[] = {
        /* 10. attribute list entries */
        HU_ROW(.name = "h10_alist_entry_length_zero", .cls = 10, .image = FRAG, .kind = HU_ALIST,
               .target = FRAGF, .mutate = m_alist_len, .param = P(0, 0), .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_ATTRLIST, .what = "entry 0: length 0"),
        HU_ROW(.name = "h10_alist_entry_shorter_than_header", .cls = 10, .image = FRAG,
               .kind = HU_ALIST, .target = FRAGF, .mutate = m_alist_len, .param = P(0, 24),
               .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_ATTRLIST, .what = "entry 0: length 24"),
        HU_ROW(.name = "h10_alist_entry_length_unaligned", .cls = 10, .image = FRAG,
               .kind = HU_ALIST, .target = FRAGF, .mutate = m_alist_len, .param = P(0, ADD(4)),
               .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_ATTRLIST,
               .what = "entry 0: length + 4"),
        HU_ROW(.name = "h10_alist_entry_past_list_end", .cls = 10, .image = FRAG, .kind = HU_ALIST,
               .target = FRAGF, .mutate = m_alist_len, .param = P(0xFFFF, ADD(8)), .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_ATTRLIST, .what = "last entry: length + 8"),
        HU_ROW(.name = "h10_alist_name_past_entry", .cls = 10, .image = FRAG, .kind = HU_ALIST,
               .target = FRAGF, .mutate = m_alist_name, .param = P(10, 26), .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_ATTRLIST, .what = "entry 0: name length 10 at offset 26"),
        HU_ROW(.name = "h10_alist_name_in_entry_header", .cls = 10, .image = FRAG, .kind = HU_ALIST,
               .target = FRAGF, .mutate = m_alist_name, .param = P(1, 8), .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_ATTRLIST, .what = "entry 0: name at offset 8"),
        HU_ROW(.name = "h10_alist_attribute_named", .cls = 10, .image = FRAG, .kind = HU_RECORD,
               .target = FRAGF, .mutate = m_alist_attr_named, .op = hu_op_open,
               .expect = NTFS_ERR_CORRUPT_ATTRLIST,
               .what = "the `$ATTRIBUTE_LIST` attribute given a 1-unit name (the list is the "
                       "unnamed one)"),

        /* 11. the $MFT's $DATA described by its attribute list */
        HU_ROW(.name = "h11_mft_data_in_attribute_list", .cls = 11,
               .run = h11_mft_data_in_attribute_list, .image = MFTLIST, .kind = HU_EXTENSION,
               .target = "#0", .extent = 1, .op = hu_op_stat, .expect = NTFS_OK,
               .what = "nothing (valid): the `$MFT`'s `$DATA` in records 0 and 15; every `/many` "
                       "file "
                       "in a record that only extent 2 maps is opened and stat'ed"),
        HU_ROW(.name = "h11_mft_alist_entry_past_list_end", .cls = 11, .image = MFTLIST,
               .kind = HU_ALIST, .target = "#0", .mutate = m_alist_len, .param = P(0xFFFF, ADD(8)),
               .op = hu_op_mount, .expect = NTFS_ERR_CORRUPT_ATTRLIST,
               .what = "last entry's length + 8 (GRUB CVE-2023-4692)"),
        HU_ROW(.name = "h11_mft_alist_data_entry_length_zero", .cls = 11, .image = MFTLIST,
               .kind = HU_ALIST, .target = "#0", .mutate = m_mft_ext_entry, .param = 0,
               .op = hu_op_mount, .expect = NTFS_ERR_CORRUPT_ATTRLIST,
               .what = "the `$DATA` extension entry's length 0"),
        HU_ROW(.name = "h11_mft_alist_data_entry_vcn_gap", .cls = 11, .image = MFTLIST,
               .kind = HU_ALIST, .target = "#0", .mutate = m_mft_ext_entry, .param = 1,
               .op = hu_op_mount, .expect = NTFS_ERR_CORRUPT_ATTRLIST,
               .what = "the `$DATA` extension entry's lowest VCN + 1"),
        HU_ROW(.name = "h11_mft_extension_unreachable", .cls = 11, .image = MFTLIST,
               .kind = HU_ALIST, .target = "#0", .mutate = m_mft_ext_entry, .param = 2,
               .op = hu_op_mount, .expect = NTFS_ERR_CORRUPT_MFT,
               .what = "the `$DATA` extension entry points at a record that only extent 2 itself "
                       "maps"),
        HU_ROW(.name = "h11_mft_extension_base_mismatch", .cls = 11, .image = MFTLIST,
               .kind = HU_EXTENSION, .target = "#0", .extent = 1, .mutate = m_base_ref,
               .param = 1ll << 48 | 5, .op = hu_op_mount, .expect = NTFS_ERR_CORRUPT_ATTRLIST,
               .what = "base reference -> record 5"),

        /* 12. extension records */
        HU_ROW(.name = "h12_extension_not_in_use", .cls = 12, .image = FRAG, .kind = HU_EXTENSION,
               .target = FRAGF, .extent = 2, .mutate = m_clear_in_use, .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_ATTRLIST, .what = "not in use"),
        HU_ROW(.name = "h12_extension_base_ref_mismatch", .cls = 12, .image = FRAG,
               .kind = HU_EXTENSION, .target = FRAGF, .extent = 2, .mutate = m_base_ref,
               .param = 1ll << 48 | 64, .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_ATTRLIST,
               .what = "base reference -> record 64 (`hello.txt`), sequence 1"),
        HU_ROW(.name = "h12_extension_base_ref_self", .cls = 12, .image = FRAG,
               .kind = HU_EXTENSION, .target = FRAGF, .extent = 2, .mutate = m_base_ref,
               .param = -1, .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_ATTRLIST,
               .what = "base reference -> itself"),
        HU_ROW(.name = "h12_extension_base_ref_zero", .cls = 12, .image = FRAG,
               .kind = HU_EXTENSION, .target = FRAGF, .extent = 2, .mutate = m_base_ref, .param = 0,
               .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_ATTRLIST,
               .what = "base reference 0: an extension that claims to be a base record"),
        HU_ROW(.name = "h12_extension_attr_vcn_mismatch", .cls = 12, .image = FRAG,
               .kind = HU_EXTENSION, .target = FRAGF, .extent = 2, .mutate = m_ext_attr_vcn,
               .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_ATTRLIST,
               .what = "its `$DATA` lowest VCN + 1 (disagrees with the list)"),
        HU_ROW(.name = "h12_extension_opened_as_file", .cls = 12,
               .run = h12_extension_opened_as_file, .image = FRAG, .kind = HU_EXTENSION,
               .target = FRAGF, .extent = 2, .op = hu_op_open, .expect = NTFS_ERR_STALE,
               .what = "nothing: the file opens `OK`, its extension record opened by number does "
                       "not"),
        HU_ROW(.name = "h12_alist_entry_points_at_base", .cls = 12, .image = FRAG, .kind = HU_ALIST,
               .target = FRAGF, .mutate = m_alist_data_ref, .param = 0, .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_ATTRLIST, .what = "entry of extent 2 -> the base record"),
        HU_ROW(.name = "h12_alist_entry_sequence_mismatch", .cls = 12, .image = FRAG,
               .kind = HU_ALIST, .target = FRAGF, .mutate = m_alist_data_ref, .param = 1,
               .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_ATTRLIST,
               .what = "entry of extent 2: sequence number + 1"),
        HU_ROW(.name = "h12_alist_entry_past_mft_end", .cls = 12, .image = FRAG, .kind = HU_ALIST,
               .target = FRAGF, .mutate = m_alist_data_ref, .param = 2, .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_ATTRLIST, .what = "entry of extent 2 -> record 2^48 - 1"),
        HU_ROW(.name = "h12_alist_entry_other_file_record", .cls = 12, .image = FRAG,
               .kind = HU_ALIST, .target = FRAGF, .mutate = m_alist_data_ref, .param = 3,
               .op = hu_op_read, .expect = NTFS_ERR_CORRUPT_ATTRLIST,
               .what = "entry of extent 2 -> record 64 (`hello.txt`)"),
        HU_ROW(.name = "h12_alist_extent_vcn_repeated", .cls = 12, .image = FRAG, .kind = HU_ALIST,
               .target = FRAGF, .mutate = m_alist_data_vcn_repeat, .op = hu_op_read,
               .expect = NTFS_ERR_CORRUPT_ATTRLIST,
               .what = "extent 2's lowest VCN = extent 1's (cycle/overlap)"),
        HU_ROW(.name = "h12_alist_declared_size_huge", .cls = 12, .image = FRAG, .kind = HU_RECORD,
               .target = FRAGF, .mutate = m_alist_sizes, .param = 1ll << 30, .op = hu_op_open,
               .expect = NTFS_ERR_LIMIT, .what = "non-resident list sizes 1 GiB"),

        /* 26. allocations sized by the disk */
        HU_ROW(.name = "h26_attrlist_size_huge", .cls = 26, .image = FRAG, .kind = HU_RECORD,
               .target = FRAGF, .mutate = m_alist_sizes, .param = 1ll << 40, .op = hu_op_open,
               .expect = NTFS_ERR_LIMIT, .what = "non-resident list sizes 1 TiB"),
        HU_ROW(.name = "h26_attrlist_size_just_over_cap", .cls = 26, .image = FRAG,
               .kind = HU_RECORD, .target = FRAGF, .mutate = m_alist_sizes,
               .param = NTFS_MAX_ATTRLIST_SIZE + 8, .op = hu_op_open, .expect = NTFS_ERR_LIMIT,
               .what = "non-resident list sizes `NTFS_MAX_ATTRLIST_SIZE` + 8"),
};

int main(void)
{
	return hu_main("hardening_attrlist", cases, sizeof cases / sizeof cases[0]);
}
