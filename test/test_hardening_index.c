/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hardening tests, classes 17-20 and 28 of docs HARDENING.md and the
 * directory index's part of classes 26, 27 and 29: index entries, INDX
 * block and node headers, subnode VCNs, cycles and depth, the index
 * $BITMAP, directory walks that end and resume. One row per test; see
 * support/hardening_cases.h.
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
#define ld64(p) hu_ld((p), 8)

static const uint16_t i30[4] = {'$', 'I', '3', '0'};

/* Sizes of an END entry: a bare header, or the header and a subnode VCN. */
#define END_LEAF OD_IE_KEY
#define END_NODE (OD_IE_KEY + OD_IE_SUBNODE_FROM_END)

/* ---- 17. index entries ------------------------------------------------------- */

/* INDX block: the key of entry @p 2 bytes too short for the name it holds. */
static void m_key_short_for_name(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *node = b + OD_INDX_NODE;
	uint32_t e = hu_ie_off(node, (unsigned)p);
	(void)h;
	(void)len;
	hu_st(node + e + OD_IE_KEY_LEN, OD_FN_NAME + 2u * node[e + OD_IE_KEY + OD_FN_NAME_LEN] - 2u,
	      2);
}

/* ---- 18. index block and node headers -------------------------------------- */

/* P(field, value) of a node header: field bit 8 for the root's node (in the
 * record) rather than INDX block 0's; value 0xFFFFFFFF: allocated size + 8. */
static void m_node_hdr(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *node = P_OFF(p) & 0x100
	                        ? hu_root_node(b, hu_attr_find(b, OD_AT_INDEX_ROOT, "$I30"))
	                        : b + OD_INDX_NODE;
	uint32_t field = P_OFF(p) & 0xFF, v = P_VAL(p);
	(void)h;
	(void)len;
	if (v == 0xFFFFFFFFu)
		v = ld32(node + OD_NH_ALLOC) + 8;
	hu_st(node + field, v, 4);
}

/* P(field, value) of the $INDEX_ROOT value. */
static void m_root_field(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *v = hu_attr_value(b, hu_attr_find(b, OD_AT_INDEX_ROOT, "$I30"));
	(void)h;
	(void)len;
	hu_st(v + P_OFF(p), P_VAL(p), 4);
}

/* ---- 19. subnode VCNs, cycles, depth ------------------------------------------ */

/* Subnode VCN @p for the root's END entry (/unicode's only root entry). */
static void m_root_subnode(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *node = hu_root_node(b, hu_attr_find(b, OD_AT_INDEX_ROOT, "$I30"));
	uint32_t e = hu_entry_or_end(node, 0xFF), elen = ld16(node + e + OD_IE_LENGTH);
	(void)h;
	(void)len;
	assert_true(ld16(node + e + OD_IE_FLAGS) & OD_IE_HAS_SUB);
	hu_st(node + e + elen - OD_IE_SUBNODE_FROM_END, (uint64_t)p, 8);
}

static void m_root_bitmap_clear(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *v = hu_attr_value(b, hu_attr_find(b, OD_AT_BITMAP, "$I30"));
	(void)h;
	(void)len;
	(void)p;
	assert_true(v[0] & 1);
	v[0] &= 0xFE;
}

/* INDX block 0: its END entry gets a subnode, block 0 itself. */
static void m_indx_self_cycle(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint8_t *node = b + OD_INDX_NODE;
	uint32_t e = hu_entry_or_end(node, 0xFF);
	(void)h;
	(void)len;
	(void)p;
	assert_int_equal(ld16(node + e + OD_IE_LENGTH), END_LEAF);
	assert_true(ld32(node + OD_NH_INDEX_LEN) + 8 <= ld32(node + OD_NH_ALLOC));
	hu_st(node + e + OD_IE_LENGTH, END_NODE, 2);
	hu_st(node + e + OD_IE_FLAGS, OD_IE_HAS_SUB | OD_IE_END, 2);
	hu_st(node + e + END_NODE - OD_IE_SUBNODE_FROM_END, 0, 8);
	hu_st(node + OD_NH_INDEX_LEN, ld32(node + OD_NH_INDEX_LEN) + 8, 4);
}

/* Every entry of the directory, through sub-cluster index blocks (512-byte
 * VCN units) on 64 KiB and 2 MiB clusters. */
static void h19_index_vcn_units_valid(const struct hu_case *c)
{
	static const char *const images[] = {C512, C64K, C2M};
	struct ntfs_dirent *ent = malloc(sizeof *ent);

	assert_non_null(ent);
	for (size_t i = 0; i < sizeof images / sizeof images[0]; i++) {
		struct hu h;
		ntfs_file *f;
		ntfs_dir *d;
		int r, n = 0;
		hu_open(&h, images[i]);
		assert_int_equal(hu_mount(&h), NTFS_OK);
		assert_int_equal(ntfs_path_open(h.vol, c->target, &f), NTFS_OK);
		assert_int_equal(ntfs_dir_open(f, 0, &d), NTFS_OK);
		while ((r = ntfs_dir_next(d, ent)) == 1)
			n++;
		assert_int_equal(r, c->expect);
		assert_int_equal(n, 8);
		ntfs_dir_close(d);
		ntfs_file_close(f);
		assert_int_equal(hu_op_read(h.vol, UNI_FILE), NTFS_OK);
		hu_unmount(&h);
		hu_close(&h);
	}
	free(ent);
}

/* A chain of index blocks in a c4k directory: root -> c[0] -> c[1] -> ... */
#define CHAIN_MAX 40
struct chain {
	struct hu h;
	const char *dir;
	uint64_t vcn[CHAIN_MAX];      /* blocks in use, VCN = block (4 KiB clusters) */
	struct hu_loc loc[CHAIN_MAX]; /* where they are */
	struct hu_loc root;
};

static void chain_open(struct chain *c, const struct hu_case *row)
{
	uint8_t bitmap[512];
	ntfs_file *f;
	ntfs_stream *s;
	size_t got, n = 0;

	c->dir = row->target;
	hu_open(&c->h, row->image);
	assert_int_equal(hu_mount(&c->h), NTFS_OK);
	assert_int_equal(c->h.vi.cluster_size, 4096);
	assert_int_equal(c->h.vi.index_block_size, 4096);
	hu_loc_record(&c->h, hu_recno(&c->h, c->dir), &c->root);
	assert_int_equal(ntfs_path_open(c->h.vol, c->dir, &f), NTFS_OK);
	assert_int_equal(ntfs_attr_open(f, OD_AT_BITMAP, i30, 4, &s), NTFS_OK);
	assert_int_equal(ntfs_stream_read(s, 0, bitmap, sizeof bitmap, &got), NTFS_OK);
	ntfs_stream_close(s);
	ntfs_file_close(f);
	/* Skip block 0: it may be the root's first child either way. */
	for (size_t bit = 1; bit < got * 8 && n < CHAIN_MAX; bit++)
		if (bitmap[bit / 8] >> (bit % 8) & 1)
			c->vcn[n++] = bit;
	assert_int_equal(n, CHAIN_MAX);
	for (size_t i = 0; i < CHAIN_MAX; i++)
		hu_loc_stream(&c->h, c->dir, OD_AT_INDEX_ALLOCATION, "$I30", c->vcn[i] * 4096, 4096,
		              &c->loc[i]);
	assert_int_equal(hu_op_list(c->h.vol, c->dir), NTFS_OK);
	hu_unmount(&c->h);
}

/* Block c[i] made to hold only an END entry, with subnode @sub (none when
 * @sub is UINT64_MAX). */
static void chain_block(struct chain *c, size_t i, uint64_t sub)
{
	static uint8_t b[4096];
	uint8_t *node = b + OD_INDX_NODE, *e;
	uint32_t eo;

	hu_loc_read(&c->h, &c->loc[i], b);
	hu_unfix(b, sizeof b);
	assert_int_equal(ld64(b + OD_INDX_VCN), c->vcn[i]);
	eo = ld32(node + OD_NH_ENTRIES_OFF);
	e = node + eo;
	memset(e, 0, END_NODE);
	hu_st(e + OD_IE_LENGTH, sub == UINT64_MAX ? END_LEAF : END_NODE, 2);
	hu_st(e + OD_IE_FLAGS, sub == UINT64_MAX ? OD_IE_END : OD_IE_HAS_SUB | OD_IE_END, 2);
	if (sub != UINT64_MAX)
		hu_st(e + END_NODE - OD_IE_SUBNODE_FROM_END, sub, 8);
	hu_st(node + OD_NH_INDEX_LEN, eo + ld16(e + OD_IE_LENGTH), 4);
	hu_fix(b, sizeof b);
	hu_loc_write(&c->h, &c->loc[i], b);
}

/* The root: one END entry whose subnode is c[0]. */
static void chain_root(struct chain *c)
{
	static uint8_t rec[1024];
	uint8_t *node, *e;
	uint32_t eo;

	assert_int_equal(c->root.size, sizeof rec);
	hu_loc_read(&c->h, &c->root, rec);
	hu_unfix(rec, sizeof rec);
	node = hu_root_node(rec, hu_attr_find(rec, OD_AT_INDEX_ROOT, "$I30"));
	eo = ld32(node + OD_NH_ENTRIES_OFF);
	e = node + eo;
	assert_true(ld16(e + OD_IE_LENGTH) >= END_NODE);
	memset(e, 0, END_NODE);
	hu_st(e + OD_IE_LENGTH, END_NODE, 2);
	hu_st(e + OD_IE_FLAGS, OD_IE_HAS_SUB | OD_IE_END, 2);
	hu_st(e + END_NODE - OD_IE_SUBNODE_FROM_END, c->vcn[0], 8);
	hu_st(node + OD_NH_INDEX_LEN, eo + END_NODE, 4);
	hu_fix(rec, sizeof rec);
	hu_loc_write(&c->h, &c->root, rec);
}

/* NTFS_MAX_INDEX_DEPTH levels, root included, are read; one more is
 * NTFS_ERR_LIMIT, found with a bounded stack. */
static void h19_index_depth_beyond_limit(const struct hu_case *row)
{
	static struct chain chain;
	struct chain *c = &chain;
	const size_t levels = NTFS_MAX_INDEX_DEPTH - 1; /* below the root */

	assert_true(levels + 1 < CHAIN_MAX);
	chain_open(c, row);
	chain_root(c);
	for (size_t i = 0; i + 1 < levels; i++)
		chain_block(c, i, c->vcn[i + 1]);
	chain_block(c, levels - 1, UINT64_MAX);
	hu_expect(&c->h, row->op, c->dir, NTFS_OK);
	/* One level more. */
	chain_block(c, levels - 1, c->vcn[levels]);
	chain_block(c, levels, UINT64_MAX);
	hu_expect(&c->h, row->op, c->dir, row->expect);
	hu_expect(&c->h, hu_op_open, "/big/f00000.txt", row->expect);
	hu_close(&c->h);
}

/* root -> c[0] -> c[1] -> c[0]: a cycle in a directory of ~1000 blocks is
 * corruption, not a tree too deep. */
static void h19_index_subnode_cycle_deep_tree(const struct hu_case *row)
{
	static struct chain chain;
	struct chain *c = &chain;

	chain_open(c, row);
	chain_root(c);
	chain_block(c, 0, c->vcn[1]);
	chain_block(c, 1, UINT64_MAX);
	hu_expect(&c->h, row->op, c->dir, NTFS_OK);
	chain_block(c, 1, c->vcn[0]);
	hu_expect(&c->h, row->op, c->dir, row->expect);
	hu_close(&c->h);
}

/* ---- 20. index $BITMAP shorter than the allocation ------------------------- */

/* The resident $BITMAP:$I30 cut to @p bytes. */
static void m_bitmap_len(struct hu *h, uint8_t *b, size_t len, long long p)
{
	uint32_t a = hu_attr_find(b, OD_AT_BITMAP, "$I30");
	(void)h;
	(void)len;
	if (b[a + OD_AH_NONRESIDENT] != 0)
		fail_msg("a non-resident $BITMAP");
	assert_true(ld32(b + a + OD_AH_VALUE_LEN) > (uint64_t)p);
	hu_st(b + a + OD_AH_VALUE_LEN, (uint64_t)p, 4);
}

/* ---- 27-29. directory walks end, resume, and fail without looping --------- */

/* After the change: @entries entries, then .expect, and again @repeats times
 * (no spinning, no repeated entries). */
static void dir_walk_stops(const struct hu_case *c, int entries, int repeats)
{
	struct ntfs_dirent *ent = malloc(sizeof *ent);
	struct hu h;
	ntfs_file *f;
	ntfs_dir *d;
	int r, n = 0;

	assert_non_null(ent);
	hu_case_prepare(c, &h);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	assert_int_equal(ntfs_path_open(h.vol, c->target, &f), NTFS_OK);
	assert_int_equal(ntfs_dir_open(f, 0, &d), NTFS_OK);
	while ((r = ntfs_dir_next(d, ent)) == 1)
		assert_true(++n <= entries);
	assert_int_equal(n, entries);
	assert_int_equal(r, c->expect);
	for (int i = 0; i < repeats; i++)
		assert_int_equal(ntfs_dir_next(d, ent), c->expect);
	ntfs_dir_close(d);
	ntfs_file_close(f);
	hu_unmount(&h);
	hu_close(&h);
	free(ent);
}

/* A one-block cycle: each entry once. */
static void h27_dir_walk_terminates_on_cycle(const struct hu_case *c)
{
	dir_walk_stops(c, 8, 100);
}

/* A failing entry: the error comes back at once, every time. */
static void h29_dir_next_failing_entry_no_loop(const struct hu_case *c)
{
	dir_walk_stops(c, 3, 1000);
}

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

/* Up to @max entries of @dir after the first @skip. */
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

/* The same sequence twice, and re-opened with N entries skipped, the next
 * entries are entries N... */
static void h28_readdir_offsets_resumable(const struct hu_case *c)
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

	assert_non_null(all);
	assert_non_null(again);
	assert_non_null(win);
	hu_open(&h, c->image);
	assert_int_equal(hu_mount(&h), NTFS_OK);
	n = list_keys(h.vol, c->target, all, MAX, 0);
	assert_int_equal(n, 20000);
	assert_int_equal(list_keys(h.vol, c->target, again, MAX, 0), n);
	assert_memory_equal(all, again, n * sizeof *all);
	for (size_t i = 0; i < sizeof skips / sizeof skips[0]; i++) {
		size_t want = n - skips[i] < WINDOW ? n - skips[i] : WINDOW;
		assert_int_equal(list_keys(h.vol, c->target, win, WINDOW, skips[i]), want);
		assert_memory_equal(win, all + skips[i], want * sizeof *win);
	}
	hu_unmount(&h);
	hu_close(&h);
	free(all);
	free(again);
	free(win);
}

static const struct hu_case cases[] = {
        /* 17. index entries */
        HU_ROW(.name = "h17_index_entry_length_zero", .cls = 17, .image = C512, .kind = HU_INDX,
               .target = UNI, .mutate = m_indx_entry, .param = P(ENTRY(0, OD_IE_LENGTH), 0),
               .op = hu_op_list, .expect = NTFS_ERR_CORRUPT_INDEX, .what = "entry 0: length 0"),
        HU_ROW(.name = "h17_index_entry_shorter_than_header", .cls = 17, .image = C512,
               .kind = HU_INDX, .target = UNI, .mutate = m_indx_entry,
               .param = P(ENTRY(0, OD_IE_LENGTH), 8), .op = hu_op_list,
               .expect = NTFS_ERR_CORRUPT_INDEX, .what = "entry 0: length 8"),
        HU_ROW(.name = "h17_index_key_length_past_entry", .cls = 17, .image = C512, .kind = HU_INDX,
               .target = UNI, .mutate = m_indx_entry, .param = P(ENTRY(0, OD_IE_KEY_LEN), 0x7FF8),
               .op = hu_op_list, .expect = NTFS_ERR_CORRUPT_INDEX,
               .what = "entry 0: key length 0x7FF8"),
        HU_ROW(.name = "h17_index_key_shorter_than_file_name", .cls = 17, .image = C512,
               .kind = HU_INDX, .target = UNI, .mutate = m_indx_entry,
               .param = P(ENTRY(0, OD_IE_KEY_LEN), 40), .op = hu_op_list,
               .expect = NTFS_ERR_CORRUPT_INDEX, .what = "entry 0: key length 40"),
        HU_ROW(.name = "h17_index_entry_past_index_length", .cls = 17, .image = C512,
               .kind = HU_INDX, .target = UNI, .mutate = m_indx_entry,
               .param = P(ENTRY(0, OD_IE_LENGTH), IDXLEN(8)), .op = hu_op_list,
               .expect = NTFS_ERR_CORRUPT_INDEX, .what = "entry 0 runs 8 bytes past index_length"),
        HU_ROW(.name = "h17_index_end_entry_past_index_length", .cls = 17, .image = C512,
               .kind = HU_INDX, .target = UNI, .mutate = m_indx_entry,
               .param = P(ENTRY(0xFF, OD_IE_LENGTH), ADD(8)), .op = hu_op_list,
               .expect = NTFS_ERR_CORRUPT_INDEX,
               .what = "the END entry runs 8 bytes past index_length"),
        HU_ROW(.name = "h17_index_key_shorter_than_name", .cls = 17, .image = C512, .kind = HU_INDX,
               .target = UNI, .mutate = m_key_short_for_name, .param = 3, .op = hu_op_list,
               .expect = NTFS_ERR_CORRUPT_INDEX,
               .what = "entry 3: key 2 bytes too short for its name"),
        HU_ROW(.name = "h17_index_entry_length_zero_lookup", .cls = 17, .image = C512,
               .kind = HU_INDX, .target = UNI, .mutate = m_indx_entry,
               .param = P(ENTRY(0, OD_IE_LENGTH), 0), .op = hu_op_open, .arg = UNI_FILE,
               .expect = NTFS_ERR_CORRUPT_INDEX,
               .what = "entry 0: length 0, found by a lookup (B+tree descent)"),

        /* 18. index block and node headers */
        HU_ROW(.name = "h18_index_length_over_allocated", .cls = 18, .image = C512, .kind = HU_INDX,
               .target = UNI, .mutate = m_node_hdr, .param = P(OD_NH_INDEX_LEN, 0xFFFFFFFFu),
               .op = hu_op_list, .expect = NTFS_ERR_CORRUPT_INDEX,
               .what = "node header: index length = allocated size + 8"),
        HU_ROW(.name = "h18_allocated_over_block_size", .cls = 18, .image = C512, .kind = HU_INDX,
               .target = UNI, .mutate = m_node_hdr, .param = P(OD_NH_ALLOC, 4096 - 24 + 8),
               .op = hu_op_list, .expect = NTFS_ERR_CORRUPT_INDEX,
               .what = "node header: allocated size 8 bytes past the 4 KiB block"),
        HU_ROW(.name = "h18_indx_magic", .cls = 18, .image = C512, .kind = HU_INDX, .target = UNI,
               .raw = true, .mutate = m_magic, .param = 1, .op = hu_op_list,
               .expect = NTFS_ERR_CORRUPT_INDEX, .what = "magic \"INDY\""),
        HU_ROW(.name = "h18_indx_usa_sequence_mismatch", .cls = 18, .image = C512, .kind = HU_INDX,
               .target = UNI, .raw = true, .mutate = m_xor8, .param = P(2046, 0xFF),
               .op = hu_op_list, .expect = NTFS_ERR_CORRUPT_FIXUP,
               .what = "stride 4's sequence number torn"),
        HU_ROW(.name = "h18_indx_usa_count_wrong", .cls = 18, .image = C512, .kind = HU_INDX,
               .target = UNI, .raw = true, .mutate = m_set16, .param = P(OD_INDX_USA_COUNT, 8),
               .op = hu_op_list, .expect = NTFS_ERR_CORRUPT_FIXUP,
               .what = "USA count 8 (must be 9)"),
        HU_ROW(.name = "h18_indx_usa_offset_outside", .cls = 18, .image = C512, .kind = HU_INDX,
               .target = UNI, .raw = true, .mutate = m_set16, .param = P(OD_INDX_USA_OFF, 4000),
               .op = hu_op_list, .expect = NTFS_ERR_CORRUPT_FIXUP, .what = "USA offset 4000"),
        HU_ROW(.name = "h18_indx_vcn_mismatch", .cls = 18, .image = C512, .kind = HU_INDX,
               .target = UNI, .mutate = m_set32, .param = P(OD_INDX_VCN, 8), .op = hu_op_list,
               .expect = NTFS_ERR_CORRUPT_INDEX, .what = "VCN stored in block 0 = 8"),
        HU_ROW(.name = "h18_root_index_length_over_allocated", .cls = 18, .image = C512,
               .kind = HU_RECORD, .target = UNI, .mutate = m_node_hdr,
               .param = P(0x100 | OD_NH_INDEX_LEN, 0xFFFFFFFFu), .op = hu_op_list,
               .expect = NTFS_ERR_CORRUPT_INDEX,
               .what = "`$INDEX_ROOT` node header: index length = allocated size + 8"),
        HU_ROW(.name = "h18_root_block_size_mismatch", .cls = 18, .image = C512, .kind = HU_RECORD,
               .target = UNI, .mutate = m_root_field, .param = P(OD_IR_BLOCK_SIZE, 8192),
               .op = hu_op_list, .expect = NTFS_ERR_CORRUPT_INDEX,
               .what = "`$INDEX_ROOT` index block size 8192"),

        /* 19. subnode VCNs, cycles, depth; c512: index blocks (4 KiB) span
         * clusters, so VCN 8 is block 1 */
        HU_ROW(.name = "h19_subnode_vcn_outside_allocation", .cls = 19, .image = C512,
               .kind = HU_RECORD, .target = UNI, .mutate = m_root_subnode, .param = 8,
               .op = hu_op_list, .expect = NTFS_ERR_CORRUPT_INDEX,
               .what = "the root's subnode VCN 8 (block 1: not allocated)"),
        HU_ROW(.name = "h19_subnode_vcn_not_block_aligned", .cls = 19, .image = C512,
               .kind = HU_RECORD, .target = UNI, .mutate = m_root_subnode, .param = 1,
               .op = hu_op_list, .expect = NTFS_ERR_CORRUPT_INDEX,
               .what = "the root's subnode VCN 1"),
        HU_ROW(.name = "h19_subnode_vcn_huge", .cls = 19, .image = C512, .kind = HU_RECORD,
               .target = UNI, .mutate = m_root_subnode, .param = 1ll << 62, .op = hu_op_list,
               .expect = NTFS_ERR_CORRUPT_INDEX, .what = "the root's subnode VCN 2^62"),
        HU_ROW(.name = "h19_subnode_vcn_huge_lookup", .cls = 19, .image = C512, .kind = HU_RECORD,
               .target = UNI, .mutate = m_root_subnode, .param = 1ll << 62, .op = hu_op_open,
               .arg = UNI_FILE, .expect = NTFS_ERR_CORRUPT_INDEX,
               .what = "the root's subnode VCN 2^62, found by a lookup"),
        HU_ROW(.name = "h19_subnode_not_in_bitmap", .cls = 19, .image = C512, .kind = HU_RECORD,
               .target = UNI, .mutate = m_root_bitmap_clear, .op = hu_op_list,
               .expect = NTFS_ERR_CORRUPT_INDEX, .what = "`$BITMAP:$I30` bit 0 cleared"),
        HU_ROW(.name = "h19_subnode_cycle_single_block", .cls = 19, .image = C512, .kind = HU_INDX,
               .target = UNI, .mutate = m_indx_self_cycle, .op = hu_op_list,
               .expect = NTFS_ERR_CORRUPT_INDEX,
               .what = "the END entry of block 0 gets subnode 0 (itself)"),
        HU_ROW(.name = "h19_subnode_vcn_units_small_block", .cls = 19, .image = C64K,
               .kind = HU_RECORD, .target = UNI, .mutate = m_root_subnode, .param = 1,
               .op = hu_op_list, .expect = NTFS_ERR_CORRUPT_INDEX,
               .what = "block < cluster, VCNs in 512-byte units: the root's subnode VCN 1 (not a "
                       "block boundary)"),
        HU_ROW(.name = "h19_subnode_vcn_units_small_block_next", .cls = 19, .image = C64K,
               .kind = HU_RECORD, .target = UNI, .mutate = m_root_subnode, .param = 8,
               .op = hu_op_list, .expect = NTFS_ERR_CORRUPT_INDEX,
               .what = "block < cluster: the root's subnode VCN 8 (block 1: not allocated)"),
        HU_ROW(.name = "h19_index_vcn_units_valid", .cls = 19, .run = h19_index_vcn_units_valid,
               .target = UNI, .op = hu_op_list, .expect = NTFS_OK,
               .what = "nothing: the 8 entries listed and `Привет.txt` read on c512, c64k and c2m "
                       "(VCNs in 512-byte units)"),
        HU_ROW(.name = "h19_index_depth_beyond_limit", .cls = 19,
               .run = h19_index_depth_beyond_limit, .image = C4K, .target = BIG, .op = hu_op_list,
               .expect = NTFS_ERR_LIMIT,
               .what = "root -> a chain of 31 INDX blocks (`OK`: 32 levels, "
                       "`NTFS_MAX_INDEX_DEPTH`), then one block more (list and lookup)"),
        HU_ROW(.name = "h19_index_subnode_cycle_deep_tree", .cls = 19,
               .run = h19_index_subnode_cycle_deep_tree, .image = C4K, .target = BIG,
               .op = hu_op_list, .expect = NTFS_ERR_CORRUPT_INDEX,
               .what = "root -> A -> B (`OK`), then B -> A: a block on its own ancestor path"),

        /* 20. index $BITMAP shorter than the allocation */
        HU_ROW(.name = "h20_index_bitmap_empty", .cls = 20, .image = C512, .kind = HU_RECORD,
               .target = UNI, .mutate = m_bitmap_len, .param = 0, .op = hu_op_list,
               .expect = NTFS_ERR_CORRUPT_INDEX, .what = "`$BITMAP:$I30` 0 bytes"),
        HU_ROW(.name = "h20_index_bitmap_shorter_than_allocation", .cls = 20, .image = C4K,
               .kind = HU_RECORD, .target = BIG, .mutate = m_bitmap_len, .param = 64,
               .op = hu_op_list, .expect = NTFS_ERR_CORRUPT_INDEX,
               .what = "`$BITMAP:$I30` 64 bytes (512 blocks) for 1000+ blocks"),

        /* 26-29. sizes, loops, offsets, failing entries */
        HU_ROW(.name = "h26_index_allocation_size_huge", .cls = 26, .image = C512,
               .kind = HU_RECORD, .target = UNI, .mutate = m_sizes,
               .param = P(OD_AT_INDEX_ALLOCATION, 40), .op = hu_op_list,
               .expect = NTFS_ERR_CORRUPT_INDEX, .what = "`$INDEX_ALLOCATION` sizes 1 TiB"),
        HU_ROW(.name = "h27_dir_walk_terminates_on_cycle", .cls = 27,
               .run = h27_dir_walk_terminates_on_cycle, .image = C512, .kind = HU_INDX,
               .target = UNI, .mutate = m_indx_self_cycle, .op = hu_op_list,
               .expect = NTFS_ERR_CORRUPT_INDEX,
               .what = "block 0 its own subnode: 8 entries, then the error 101 times"),
        HU_ROW(.name = "h28_readdir_offsets_resumable", .cls = 28,
               .run = h28_readdir_offsets_resumable, .image = C4K, .target = BIG, .op = hu_op_list,
               .expect = NTFS_OK,
               .what = "nothing: 20,000 entries listed twice (the same sequence), then re-opened "
                       "and "
                       "N skipped for N = 0, 1, 407, 408, 5000, 10001, 19936, 19999, 20000: the "
                       "next "
                       "64 entries are entries N.."),
        HU_ROW(.name = "h29_dir_next_failing_entry_no_loop", .cls = 29,
               .run = h29_dir_next_failing_entry_no_loop, .image = C512, .kind = HU_INDX,
               .target = UNI, .mutate = m_indx_entry, .param = P(ENTRY(3, OD_IE_LENGTH), 0),
               .op = hu_op_list, .expect = NTFS_ERR_CORRUPT_INDEX,
               .what = "entry 3: length 0: 3 entries, then the error 1,001 times"),
};

int main(void)
{
	return hu_main("hardening_index", cases, sizeof cases / sizeof cases[0]);
}
