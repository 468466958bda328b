/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Files (file.c) whose attributes an $ATTRIBUTE_LIST spreads over records,
 * built by hand on a synthetic volume: the list resident or not, the
 * attribute in the base record or in an extension record, and extension
 * records that do not belong to the file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"
#include "fixture.h"
#include "ondisk.h"
#include "synvol.h"

#define BASE 16u
#define EXT 17u
#define SEQ 1u
#define CLUSTER 1024u

static const char content[] = "data in an extension record\n";

/* One list entry (26 bytes, padded to 32). */
static uint32_t put_entry(uint8_t *p, uint32_t type, uint64_t recno, uint16_t id)
{
	memset(p, 0, 32);
	fx_st32(p + OD_AL_TYPE, type);
	fx_st16(p + OD_AL_LENGTH, 32);
	p[OD_AL_NAME_OFF] = 26;
	fx_st64(p + OD_AL_REF, recno | (uint64_t)SEQ << 48);
	fx_st16(p + OD_AL_ID, id);
	return 32;
}

enum list_at {
	LIST_RESIDENT,
	LIST_NONRESIDENT
};

/* Record BASE: $STANDARD_INFORMATION and the list; record EXT: the $DATA,
 * with @ext_base as its base reference. */
static void build(struct synvol *s, enum list_at where, uint64_t ext_base)
{
	static const uint8_t si[48];
	uint8_t list[96], mp[24], *base, *ext;
	uint32_t n = 0, si_at, data_at;

	synvol_init(s, CLUSTER, 1024, 4096);
	ext = synvol_record(s, EXT);
	fx_record(ext, 1024);
	fx_record_set(ext, 1, OD_REC_FLAG_IN_USE, ext_base);
	data_at = fx_add_resident(ext, NTFS_AT_DATA, NULL, 0, content, sizeof content - 1);
	assert_true(data_at != 0);
	fx_attr_set_id(ext, data_at, 7);

	base = synvol_record(s, BASE);
	fx_record(base, 1024);
	fx_record_set(base, SEQ, OD_REC_FLAG_IN_USE, 0);
	si_at = fx_add_resident(base, NTFS_AT_STANDARD_INFORMATION, NULL, 0, si, sizeof si);
	assert_true(si_at != 0);
	n += put_entry(list + n, NTFS_AT_STANDARD_INFORMATION, BASE,
	               fx_ld16(base + si_at + OD_AH_ID));
	n += put_entry(list + n, NTFS_AT_DATA, EXT, 7);
	if (where == LIST_RESIDENT) {
		assert_true(fx_add_resident(base, NTFS_AT_ATTRIBUTE_LIST, NULL, 0, list, n) != 0);
	} else {
		struct fx_nonres nr = {.type = NTFS_AT_ATTRIBUTE_LIST,
		                       .alloc = CLUSTER,
		                       .data = n,
		                       .init = n,
		                       .mp = mp};
		memcpy(s->disk + SYNVOL_DATA_OFF, list, n);
		nr.mp_len = fx_runlist_one(mp, SYNVOL_DATA_OFF / CLUSTER, 1);
		assert_true(fx_add_nonresident(base, &nr) != 0);
	}
}

static int read_data(struct synvol *s, char *buf, size_t cap, size_t *got)
{
	ntfs_volume *vol;
	ntfs_file *f;
	ntfs_stream *st;
	int err;

	assert_int_equal(synvol_mount(s, 512, &vol), NTFS_OK);
	err = ntfs_file_open(vol, BASE, &f);
	if (err == NTFS_OK) {
		err = ntfs_stream_open(f, NULL, &st);
		if (err == NTFS_OK) {
			err = ntfs_stream_read(st, 0, buf, cap, got);
			ntfs_stream_close(st);
		}
		ntfs_file_close(f);
	}
	ntfs_unmount(vol);
	memalloc_expect(&s->alloc, 0, 0);
	return err;
}

static void list_resident_and_not(void **state)
{
	static const enum list_at where[] = {LIST_RESIDENT, LIST_NONRESIDENT};
	(void)state;

	for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
		struct synvol s;
		char buf[64];
		size_t got = 0;

		build(&s, where[i], BASE | (uint64_t)SEQ << 48);
		assert_int_equal(read_data(&s, buf, sizeof buf, &got), NTFS_OK);
		assert_int_equal(got, sizeof content - 1);
		assert_memory_equal(buf, content, got);
		synvol_free(&s);
	}
}

/* An extension record must name this file, at this sequence number, as its
 * base: another file's record is not this file's attribute. */
static void extension_of_another_file(void **state)
{
	static const uint64_t bad[] = {
	        0,                                /* a base record itself */
	        (BASE + 1) | (uint64_t)SEQ << 48, /* another record */
	        BASE | (uint64_t)(SEQ + 1) << 48, /* an earlier use of this record */
	};
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct synvol s;
		char buf[64];
		size_t got;

		build(&s, LIST_RESIDENT, bad[i]);
		assert_int_equal(read_data(&s, buf, sizeof buf, &got), NTFS_ERR_CORRUPT_ATTRLIST);
		synvol_free(&s);
	}
}

/* The list's own extent is in the base record: it needs no other record. */
static void list_entry_missing(void **state)
{
	struct synvol s;
	char buf[64];
	size_t got;
	uint8_t *ext;
	(void)state;

	build(&s, LIST_RESIDENT, BASE | (uint64_t)SEQ << 48);
	/* The extension record holds no attribute with the listed id. */
	ext = synvol_record(&s, EXT);
	fx_attr_set_id(ext, fx_ld16(ext + OD_REC_ATTRS_OFFSET), 8);
	assert_int_equal(read_data(&s, buf, sizeof buf, &got), NTFS_ERR_CORRUPT_ATTRLIST);
	synvol_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(list_resident_and_not),
	        cmocka_unit_test(extension_of_another_file),
	        cmocka_unit_test(list_entry_missing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
