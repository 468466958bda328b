/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Object ids (objid.c, ntfs_file_object_id()) on a synthetic volume whose
 * root holds $Extend, which holds $ObjId (or not), built by hand: a table
 * of attribute sizes and of $O entries (test/fuse_mount.py checks the
 * same against ids ntfs-3g wrote).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"
#include "fixture.h"
#include "synvol.h"

#define REC 16u
#define EXTEND 11u
#define OBJID 24u
#define SEQ 1u
#define CLUSTER 1024u
#define BLOCK 4096u
#define GUID 16u

static const uint8_t si[48];

/* An $INDEX_ROOT value in @v: one entry (key @key of @klen bytes; the data
 * @data of @dlen bytes in a view index, of @type 0; else reference @ref),
 * then the end entry. Returns its length. */
static uint32_t index_root(uint8_t *v, uint32_t type, uint32_t collation, const uint8_t *key,
                           uint32_t klen, uint64_t ref, const uint8_t *data, uint32_t dlen)
{
	uint8_t *node = v + OD_IR_NODE, *e = node + OD_NH_SIZE;
	uint32_t elen = (OD_IE_KEY + klen + dlen + 7u) & ~7u;

	memset(v, 0, OD_IR_NODE + OD_NH_SIZE + elen + 16);
	fx_st32(v + OD_IR_TYPE, type);
	fx_st32(v + OD_IR_COLLATION, collation);
	fx_st32(v + OD_IR_BLOCK_SIZE, BLOCK);
	v[OD_IR_CLUSTERS] = BLOCK / CLUSTER;
	if (type == 0) {
		fx_st16(e + OD_IE_DATA_OFF, (uint16_t)(OD_IE_KEY + klen));
		fx_st16(e + OD_IE_DATA_LEN, (uint16_t)dlen);
		memcpy(e + OD_IE_KEY + klen, data, dlen);
	} else {
		fx_st64(e + OD_IE_REF, ref);
	}
	fx_st16(e + OD_IE_LENGTH, (uint16_t)elen);
	fx_st16(e + OD_IE_KEY_LEN, (uint16_t)klen);
	memcpy(e + OD_IE_KEY, key, klen);
	fx_st16(e + elen + OD_IE_LENGTH, 16);
	fx_st16(e + elen + OD_IE_FLAGS, OD_IE_END);
	fx_st32(node + OD_NH_ENTRIES_OFF, OD_NH_SIZE);
	fx_st32(node + OD_NH_INDEX_LEN, OD_NH_SIZE + elen + 16);
	fx_st32(node + OD_NH_ALLOC, OD_NH_SIZE + elen + 16);
	return OD_IR_NODE + OD_NH_SIZE + elen + 16;
}

/* Record @recno: a directory whose $I30 holds @name (ASCII), for @child
 * (a reference of sequence number @seq). */
static void dir_with(struct synvol *s, uint32_t recno, const char *name, uint32_t child,
                     uint16_t seq)
{
	static const uint16_t i30[] = {'$', 'I', '3', '0'};
	uint8_t fn[OD_FN_NAME + 64], v[512], *rec = synvol_record(s, recno);
	uint8_t n = (uint8_t)strlen(name);

	memset(fn, 0, sizeof fn);
	fx_st64(fn + OD_FN_PARENT, recno | (uint64_t)SEQ << 48);
	fx_st32(fn + OD_FN_FLAGS, 0x10000000u);
	fn[OD_FN_NAME_LEN] = n;
	fn[OD_FN_NAMESPACE] = 3;
	for (uint8_t i = 0; i < n; i++)
		fx_st16(fn + OD_FN_NAME + 2 * i, (uint8_t)name[i]);
	fx_record(rec, 1024);
	fx_record_set(rec, SEQ, OD_REC_FLAG_IN_USE | OD_REC_FLAG_DIRECTORY, 0);
	assert_true(fx_add_resident(rec, NTFS_AT_STANDARD_INFORMATION, NULL, 0, si, sizeof si));
	assert_true(fx_add_resident(rec, NTFS_AT_INDEX_ROOT, i30, 4, v,
	                            index_root(v, NTFS_AT_FILE_NAME, 1, fn, OD_FN_NAME + 2u * n,
	                                       child | (uint64_t)seq << 48, NULL, 0)));
}

/* What $Extend/$ObjId holds. */
enum o_index {
	O_NONE,        /* no $ObjId */
	O_NO_INDEX,    /* $ObjId without its $O index */
	O_MATCH,       /* an entry for the id, naming the file */
	O_OTHER_FILE,  /* an entry for the id, naming another file */
	O_OTHER_ID,    /* an entry for another id only */
	O_SHORT_DATA,  /* an entry for the id with 40 bytes of data */
	O_BAD_ROOT,    /* an $O root whose collation is not ULONGS */
	O_EXTEND_FILE, /* $Extend is no directory */
	O_STALE,       /* $Extend names $ObjId with another sequence number */
};

struct objid_case {
	const char *what;
	uint32_t len; /* bytes of $OBJECT_ID; 0: none */
	bool resident;
	enum o_index o;
	int want;
	uint32_t want_len;
};

static const struct objid_case cases[] = {
        {"none", 0, true, O_MATCH, NTFS_ERR_NOT_FOUND, 0},
        {"16 bytes, no $ObjId", 16, true, O_NONE, NTFS_OK, 16},
        {"16 bytes, $ObjId without $O", 16, true, O_NO_INDEX, NTFS_OK, 16},
        {"16 bytes, completed", 16, true, O_MATCH, NTFS_OK, 64},
        {"16 bytes, non-resident, completed", 16, false, O_MATCH, NTFS_OK, 64},
        {"16 bytes, entry names another file", 16, true, O_OTHER_FILE, NTFS_OK, 16},
        {"16 bytes, only another id", 16, true, O_OTHER_ID, NTFS_OK, 16},
        {"16 bytes, short entry data", 16, true, O_SHORT_DATA, NTFS_OK, 16},
        {"16 bytes, bad $O root", 16, true, O_BAD_ROOT, NTFS_ERR_CORRUPT_INDEX, 0},
        {"16 bytes, $Extend a file", 16, true, O_EXTEND_FILE, NTFS_ERR_CORRUPT, 0},
        {"16 bytes, stale $ObjId", 16, true, O_STALE, NTFS_ERR_CORRUPT, 0},
        {"64 bytes, as stored", 64, true, O_MATCH, NTFS_OK, 64},
        {"40 bytes, as stored", 40, true, O_MATCH, NTFS_OK, 40},
        {"15 bytes", 15, true, O_MATCH, NTFS_ERR_CORRUPT_ATTR, 0},
        {"empty", 0xFFFFFFFF, true, O_MATCH, NTFS_ERR_CORRUPT_ATTR, 0},
        {"65 bytes", 65, true, O_MATCH, NTFS_ERR_CORRUPT_ATTR, 0},
        {"4096 bytes, non-resident", 4096, false, O_MATCH, NTFS_ERR_CORRUPT_ATTR, 0},
};

/* The volume of case @c: the root, $Extend, $ObjId as the case says, and
 * record REC with the attribute (@value's first bytes); @ids: the three
 * ids an $O entry for it keeps. */
static void build(struct synvol *s, const struct objid_case *c, const uint8_t *value,
                  const uint8_t *ids)
{
	static const uint16_t o_name[] = {'$', 'O'};
	uint64_t lcn = SYNVOL_DATA_OFF / CLUSTER;
	uint8_t data[56], key[GUID], v[512], *rec;

	synvol_init(s, CLUSTER, 1024, BLOCK);
	dir_with(s, NTFS_ROOT_RECORD, "$Extend", EXTEND, SEQ);
	if (c->o == O_EXTEND_FILE) {
		rec = synvol_record(s, EXTEND);
		fx_record(rec, 1024);
		fx_record_set(rec, SEQ, OD_REC_FLAG_IN_USE, 0);
		assert_true(
		        fx_add_resident(rec, NTFS_AT_STANDARD_INFORMATION, NULL, 0, si, sizeof si));
	} else {
		dir_with(s, EXTEND, c->o == O_NONE ? "$Quota" : "$ObjId", OBJID,
		         c->o == O_STALE ? SEQ + 1 : SEQ);
	}
	rec = synvol_record(s, OBJID);
	fx_record(rec, 1024);
	fx_record_set(rec, SEQ, OD_REC_FLAG_IN_USE, 0);
	assert_true(fx_add_resident(rec, NTFS_AT_STANDARD_INFORMATION, NULL, 0, si, sizeof si));
	memcpy(key, value, GUID);
	if (c->o == O_OTHER_ID)
		key[15] ^= 0x80;
	fx_st64(data, (c->o == O_OTHER_FILE ? REC + 1 : REC) | (uint64_t)SEQ << 48);
	memcpy(data + 8, ids, 48);
	if (c->o != O_NO_INDEX && c->o != O_NONE)
		assert_true(
		        fx_add_resident(rec, NTFS_AT_INDEX_ROOT, o_name, 2, v,
		                        index_root(v, 0, c->o == O_BAD_ROOT ? 0x10 : 0x13, key,
		                                   GUID, 0, data, c->o == O_SHORT_DATA ? 40 : 56)));
	rec = synvol_record(s, REC);
	fx_record(rec, 1024);
	fx_record_set(rec, SEQ, OD_REC_FLAG_IN_USE, 0);
	if (c->len != 0)
		assert_true(synvol_add_value(s, rec, NTFS_AT_OBJECT_ID, NULL, 0, value,
		                             c->len == 0xFFFFFFFF ? 0 : c->len, c->resident,
		                             &lcn) != 0);
}

static void object_ids(void **state)
{
	static uint8_t value[4096], ids[48];

	(void)state;
	for (size_t i = 0; i < sizeof value; i++)
		value[i] = (uint8_t)(i * 7 + 3);
	for (size_t i = 0; i < sizeof ids; i++)
		ids[i] = (uint8_t)(0xA0 + i);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct objid_case *c = &cases[i];
		uint8_t id[NTFS_OBJECT_ID_SIZE + 1];
		struct synvol s;
		ntfs_volume *vol;
		ntfs_file *f;
		size_t len = 99;

		print_message("  %s\n", c->what);
		build(&s, c, value, ids);
		assert_int_equal(synvol_mount(&s, 1, &vol), NTFS_OK);
		assert_int_equal(ntfs_file_open(vol, REC, &f), NTFS_OK);
		memset(id, 0xEE, sizeof id);
		assert_int_equal(ntfs_file_object_id(f, id, &len), c->want);
		assert_int_equal(len, c->want_len);
		if (c->want == NTFS_OK) {
			/* The attribute's bytes, then (completed) the entry's ids. */
			uint32_t stored = c->len < c->want_len ? c->len : c->want_len;
			assert_memory_equal(id, value, stored);
			if (c->want_len > stored)
				assert_memory_equal(id + stored, ids, c->want_len - stored);
		}
		assert_int_equal(id[NTFS_OBJECT_ID_SIZE], 0xEE);
		ntfs_file_close(f);
		synvol_unmount(&s, vol);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(object_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
