/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Attribute list entries (attrlist.c): type @0, entry length @4, name
 * length @6, name offset @7, lowest VCN @8, file reference @16, attribute
 * id @24, name (usually) @26; entries are 8-byte aligned.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "core.h"
#include "ondisk.h"

static uint8_t list[256];
static uint32_t list_len;

static uint32_t add(uint32_t type, const uint16_t *name, uint8_t name_len, uint64_t vcn,
                    uint64_t ref, uint16_t id)
{
	uint32_t off = list_len, len = (26u + 2u * name_len + 7u) & ~7u;
	uint8_t *p = list + off;

	memset(p, 0, len);
	fx_st32(p, type);
	fx_st16(p + 4, (uint16_t)len);
	p[6] = name_len;
	p[7] = 26;
	fx_st64(p + 8, vcn);
	fx_st64(p + 16, ref);
	fx_st16(p + 24, id);
	for (uint8_t i = 0; i < name_len; i++)
		fx_st16(p + 26 + 2 * i, name[i]);
	list_len += len;
	return off;
}

static const uint16_t ab[] = {'a', 'b'};
static const uint64_t ref77 = 77 | (uint64_t)3 << 48;

/* Three entries at 0, 32, 64. */
static void build(void)
{
	memset(list, 0xEE, sizeof list);
	list_len = 0;
	add(NTFS_AT_STANDARD_INFORMATION, NULL, 0, 0, 5 | (uint64_t)5 << 48, 0);
	add(NTFS_AT_DATA, ab, 2, 0, 5 | (uint64_t)5 << 48, 3);
	add(NTFS_AT_DATA, ab, 2, 100, ref77, 0);
}

static int first_error(void)
{
	struct ntfsi_attrlist_entry e;
	uint32_t off = 0;
	int err;
	unsigned n = 0;
	while ((err = ntfsi_attrlist_next(list, list_len, &off, &e)) == 1)
		assert_true(++n < 100);
	return err;
}

static void valid_list(void **state)
{
	struct ntfsi_attrlist_entry e;
	uint32_t off = 0;
	(void)state;

	build();
	assert_int_equal(list_len, 96);
	assert_int_equal(ntfsi_attrlist_next(list, list_len, &off, &e), 1);
	assert_int_equal(off, 32);
	assert_int_equal(e.type, NTFS_AT_STANDARD_INFORMATION);
	assert_int_equal(e.length, 32);
	assert_int_equal(e.name_len, 0);
	assert_true(e.lowest_vcn == 0);
	assert_true(e.ref == (5 | (uint64_t)5 << 48));
	assert_int_equal(e.id, 0);

	assert_int_equal(ntfsi_attrlist_next(list, list_len, &off, &e), 1);
	assert_int_equal(off, 64);
	assert_int_equal(e.type, NTFS_AT_DATA);
	assert_int_equal(e.name_len, 2);
	assert_ptr_equal(e.name, list + 32 + 26);
	assert_true(ntfsi_name_equal_le(e.name, e.name_len, ab, 2));
	assert_int_equal(e.id, 3);

	assert_int_equal(ntfsi_attrlist_next(list, list_len, &off, &e), 1);
	assert_int_equal(off, 96);
	assert_true(e.lowest_vcn == 100);
	assert_true(e.ref == ref77);
	assert_true(NTFS_REF_RECORD(e.ref) == 77);
	assert_int_equal(NTFS_REF_SEQUENCE(e.ref), 3);

	assert_int_equal(ntfsi_attrlist_next(list, list_len, &off, &e), 0);
	assert_int_equal(off, 96);
	/* An empty list has no entries. */
	off = 0;
	assert_int_equal(ntfsi_attrlist_next(list, 0, &off, &e), 0);
}

static void bad_length(void **state)
{
	static const uint16_t bad[] = {0, 8, 16, 24, 25, 27, 30, 33, 36, 39, 0xFFFF};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		build();
		fx_st16(list + 32 + 4, bad[i]);
		assert_int_equal(first_error(), NTFS_ERR_CORRUPT_ATTRLIST);
	}
}

/* A misaligned last entry that ends exactly at the list end. */
static void unaligned_last_entry(void **state)
{
	static const uint16_t bad[] = {26, 28, 30};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		build();
		fx_st16(list + 64 + 4, bad[i]);
		list[64 + 6] = (uint8_t)((bad[i] - 26) / 2);
		list_len = 64 + bad[i];
		assert_int_equal(first_error(), NTFS_ERR_CORRUPT_ATTRLIST);
	}
}

static void past_end(void **state)
{
	struct ntfsi_attrlist_entry e;
	uint32_t off;
	(void)state;

	/* The last entry claims 8 more bytes than the list has. */
	build();
	fx_st16(list + 64 + 4, 40);
	assert_int_equal(first_error(), NTFS_ERR_CORRUPT_ATTRLIST);
	/* The list is cut inside the last entry. */
	build();
	list_len = 90;
	assert_int_equal(first_error(), NTFS_ERR_CORRUPT_ATTRLIST);
	/* Fewer than 26 bytes left after the last entry. */
	build();
	list_len = 96 + 16;
	assert_int_equal(first_error(), NTFS_ERR_CORRUPT_ATTRLIST);
	build();
	list_len = 96 + 8;
	memset(list + 96, 0, 8);
	assert_int_equal(first_error(), NTFS_ERR_CORRUPT_ATTRLIST);
	/* A cursor beyond the end. */
	build();
	off = 100;
	assert_int_equal(ntfsi_attrlist_next(list, list_len, &off, &e), NTFS_ERR_CORRUPT_ATTRLIST);
	off = UINT32_MAX;
	assert_int_equal(ntfsi_attrlist_next(list, list_len, &off, &e), NTFS_ERR_CORRUPT_ATTRLIST);
}

static void name_outside(void **state)
{
	(void)state;
	/* 4 units from 26 in a 32-byte entry. */
	build();
	list[32 + 6] = 4;
	assert_int_equal(first_error(), NTFS_ERR_CORRUPT_ATTRLIST);
	/* 3 units from 26: exactly 32, fits. */
	build();
	list[32 + 6] = 3;
	assert_int_equal(first_error(), 0);
	/* Offset past the entry. */
	build();
	list[32 + 7] = 32;
	assert_int_equal(first_error(), NTFS_ERR_CORRUPT_ATTRLIST);
	build();
	list[32 + 7] = 0xFF;
	assert_int_equal(first_error(), NTFS_ERR_CORRUPT_ATTRLIST);
	/* 255 units. */
	build();
	list[32 + 6] = 255;
	assert_int_equal(first_error(), NTFS_ERR_CORRUPT_ATTRLIST);
	/* Inside the entry header. */
	build();
	list[32 + 7] = 8;
	assert_int_equal(first_error(), NTFS_ERR_CORRUPT_ATTRLIST);
	/* The last entry's name running past the list end (it is the list
	 * end that bounds it, not the 0xEE bytes after). */
	build();
	list[64 + 6] = 4;
	assert_int_equal(first_error(), NTFS_ERR_CORRUPT_ATTRLIST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(valid_list),           cmocka_unit_test(bad_length),
	        cmocka_unit_test(unaligned_last_entry), cmocka_unit_test(past_end),
	        cmocka_unit_test(name_outside),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
