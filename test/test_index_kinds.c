/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One B+tree walker for every index kind (index.c): for each collation
 * rule, an index of byte-array keys is built by hand on a synthetic volume
 * (a root and three INDX blocks), then walked, searched, and resumed from
 * every position ntfsi_index_tell() gives. The keys are chosen so that
 * their byte order differs from their collation order, and the table
 * below lists them in the order the rule must give.
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

#define DIR_REC 16u
#define CLUSTER 4096u
#define BLOCK 4096u
#define NKEYS 9
#define KEY_MAX 80

struct key {
	uint8_t b[KEY_MAX];
	uint16_t len;
};

struct kind_case {
	const char *what;
	struct ntfsi_index_kind kind;
	struct key keys[NKEYS]; /* in collation order */
	/* A seek for key i finds the first key equal to it without the case
	 * tie-break: seek_to[i] (NULL: i itself). */
	const int *seek_to;
};

/* The view-index kinds the core will read ($Secure, $ObjId, $Reparse,
 * $Quota), and a BINARY one; $I30's keys are built below. */
#define U32(v)                                                                                     \
	(uint8_t)(v), (uint8_t)((v) >> 8), (uint8_t)((v) >> 16), (uint8_t)((uint32_t)(v) >> 24)
static const struct kind_case view_cases[] = {
        {"ULONG ($SII)",
         {{'$', 'S', 'I', 'I'}, 4, 0, NTFSI_COLLATION_ULONG, ntfsi_collate_ulong, 4, 4, false},
         {{{U32(1)}, 4},
          {{U32(0xFF)}, 4},
          {{U32(0x100)}, 4},
          {{U32(0x1000)}, 4},
          {{U32(0xFFFF)}, 4},
          {{U32(0x10000)}, 4},
          {{U32(0x7FFFFFFF)}, 4},
          {{U32(0x80000000)}, 4},
          {{U32(0xFFFFFFFF)}, 4}},
         NULL},
        {"SECURITY_HASH ($SDH)",
         {{'$', 'S', 'D', 'H'},
          4,
          0,
          NTFSI_COLLATION_SECURITY_HASH,
          ntfsi_collate_security_hash,
          8,
          8,
          false},
         {{{U32(1), U32(5)}, 8},
          {{U32(1), U32(0x100)}, 8},
          {{U32(2), U32(1)}, 8},
          {{U32(0x100), U32(0)}, 8},
          {{U32(0x100), U32(2)}, 8},
          {{U32(0x10000), U32(7)}, 8},
          {{U32(0x10000), U32(0x10000)}, 8},
          {{U32(0x80000000), U32(1)}, 8},
          {{U32(0xFFFFFFFF), U32(0)}, 8}},
         NULL},
        {"ULONGS ($ObjId:$O)",
         {{'$', 'O'}, 2, 0, NTFSI_COLLATION_ULONGS, ntfsi_collate_ulongs, 16, 16, false},
         {{{U32(0), U32(0), U32(0), U32(1)}, 16},
          {{U32(0), U32(0), U32(0), U32(0x100)}, 16},
          {{U32(0), U32(0), U32(1), U32(0)}, 16},
          {{U32(0), U32(0x100), U32(0), U32(0)}, 16},
          {{U32(1), U32(0), U32(0), U32(0)}, 16},
          {{U32(0xFF), U32(9), U32(9), U32(9)}, 16},
          {{U32(0x100), U32(0), U32(0), U32(0)}, 16},
          {{U32(0x100), U32(0), U32(0), U32(1)}, 16},
          {{U32(0x80000000), U32(0), U32(0), U32(0)}, 16}},
         NULL},
        {"ULONGS ($Reparse:$R)",
         {{'$', 'R'}, 2, 0, NTFSI_COLLATION_ULONGS, ntfsi_collate_ulongs, 12, 12, false},
         {{{U32(0x80000017), U32(0x40), U32(0)}, 12},
          {{U32(0x80000017), U32(0x1000), U32(0)}, 12},
          {{U32(0x80000017), U32(0x1000), U32(1)}, 12},
          {{U32(0x8000001D), U32(0x10), U32(0)}, 12},
          {{U32(0xA0000003), U32(0x20), U32(0)}, 12},
          {{U32(0xA000000C), U32(0x18), U32(0)}, 12},
          {{U32(0xA000000C), U32(0x100), U32(0)}, 12},
          {{U32(0xA000001D), U32(0x1), U32(0)}, 12},
          {{U32(0xA000001D), U32(0x1), U32(0x10000)}, 12}},
         NULL},
        /* SIDs: revision 1, sub-authority count, authority (6 bytes, big
         * endian), sub-authorities, compared as 32-bit values in turn: the
         * count and revision lead; a SID that is a prefix sorts first. */
        {"SID ($Quota:$O)",
         {{'$', 'O'}, 2, 0, NTFSI_COLLATION_SID, ntfsi_collate_ulongs, 12, 68, false},
         {{{1, 1, 0, 0, 0, 0, 0, 5, U32(18)}, 12},
          {{1, 1, 0, 0, 0, 0, 0, 5, U32(32)}, 12},
          {{1, 1, 0, 0, 0, 0, 0, 5, U32(32), U32(544)}, 16},
          {{1, 1, 0, 0, 0, 0, 0, 5, U32(0x100)}, 12},
          {{1, 2, 0, 0, 0, 0, 0, 5, U32(32), U32(544)}, 16},
          {{1, 2, 0, 0, 0, 0, 0, 5, U32(32), U32(545)}, 16},
          {{1, 5, 0, 0, 0, 0, 0, 5, U32(21), U32(1), U32(2), U32(3), U32(1000)}, 28},
          {{1, 5, 0, 0, 0, 0, 0, 5, U32(21), U32(1), U32(2), U32(3), U32(1001)}, 28},
          {{1, 6, 0, 0, 0, 0, 0, 5, U32(21), U32(1), U32(2), U32(3), U32(4), U32(5)}, 32}},
         NULL},
        {"ULONG ($Quota:$Q)",
         {{'$', 'Q'}, 2, 0, NTFSI_COLLATION_ULONG, ntfsi_collate_ulong, 4, 4, false},
         {{{U32(1)}, 4},
          {{U32(2)}, 4},
          {{U32(0x100)}, 4},
          {{U32(0x101)}, 4},
          {{U32(0x200)}, 4},
          {{U32(0x1000)}, 4},
          {{U32(0x10000)}, 4},
          {{U32(0x1000000)}, 4},
          {{U32(0x1000001)}, 4}},
         NULL},
        {"BINARY",
         {{'$', 'B'}, 2, 0, NTFSI_COLLATION_BINARY, ntfsi_collate_binary, 1, 16, false},
         {{{0x00}, 1},
          {{0x00, 0x00}, 2},
          {{0x00, 0xFF}, 2},
          {{0x01}, 1},
          {{0x7F, 0xFF, 0xFF}, 3},
          {{0x80}, 1},
          {{0x80, 0x00}, 2},
          {{0xFE, 0x01}, 2},
          {{0xFF}, 1}},
         NULL},
};

/* $I30: names in the order $UpCase (synvol's a-z table) and the case
 * tie-break give; '_' (0x5F) sorts after 'A'-'Z' but before 'a' would. */
static const char *const i30_names[NKEYS] = {"a",      "AB", "abc", "README",  "ReadMe",
                                             "readme", "Z",  "_x",  "\xc3\xa9"};

static const int i30_seek_to[NKEYS] = {0, 1, 2, 3, 3, 3, 6, 7, 8};
static struct kind_case i30_case;

static void i30_keys(void)
{
	i30_case.what = "FILE_NAME ($I30)";
	i30_case.kind = ntfsi_index_i30;
	i30_case.seek_to = i30_seek_to;
	for (int i = 0; i < NKEYS; i++) {
		uint16_t u[8];
		size_t n = 0;
		assert_int_equal(ntfs_utf8_to_utf16(i30_names[i], strlen(i30_names[i]), u, 8, &n),
		                 NTFS_OK);
		ntfsi_filename_key(i30_case.keys[i].b, u, (uint8_t)n);
		i30_case.keys[i].b[OD_FN_NAMESPACE] = NTFS_NAMESPACE_POSIX;
		i30_case.keys[i].len = (uint16_t)(OD_FN_NAME + 2 * n);
	}
}

/* An entry; @sub is the subnode's block number, or -1. Returns its length. */
static uint32_t put_entry(uint8_t *p, const struct ntfsi_index_kind *k, const struct key *key,
                          int i, int sub)
{
	uint32_t data_off = (OD_IE_KEY + (key ? key->len : 0) + 3u) & ~3u;
	uint32_t data_len = key && k->type == 0 ? 4u : 0u;
	uint32_t len = (data_off + data_len + 7u) & ~7u;

	if (sub >= 0)
		len += 8;
	memset(p, 0, len);
	if (key == NULL) {
		fx_st16(p + OD_IE_FLAGS, OD_IE_END);
	} else {
		if (k->type == 0) {
			fx_st16(p + OD_IE_DATA_OFF, (uint16_t)data_off);
			fx_st16(p + OD_IE_DATA_LEN, (uint16_t)data_len);
			fx_st32(p + data_off, 0xDA7A0000u + (uint32_t)i);
		} else {
			fx_st64(p + OD_IE_REF, 100u + (uint64_t)i);
		}
		fx_st16(p + OD_IE_KEY_LEN, key->len);
		memcpy(p + OD_IE_KEY, key->b, key->len);
	}
	fx_st16(p + OD_IE_LENGTH, (uint16_t)len);
	if (sub >= 0) {
		fx_st16(p + OD_IE_FLAGS, (uint16_t)(fx_ld16(p + OD_IE_FLAGS) | OD_IE_HAS_SUB));
		fx_st64(p + len - 8, (uint64_t)sub * (BLOCK / CLUSTER));
	}
	return len;
}

/* A node header at @node with its entries from @off: keys [lo, hi), then
 * the end entry (with subnode @end_sub). Returns the bytes used. */
static uint32_t put_node(uint8_t *node, uint32_t off, uint32_t room, const struct kind_case *c,
                         int lo, int hi, const int *subs, int end_sub)
{
	uint32_t pos = off;

	for (int i = lo; i < hi; i++)
		pos += put_entry(node + pos, &c->kind, &c->keys[i], i, subs ? subs[i - lo] : -1);
	pos += put_entry(node + pos, &c->kind, NULL, 0, end_sub);
	fx_st32(node + OD_NH_ENTRIES_OFF, off);
	fx_st32(node + OD_NH_INDEX_LEN, pos);
	fx_st32(node + OD_NH_ALLOC, room);
	fx_st32(node + OD_NH_FLAGS, subs || end_sub >= 0 ? OD_NH_FLAG_LARGE : 0);
	assert_true(pos <= room);
	return pos;
}

/*
 * Record DIR_REC gets the index: the root holds keys 3 and 7 (subnodes:
 * blocks 0 and 1) and the end entry (block 2); block 0 holds keys 0-2,
 * block 1 keys 4-6, block 2 key 8.
 */
static void build(struct synvol *s, const struct kind_case *c)
{
	static const int root_subs[2] = {0, 1};
	static const int ranges[3][2] = {{0, 3}, {4, 7}, {8, 9}};
	uint8_t root[1024], bitmap[8] = {0x07}, mp[24], *rec;
	uint32_t used;
	struct fx_nonres alloc = {.type = NTFS_AT_INDEX_ALLOCATION,
	                          .name = c->kind.name,
	                          .name_len = c->kind.name_len,
	                          .highest_vcn = 2,
	                          .alloc = 3 * BLOCK,
	                          .data = 3 * BLOCK,
	                          .init = 3 * BLOCK,
	                          .mp = mp};

	synvol_init(s, CLUSTER, 1024, BLOCK);
	for (int b = 0; b < 3; b++) {
		uint8_t *blk = s->disk + SYNVOL_DATA_OFF + b * BLOCK;
		uint32_t usa_count = BLOCK / 512 + 1;
		uint32_t first = ((0x28u + 2 * usa_count + 7u) & ~7u) - OD_INDX_NODE;
		memcpy(blk, "INDX", 4);
		fx_st16(blk + 4, 0x28);
		fx_st16(blk + 6, (uint16_t)usa_count);
		fx_st64(blk + OD_INDX_VCN, (uint64_t)b * (BLOCK / CLUSTER));
		put_node(blk + OD_INDX_NODE, first, BLOCK - OD_INDX_NODE, c, ranges[b][0],
		         ranges[b][1], NULL, -1);
		fx_protect_any(blk, BLOCK);
	}
	memset(root, 0, sizeof root);
	fx_st32(root + OD_IR_TYPE, c->kind.type);
	fx_st32(root + OD_IR_COLLATION, c->kind.collation);
	fx_st32(root + OD_IR_BLOCK_SIZE, BLOCK);
	root[OD_IR_CLUSTERS] = BLOCK / CLUSTER;
	{
		/* The root's entries: keys 3 and 7, each over a block, and the end. */
		uint8_t *node = root + OD_IR_NODE;
		uint32_t pos = OD_NH_SIZE;
		pos += put_entry(node + pos, &c->kind, &c->keys[3], 3, root_subs[0]);
		pos += put_entry(node + pos, &c->kind, &c->keys[7], 7, root_subs[1]);
		pos += put_entry(node + pos, &c->kind, NULL, 0, 2);
		fx_st32(node + OD_NH_ENTRIES_OFF, OD_NH_SIZE);
		fx_st32(node + OD_NH_INDEX_LEN, pos);
		fx_st32(node + OD_NH_ALLOC, pos);
		fx_st32(node + OD_NH_FLAGS, OD_NH_FLAG_LARGE);
		used = OD_IR_NODE + pos;
	}
	rec = synvol_record(s, DIR_REC);
	fx_record(rec, 1024);
	fx_record_set(rec, 1, OD_REC_FLAG_IN_USE | OD_REC_FLAG_DIRECTORY, 0);
	assert_true(fx_add_resident(rec, NTFS_AT_STANDARD_INFORMATION, NULL, 0, root, 48) != 0);
	assert_true(fx_add_resident(rec, NTFS_AT_INDEX_ROOT, c->kind.name, c->kind.name_len, root,
	                            used) != 0);
	alloc.mp_len = fx_runlist_one(mp, SYNVOL_DATA_OFF / CLUSTER, 3);
	assert_true(fx_add_nonresident(rec, &alloc) != 0);
	assert_true(fx_add_resident(rec, NTFS_AT_BITMAP, c->kind.name, c->kind.name_len, bitmap,
	                            sizeof bitmap) != 0);
}

static void expect_key(const struct kind_case *c, const struct ntfsi_index_entry *e, int i)
{
	if (e->key_len != c->keys[i].len || memcmp(e->key, c->keys[i].b, e->key_len) != 0)
		fail_msg("%s: entry is not key %d", c->what, i);
	if (c->kind.type == 0) {
		assert_int_equal(e->data_len, 4);
		assert_int_equal(fx_ld32(e->data), 0xDA7A0000u + (uint32_t)i);
	} else {
		assert_int_equal(e->ref, 100u + (uint64_t)i);
	}
}

/* The walk, seeks to every key and between keys, and every resume point. */
static void check_kind(const struct kind_case *c)
{
	struct ntfsi_index_entry e;
	struct ntfsi_index idx;
	uint64_t cookie[NKEYS];
	struct synvol s;
	ntfs_volume *vol;
	ntfs_file *f;

	build(&s, c);
	assert_int_equal(synvol_mount(&s, 512, &vol), NTFS_OK);
	assert_int_equal(ntfs_file_open(vol, DIR_REC, &f), NTFS_OK);
	assert_int_equal(ntfsi_index_open(f, &c->kind, &idx), NTFS_OK);

	assert_int_equal(ntfsi_index_tell(&idx, &cookie[0]), NTFS_OK);
	assert_true(cookie[0] == 0);
	for (int i = 0; i < NKEYS; i++) {
		assert_int_equal(ntfsi_index_next(&idx, &e), 1);
		expect_key(c, &e, i);
		assert_int_equal(ntfsi_index_tell(&idx, &cookie[i]), NTFS_OK);
		assert_true(cookie[i] != 0);
	}
	assert_int_equal(ntfsi_index_next(&idx, &e), 0);

	for (int i = 0; i < NKEYS; i++) {
		/* The key itself is found (the first of its case variants)... */
		assert_int_equal(ntfsi_index_seek(&idx, c->keys[i].b, c->keys[i].len), NTFS_OK);
		assert_int_equal(ntfsi_index_next(&idx, &e), 1);
		expect_key(c, &e, c->seek_to ? c->seek_to[i] : i);
		/* ...and the walk resumes after it from its position. */
		assert_int_equal(ntfsi_index_resume(&idx, cookie[i]), NTFS_OK);
		if (i + 1 < NKEYS) {
			assert_int_equal(ntfsi_index_next(&idx, &e), 1);
			expect_key(c, &e, i + 1);
		} else {
			assert_int_equal(ntfsi_index_next(&idx, &e), 0);
		}
	}
	/* Position 0 is the start; a position inside an entry is refused. */
	assert_int_equal(ntfsi_index_resume(&idx, 0), NTFS_OK);
	assert_int_equal(ntfsi_index_next(&idx, &e), 1);
	expect_key(c, &e, 0);
	assert_int_equal(ntfsi_index_resume(&idx, cookie[3] + 1), NTFS_ERR_INVALID);
	assert_int_equal(ntfsi_index_resume(&idx, UINT64_MAX >> 1), NTFS_ERR_INVALID);

	ntfsi_index_close(&idx);
	ntfs_file_close(f);
	synvol_unmount(&s, vol);
}

/* Keys 5 and 6 swapped in block 1: the walk must not list them. */
static void check_disorder(const struct kind_case *c)
{
	struct kind_case bad = *c;
	struct ntfsi_index_entry e;
	struct ntfsi_index idx;
	struct synvol s;
	ntfs_volume *vol;
	ntfs_file *f;
	int r;

	bad.keys[5] = c->keys[6];
	bad.keys[6] = c->keys[5];
	build(&s, &bad);
	assert_int_equal(synvol_mount(&s, 512, &vol), NTFS_OK);
	assert_int_equal(ntfs_file_open(vol, DIR_REC, &f), NTFS_OK);
	assert_int_equal(ntfsi_index_open(f, &bad.kind, &idx), NTFS_OK);
	while ((r = ntfsi_index_next(&idx, &e)) == 1)
		;
	if (r != NTFS_ERR_CORRUPT_INDEX)
		fail_msg("%s: keys out of order gave %d", c->what, r);
	ntfsi_index_close(&idx);
	ntfs_file_close(f);
	ntfs_unmount(vol);
	synvol_free(&s);
}

static void view_kinds(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof view_cases / sizeof view_cases[0]; i++) {
		print_message("  %s\n", view_cases[i].what);
		check_kind(&view_cases[i]);
		check_disorder(&view_cases[i]);
	}
}

static void file_name_kind(void **state)
{
	(void)state;
	i30_keys();
	check_kind(&i30_case);
	check_disorder(&i30_case);
}

/* Another kind's root under the same name is not this index. */
static void kind_mismatch(void **state)
{
	struct ntfsi_index_kind other = view_cases[0].kind;
	struct ntfsi_index idx;
	struct synvol s;
	ntfs_volume *vol;
	ntfs_file *f;
	(void)state;

	other.collation = NTFSI_COLLATION_ULONGS;
	build(&s, &view_cases[0]);
	assert_int_equal(synvol_mount(&s, 512, &vol), NTFS_OK);
	assert_int_equal(ntfs_file_open(vol, DIR_REC, &f), NTFS_OK);
	assert_int_equal(ntfsi_index_open(f, &other, &idx), NTFS_ERR_CORRUPT_INDEX);
	other = view_cases[0].kind;
	other.name[3] = 'X';
	assert_int_equal(ntfsi_index_open(f, &other, &idx), NTFS_ERR_NOT_FOUND);
	ntfs_file_close(f);
	synvol_unmount(&s, vol);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(view_kinds),
	        cmocka_unit_test(file_name_kind),
	        cmocka_unit_test(kind_mismatch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
