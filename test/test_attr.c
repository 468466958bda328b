/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Attribute headers (attr.c). Common header: type @0, length @4,
 * non-resident @8, name length @9, name offset @10, flags @12, id @14.
 * Resident: value length @16, value offset @20. Non-resident: lowest VCN
 * @16, highest VCN @24, mapping pairs offset @32, compression unit @34,
 * allocated @40, data @48, initialized @56 (compressed size @64).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "core.h"
#include "ondisk.h"

static uint8_t rec[1024];

static const uint16_t name_s[] = {'S', 't', 'r', 'm'};
static const uint8_t mp10[] = {0x11, 0x0A, 0x20, 0x00}; /* 10 clusters at LCN 0x20 */

static uint32_t used(void)
{
	return fx_ld32(rec + OD_REC_BYTES_IN_USE);
}

static struct fx_nonres nonres(void)
{
	struct fx_nonres nr = {
	        .type = NTFS_AT_DATA,
	        .name = name_s,
	        .name_len = 4,
	        .lowest_vcn = 0,
	        .highest_vcn = 9,
	        .alloc = 40960,
	        .data = 40000,
	        .init = 30000,
	        .mp = mp10,
	        .mp_len = sizeof mp10,
	};
	return nr;
}

/* A record with one resident attribute (returned offset) and a named
 * non-resident one after it (*nr_off). */
static uint32_t build(uint32_t *nr_off)
{
	static const uint8_t si[48] = {1, 2, 3, 4, 5, 6, 7, 8};
	struct fx_nonres nr = nonres();
	uint32_t off;

	fx_record(rec, sizeof rec);
	off = fx_add_resident(rec, NTFS_AT_STANDARD_INFORMATION, NULL, 0, si, sizeof si);
	*nr_off = fx_add_nonresident(rec, &nr);
	return off;
}

/* Parse the attribute at @off as the iterator would. */
static int parse_at(uint32_t off)
{
	struct ntfsi_attr a;
	return ntfsi_attr_parse(rec, used(), off, &a);
}

/* Walk the whole record; the first error, or 0. */
static int walk(void)
{
	struct ntfsi_attr a;
	uint32_t off = 0;
	int err;
	unsigned n = 0;
	while ((err = ntfsi_attr_next(rec, &off, &a)) == 1)
		assert_true(++n < 100);
	return err;
}

static void valid_walk(void **state)
{
	struct ntfsi_attr a;
	uint32_t nr_off, res_off = build(&nr_off), off = 0;
	uint8_t *h;
	(void)state;

	fx_protect(rec, sizeof rec);
	assert_int_equal(ntfsi_record_check(rec, sizeof rec), NTFS_OK);

	/* Resident: 24-byte header, value at 24, 48 bytes: length 72. */
	assert_int_equal(ntfsi_attr_next(rec, &off, &a), 1);
	assert_int_equal(res_off, fx_rec_first_attr(sizeof rec));
	assert_int_equal(off, res_off + 72);
	assert_int_equal(a.type, NTFS_AT_STANDARD_INFORMATION);
	assert_int_equal(a.length, 72);
	assert_true(a.resident);
	assert_int_equal(a.id, 0);
	assert_int_equal(a.flags, 0);
	assert_int_equal(a.name_len, 0);
	assert_int_equal(a.value_len, 48);
	assert_ptr_equal(a.value, rec + res_off + 24);
	assert_int_equal(a.value[0], 1);
	assert_int_equal(a.value[7], 8);

	/* Non-resident: 64-byte header, 8-byte name, mapping pairs at 72. */
	assert_int_equal(ntfsi_attr_next(rec, &off, &a), 1);
	h = rec + nr_off;
	assert_int_equal(nr_off, res_off + 72);
	assert_int_equal(a.type, NTFS_AT_DATA);
	assert_false(a.resident);
	assert_int_equal(a.id, 1);
	assert_int_equal(a.name_len, 4);
	assert_ptr_equal(a.name, h + 64);
	assert_true(ntfsi_name_equal_le(a.name, a.name_len, name_s, 4));
	assert_true(a.lowest_vcn == 0);
	assert_true(a.highest_vcn == 9);
	assert_true(a.alloc_size == 40960);
	assert_true(a.data_size == 40000);
	assert_true(a.init_size == 30000);
	assert_int_equal(a.compression_unit, 0);
	assert_ptr_equal(a.mapping, h + 72);
	assert_int_equal(a.mapping_len, a.length - 72);
	assert_memory_equal(a.mapping, mp10, sizeof mp10);
	assert_int_equal(off, nr_off + a.length);

	/* End marker. */
	assert_int_equal(ntfsi_attr_next(rec, &off, &a), 0);
	assert_int_equal(fx_ld32(rec + off), 0xFFFFFFFFu);
}

static void named_resident(void **state)
{
	static const uint16_t i30[] = {'$', 'I', '3', '0'};
	struct ntfsi_attr a;
	uint32_t off = 0, at;
	(void)state;

	fx_record(rec, sizeof rec);
	at = fx_add_resident(rec, NTFS_AT_INDEX_ROOT, i30, 4, "abcdefghij", 10);
	assert_int_equal(ntfsi_attr_next(rec, &off, &a), 1);
	assert_int_equal(a.type, NTFS_AT_INDEX_ROOT);
	assert_int_equal(a.name_len, 4);
	assert_ptr_equal(a.name, rec + at + 24);
	assert_true(ntfsi_name_equal_le(a.name, 4, i30, 4));
	assert_int_equal(a.value_len, 10);
	assert_ptr_equal(a.value, rec + at + 32);
	assert_memory_equal(a.value, "abcdefghij", 10);
	assert_int_equal(a.length, 48);
	assert_int_equal(ntfsi_attr_next(rec, &off, &a), 0);
}

static void compressed_and_empty(void **state)
{
	struct fx_nonres nr = nonres();
	struct ntfsi_attr a;
	uint32_t off = 0;
	(void)state;

	fx_record(rec, sizeof rec);
	nr.flags = NTFS_ATTR_FLAG_COMPRESSED;
	nr.compression_unit = 4;
	nr.highest_vcn = 15;
	nr.alloc = 65536;
	fx_add_nonresident(rec, &nr);
	/* An empty non-resident attribute: highest VCN -1, sizes 0. */
	nr = nonres();
	nr.name_len = 0;
	nr.highest_vcn = UINT64_MAX;
	nr.alloc = nr.data = nr.init = 0;
	nr.mp = (const uint8_t *)"\0";
	nr.mp_len = 1;
	fx_add_nonresident(rec, &nr);

	assert_int_equal(ntfsi_attr_next(rec, &off, &a), 1);
	assert_int_equal(a.flags, NTFS_ATTR_FLAG_COMPRESSED);
	assert_int_equal(a.compression_unit, 4);
	assert_ptr_equal(a.mapping, rec + fx_rec_first_attr(sizeof rec) + 72 + 8);
	assert_int_equal(ntfsi_attr_next(rec, &off, &a), 1);
	assert_true(a.highest_vcn == UINT64_MAX);
	assert_true(a.data_size == 0);
	assert_int_equal(ntfsi_attr_next(rec, &off, &a), 0);
}

/* CORE BUG (see report): Windows writes sparse, uncompressed attributes
 * with compression unit 4 (record 43 of compressed_sparse.mft has one), and
 * ntfs-3g accepts them; attr.c requires the compressed flag. */
static void sparse_with_compression_unit(void **state)
{
	struct fx_nonres nr = nonres();
	struct ntfsi_attr a;
	uint32_t off = 0;
	(void)state;

	fx_record(rec, sizeof rec);
	nr.flags = NTFS_ATTR_FLAG_SPARSE;
	nr.compression_unit = 4;
	nr.highest_vcn = 15;
	nr.alloc = 65536;
	fx_add_nonresident(rec, &nr);
	assert_int_equal(ntfsi_attr_next(rec, &off, &a), 1);
	assert_int_equal(a.compression_unit, 4);
}

static void bad_length(void **state)
{
	static const uint32_t bad[] = {0, 4, 8, 12, 15, 73, 76, 0xFFFFFFF8u, 0x80000000u};
	uint32_t nr_off, off;
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		off = build(&nr_off);
		fx_st32(rec + off + 4, bad[i]);
		assert_int_equal(parse_at(off), NTFS_ERR_CORRUPT_ATTR);
		assert_int_equal(walk(), NTFS_ERR_CORRUPT_ATTR);
	}
	/* Running past bytes in use by 8. */
	off = build(&nr_off);
	fx_st32(rec + nr_off + 4, used() - nr_off + 8);
	assert_int_equal(walk(), NTFS_ERR_CORRUPT_ATTR);
	/* Exactly to bytes in use: fine as an attribute, but then the end
	 * marker is missing. */
	off = build(&nr_off);
	fx_st32(rec + nr_off + 4, used() - nr_off);
	assert_int_equal(parse_at(nr_off), NTFS_OK);
	assert_int_equal(walk(), NTFS_ERR_CORRUPT_ATTR);
}

static void missing_end_marker(void **state)
{
	uint32_t nr_off;
	(void)state;

	/* bytes in use stops where the marker would be. */
	build(&nr_off);
	fx_st32(rec + OD_REC_BYTES_IN_USE, used() - 8);
	assert_int_equal(walk(), NTFS_ERR_CORRUPT_ATTR);
	/* Marker replaced by a zero header. */
	build(&nr_off);
	fx_st32(rec + used() - 8, 0);
	assert_int_equal(walk(), NTFS_ERR_CORRUPT_ATTR);
	/* Only 2 bytes in use where the marker would be. */
	build(&nr_off);
	fx_st32(rec + OD_REC_BYTES_IN_USE, used() - 6);
	assert_int_equal(walk(), NTFS_ERR_CORRUPT_ATTR);
	/* Iterating from an offset past the used area. */
	{
		struct ntfsi_attr a;
		uint32_t off = 1020;
		build(&nr_off);
		assert_int_equal(ntfsi_attr_next(rec, &off, &a), NTFS_ERR_CORRUPT_ATTR);
	}
}

static void resident_value_outside(void **state)
{
	uint32_t nr_off, off;
	(void)state;

	/* value offset 24 + length 49 > attribute length 72. */
	off = build(&nr_off);
	fx_st32(rec + off + 16, 49);
	assert_int_equal(parse_at(off), NTFS_ERR_CORRUPT_ATTR);
	off = build(&nr_off);
	fx_st32(rec + off + 16, 0xFFFFFFFFu);
	assert_int_equal(parse_at(off), NTFS_ERR_CORRUPT_ATTR);
	off = build(&nr_off);
	fx_st16(rec + off + 20, 32); /* 32 + 48 > 72 */
	assert_int_equal(parse_at(off), NTFS_ERR_CORRUPT_ATTR);
	off = build(&nr_off);
	fx_st16(rec + off + 20, 0xFFFF);
	assert_int_equal(parse_at(off), NTFS_ERR_CORRUPT_ATTR);
	/* Boundaries that fit: the value ends exactly at the attribute end. */
	off = build(&nr_off);
	fx_st16(rec + off + 20, 24);
	fx_st32(rec + off + 16, 48);
	assert_int_equal(parse_at(off), NTFS_OK);
	/* A resident header shorter than 24 bytes. */
	fx_record(rec, sizeof rec);
	off = fx_add_resident(rec, NTFS_AT_DATA, NULL, 0, NULL, 0);
	fx_st32(rec + off + 4, 16);
	/* What follows reads as value length 0 at offset 0, which would fit. */
	fx_st32(rec + off + 16, 0);
	fx_st32(rec + off + 20, 0);
	fx_st32(rec + off + 24, 0xFFFFFFFFu);
	fx_st32(rec + OD_REC_BYTES_IN_USE, off + 32);
	assert_int_equal(parse_at(off), NTFS_ERR_CORRUPT_ATTR);
}

static void name_outside(void **state)
{
	uint32_t nr_off, off, len;
	(void)state;

	/* Resident: name of 1 unit at length - 1. */
	off = build(&nr_off);
	len = fx_ld32(rec + off + 4);
	rec[off + 9] = 1;
	fx_st16(rec + off + 10, (uint16_t)(len - 1));
	assert_int_equal(parse_at(off), NTFS_ERR_CORRUPT_ATTR);
	/* Exactly at the end: fits. */
	fx_st16(rec + off + 10, (uint16_t)(len - 2));
	rec[off + len - 2] = 'x';
	assert_int_equal(parse_at(off), NTFS_OK);
	/* 255 units from 24 in a 72-byte attribute. */
	off = build(&nr_off);
	rec[off + 9] = 255;
	assert_int_equal(parse_at(off), NTFS_ERR_CORRUPT_ATTR);
	off = build(&nr_off);
	rec[off + 9] = 1;
	fx_st16(rec + off + 10, 0xFFFF);
	assert_int_equal(parse_at(off), NTFS_ERR_CORRUPT_ATTR);
	/* Non-resident: 4-unit name moved to overlap the attribute end. */
	build(&nr_off);
	len = fx_ld32(rec + nr_off + 4);
	fx_st16(rec + nr_off + 10, (uint16_t)(len - 6));
	assert_int_equal(parse_at(nr_off), NTFS_ERR_CORRUPT_ATTR);
	build(&nr_off);
	rec[nr_off + 9] = 200;
	assert_int_equal(parse_at(nr_off), NTFS_ERR_CORRUPT_ATTR);
}

static void name_with_nul(void **state)
{
	static const uint16_t nul_mid[] = {'a', 0, 'b'};
	static const uint16_t nul_first[] = {0};
	struct fx_nonres nr = nonres();
	uint32_t off;
	(void)state;

	fx_record(rec, sizeof rec);
	off = fx_add_resident(rec, NTFS_AT_DATA, nul_mid, 3, "v", 1);
	assert_int_equal(parse_at(off), NTFS_ERR_CORRUPT_ATTR);
	fx_record(rec, sizeof rec);
	off = fx_add_resident(rec, NTFS_AT_DATA, nul_first, 1, "v", 1);
	assert_int_equal(parse_at(off), NTFS_ERR_CORRUPT_ATTR);
	fx_record(rec, sizeof rec);
	nr.name = nul_mid;
	nr.name_len = 3;
	off = fx_add_nonresident(rec, &nr);
	assert_int_equal(parse_at(off), NTFS_ERR_CORRUPT_ATTR);
	assert_int_equal(walk(), NTFS_ERR_CORRUPT_ATTR);
}

static void nonresident_flag(void **state)
{
	static const uint8_t bad[] = {2, 3, 0x80, 0xFF};
	uint32_t nr_off, off;
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		off = build(&nr_off);
		rec[off + 8] = bad[i];
		assert_int_equal(parse_at(off), NTFS_ERR_CORRUPT_ATTR);
		build(&nr_off);
		rec[nr_off + 8] = bad[i];
		assert_int_equal(parse_at(nr_off), NTFS_ERR_CORRUPT_ATTR);
	}
}

static void mapping_pairs_offset(void **state)
{
	uint32_t nr_off, len;
	(void)state;

	build(&nr_off);
	len = fx_ld32(rec + nr_off + 4);
	fx_st16(rec + nr_off + 32, (uint16_t)len);
	assert_int_equal(parse_at(nr_off), NTFS_ERR_CORRUPT_ATTR);
	fx_st16(rec + nr_off + 32, (uint16_t)(len + 8));
	assert_int_equal(parse_at(nr_off), NTFS_ERR_CORRUPT_ATTR);
	fx_st16(rec + nr_off + 32, 0xFFFF);
	assert_int_equal(parse_at(nr_off), NTFS_ERR_CORRUPT_ATTR);
	/* Inside the 64-byte header. */
	fx_st16(rec + nr_off + 32, 0);
	assert_int_equal(parse_at(nr_off), NTFS_ERR_CORRUPT_ATTR);
	fx_st16(rec + nr_off + 32, 32);
	assert_int_equal(parse_at(nr_off), NTFS_ERR_CORRUPT_ATTR);
	/* Last byte of the attribute: fits. */
	fx_st16(rec + nr_off + 32, (uint16_t)(len - 1));
	assert_int_equal(parse_at(nr_off), NTFS_OK);
	/* Non-resident header shorter than 64 bytes. */
	build(&nr_off);
	fx_st32(rec + nr_off + 4, 56);
	fx_st32(rec + nr_off + 56, 0xFFFFFFFFu);
	fx_st32(rec + OD_REC_BYTES_IN_USE, nr_off + 56 + 8);
	assert_int_equal(parse_at(nr_off), NTFS_ERR_CORRUPT_ATTR);
}

/* A 16-byte non-resident header at the very end of a heap buffer: no
 * field past the attribute may be read (AddressSanitizer builds). */
static void short_nonresident_at_end(void **state)
{
	uint8_t *r = malloc(1024);
	struct ntfsi_attr a;
	(void)state;

	assert_non_null(r);
	memset(r, 0, 1024);
	fx_st32(r + 1008, NTFS_AT_DATA);
	fx_st32(r + 1008 + 4, 16);
	r[1008 + 8] = 1;
	assert_int_equal(ntfsi_attr_parse(r, 1024, 1008, &a), NTFS_ERR_CORRUPT_ATTR);
	fx_st32(r + 1008 + 4, 8); /* shorter than the common header */
	assert_int_equal(ntfsi_attr_parse(r, 1024, 1008, &a), NTFS_ERR_CORRUPT_ATTR);
	r[1008 + 8] = 0; /* and resident */
	fx_st32(r + 1008 + 4, 16);
	assert_int_equal(ntfsi_attr_parse(r, 1024, 1008, &a), NTFS_ERR_CORRUPT_ATTR);
	free(r);
}

static void vcn_range(void **state)
{
	uint32_t nr_off;
	(void)state;

	build(&nr_off);
	fx_st64(rec + nr_off + 16, 10); /* lowest 10 > highest 9 */
	assert_int_equal(parse_at(nr_off), NTFS_ERR_CORRUPT_ATTR);
	build(&nr_off);
	fx_st64(rec + nr_off + 24, 0xFFFFFFFFFFFFFFFEull);
	fx_st64(rec + nr_off + 16, UINT64_MAX);
	assert_int_equal(parse_at(nr_off), NTFS_ERR_CORRUPT_ATTR);
	/* highest -1 is only for an empty attribute starting at VCN 0. */
	build(&nr_off);
	fx_st64(rec + nr_off + 16, 5);
	fx_st64(rec + nr_off + 24, UINT64_MAX);
	assert_int_equal(parse_at(nr_off), NTFS_ERR_CORRUPT_ATTR);
	/* A later extent: lowest == highest is one cluster. */
	build(&nr_off);
	fx_st64(rec + nr_off + 16, 9);
	assert_int_equal(parse_at(nr_off), NTFS_OK);
}

static void sizes(void **state)
{
	uint32_t nr_off;
	(void)state;

	build(&nr_off);
	fx_st64(rec + nr_off + 56, 40001); /* init > data */
	assert_int_equal(parse_at(nr_off), NTFS_ERR_CORRUPT_ATTR);
	build(&nr_off);
	fx_st64(rec + nr_off + 48, 40961); /* data > alloc */
	assert_int_equal(parse_at(nr_off), NTFS_ERR_CORRUPT_ATTR);
	build(&nr_off);
	fx_st64(rec + nr_off + 40, 0); /* alloc 0 < data */
	assert_int_equal(parse_at(nr_off), NTFS_ERR_CORRUPT_ATTR);
	build(&nr_off);
	fx_st64(rec + nr_off + 56, UINT64_MAX);
	assert_int_equal(parse_at(nr_off), NTFS_ERR_CORRUPT_ATTR);
	/* Equal sizes are fine. */
	build(&nr_off);
	fx_st64(rec + nr_off + 48, 40960);
	fx_st64(rec + nr_off + 56, 40960);
	assert_int_equal(parse_at(nr_off), NTFS_OK);
}

static void compression_unit_uncompressed(void **state)
{
	uint32_t nr_off;
	(void)state;

	build(&nr_off);
	rec[nr_off + 34] = 4;
	assert_int_equal(parse_at(nr_off), NTFS_ERR_CORRUPT_ATTR);
	build(&nr_off);
	rec[nr_off + 34] = 1;
	fx_st16(rec + nr_off + 12, NTFS_ATTR_FLAG_ENCRYPTED);
	assert_int_equal(parse_at(nr_off), NTFS_ERR_CORRUPT_ATTR);
}

static void header_past_used(void **state)
{
	struct ntfsi_attr a;
	uint32_t nr_off;
	(void)state;

	build(&nr_off);
	assert_int_equal(ntfsi_attr_parse(rec, used(), used() - 8, &a), NTFS_ERR_CORRUPT_ATTR);
	assert_int_equal(ntfsi_attr_parse(rec, used(), used(), &a), NTFS_ERR_CORRUPT_ATTR);
	assert_int_equal(ntfsi_attr_parse(rec, used(), 0xFFFFFFF8u, &a), NTFS_ERR_CORRUPT_ATTR);
}

static void name_equal(void **state)
{
	static const uint8_t le[] = {'$', 0, 'I', 0, '3', 0, '0', 0};
	static const uint16_t i30[] = {'$', 'I', '3', '0'};
	static const uint16_t i31[] = {'$', 'I', '3', '1'};
	static const uint8_t cyr_le[] = {0x16, 0x04}; /* U+0416 */
	static const uint16_t cyr[] = {0x0416};
	static const uint16_t swapped[] = {0x1604};
	(void)state;

	assert_true(ntfsi_name_equal_le(le, 4, i30, 4));
	assert_false(ntfsi_name_equal_le(le, 4, i31, 4));
	assert_false(ntfsi_name_equal_le(le, 3, i30, 4));
	assert_false(ntfsi_name_equal_le(le, 4, i30, 3));
	assert_true(ntfsi_name_equal_le(le, 0, NULL, 0));
	assert_true(ntfsi_name_equal_le(cyr_le, 1, cyr, 1));
	assert_false(ntfsi_name_equal_le(cyr_le, 1, swapped, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(valid_walk),
	        cmocka_unit_test(named_resident),
	        cmocka_unit_test(compressed_and_empty),
	        cmocka_unit_test(sparse_with_compression_unit),
	        cmocka_unit_test(bad_length),
	        cmocka_unit_test(missing_end_marker),
	        cmocka_unit_test(resident_value_outside),
	        cmocka_unit_test(name_outside),
	        cmocka_unit_test(name_with_nul),
	        cmocka_unit_test(nonresident_flag),
	        cmocka_unit_test(mapping_pairs_offset),
	        cmocka_unit_test(short_nonresident_at_end),
	        cmocka_unit_test(vcn_range),
	        cmocka_unit_test(sizes),
	        cmocka_unit_test(compression_unit_uncompressed),
	        cmocka_unit_test(header_past_used),
	        cmocka_unit_test(name_equal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
