/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Index B+trees: directories ($I30) and the view indexes of $Secure,
 * $ObjId, $Reparse and $Quota are one structure with different keys.
 *
 * The root node lives in $INDEX_ROOT, the other nodes in fixed-size blocks
 * of $INDEX_ALLOCATION whose use is recorded in $BITMAP. An entry with a
 * subnode points at the block holding the keys that sort before it.
 *
 * The walk uses an explicit stack of at most NTFS_MAX_INDEX_DEPTH levels and
 * up to two block buffers: the node being read and the one read before it,
 * which after a descent is its parent, so climbing back from a leaf costs
 * no read; a block further up is read again when the walk climbs back to
 * it. The second buffer is taken when a second block is first loaded. A
 * walk may enter at most "blocks in the allocation"
 * subnodes, so a
 * cycle ends in linear time; and keys must come out in strictly increasing
 * order (a seek: inside the bounds of the subtree it enters), so a subnode
 * pointer aimed at the wrong block is caught rather than listed.
 */
#include "index.h"

#include "collate.h"
#include "file.h"
#include "filename.h"
#include "fixup.h"
#include "io.h"
#include "stream.h"
#include "volume.h"

#define IR_TYPE 0
#define IR_COLLATION 4
#define IR_BLOCK_SIZE 8
#define IR_NODE 16
#define NH_ENTRIES_OFF 0
#define NH_INDEX_LEN 4
#define NH_ALLOC 8
#define NH_SIZE 16
#define INDX_MAGIC 0x58444E49u /* "INDX" */
#define INDX_VCN 16
#define INDX_NODE 24
#define IE_REF 0
#define IE_DATA_OFF 0 /* view indexes: the data part instead of a reference */
#define IE_DATA_LEN 2
#define IE_LENGTH 8
#define IE_KEY_LEN 10
#define IE_FLAGS 12
#define IE_KEY 16

#define NO_POS UINT32_MAX

/* A position: the entry's offset in its node (8-aligned, below 64 KiB) in
 * the low 13 bits, the node (0 the root, else its VCN + 1) above. */
#define COOKIE_POS_BITS 13u
#define COOKIE_NODE_MAX (UINT64_MAX >> COOKIE_POS_BITS)
#define NO_COOKIE UINT64_MAX

const struct ntfsi_index_kind ntfsi_index_i30 = {
        .name = {'$', 'I', '3', '0'},
        .name_len = 4,
        .type = NTFS_AT_FILE_NAME,
        .collation = NTFSI_COLLATION_FILE_NAME,
        .collate = ntfsi_collate_file_name,
        .key_min = NTFSI_FILENAME_HEADER,
        .key_max = NTFSI_FILENAME_MAX,
        .exact = true,
};
_Static_assert(NTFSI_FILENAME_MAX == NTFSI_INDEX_KEY_MAX, "$I30 has the largest keys");
_Static_assert(NTFSI_INDEX_ROOT + 1 == 0, "cookie_of() takes the root for node 0");

/* Check a node header; @avail bytes follow it in the buffer. Returns the
 * number of bytes of entries (index length), or 0 if invalid. */
static uint32_t node_check(const uint8_t *node, uint32_t avail)
{
	uint32_t first = ntfsi_le32(node + NH_ENTRIES_OFF);
	uint32_t used = ntfsi_le32(node + NH_INDEX_LEN);
	uint32_t alloc = ntfsi_le32(node + NH_ALLOC);

	if (first < NH_SIZE || (first & 7) != 0 || used > alloc || alloc > avail ||
	    !ntfsi_range_ok(used, first, IE_KEY))
		return 0;
	return used;
}

int ntfsi_index_open(ntfs_file *file, const struct ntfsi_index_kind *kind, struct ntfsi_index *idx)
{
	ntfs_volume *vol = file->vol;
	const uint16_t *name = kind->name;
	const uint8_t nlen = kind->name_len;
	struct ntfsi_attr a;
	uint32_t bsize;
	int err;

	ntfsi_bytes_zero(idx, sizeof *idx);
	idx->kind = kind;
	idx->file = file;
	idx->vol = vol;
	err = ntfsi_file_find_attr(file, NTFS_AT_INDEX_ROOT, name, nlen, &a);
	if (err)
		return err;
	if (!a.resident || a.value_len < IR_NODE + NH_SIZE + IE_KEY)
		return NTFS_ERR_CORRUPT_INDEX;
	if (ntfsi_le32(a.value + IR_TYPE) != kind->type ||
	    ntfsi_le32(a.value + IR_COLLATION) != kind->collation)
		return NTFS_ERR_CORRUPT_INDEX;
	if (node_check(a.value + IR_NODE, a.value_len - IR_NODE) == 0)
		return NTFS_ERR_CORRUPT_INDEX;
	bsize = ntfsi_le32(a.value + IR_BLOCK_SIZE);
	if (bsize != vol->boot.index_block_size)
		return NTFS_ERR_CORRUPT_INDEX;
	idx->block_size = bsize;
	/* Subnode VCNs count clusters when a block spans at least a cluster,
	 * else 512-byte units. */
	idx->vcn_shift = bsize >= vol->boot.cluster_size ? vol->boot.cluster_shift : 9;
	idx->root = ntfsi_io_alloc(vol, a.value_len);
	if (idx->root == NULL)
		return NTFS_ERR_NOMEM;
	idx->root_len = a.value_len;
	ntfsi_bytes_copy(idx->root, a.value, a.value_len);

	err = ntfsi_stream_open(file, NTFS_AT_INDEX_ALLOCATION, name, nlen, &idx->alloc);
	if (err == NTFS_ERR_NOT_FOUND) {
		idx->alloc = NULL;
		err = NTFS_OK;
	} else if (err == NTFS_OK) {
		idx->blocks =
		        ntfsi_bytes_shr(ntfs_stream_size(idx->alloc), vol->boot.index_block_shift);
		if (ntfsi_stream_resident(idx->alloc))
			err = NTFS_ERR_CORRUPT_INDEX;
		if (!err)
			err = ntfsi_stream_need(file, NTFS_AT_BITMAP, name, nlen,
			                        NTFS_ERR_CORRUPT_INDEX, &idx->bitmap);
		/* The bitmap must describe every block of the allocation. */
		if (!err && ntfs_stream_size(idx->bitmap) < (idx->blocks + 7) / 8)
			err = NTFS_ERR_CORRUPT_INDEX;
		if (!err) {
			idx->block = ntfsi_io_alloc(vol, bsize);
			if (idx->block == NULL)
				err = NTFS_ERR_NOMEM;
		}
	}
	if (err) {
		ntfsi_index_close(idx);
		return err;
	}
	ntfsi_index_rewind(idx);
	return NTFS_OK;
}

void ntfsi_index_close(struct ntfsi_index *idx)
{
	ntfsi_io_free(idx->vol, idx->root, idx->root_len);
	ntfsi_io_free(idx->vol, idx->block, idx->block_size);
	ntfsi_io_free(idx->vol, idx->spare, idx->block_size);
	ntfs_stream_close(idx->alloc);
	ntfs_stream_close(idx->bitmap);
	idx->root = idx->block = idx->spare = NULL;
	idx->alloc = idx->bitmap = NULL;
}

void ntfsi_index_rewind(struct ntfsi_index *idx)
{
	idx->depth = 1;
	idx->stack[0].vcn = NTFSI_INDEX_ROOT;
	idx->stack[0].pos = NO_POS;
	idx->stack[0].descended = false;
	idx->visits = 0;
	idx->block_vcn = UINT64_MAX;
	idx->spare_vcn = UINT64_MAX;
	idx->bitmap_win_off = UINT64_MAX;
	idx->bitmap_win_len = 0;
	idx->err = NTFS_OK;
	idx->last = 0;
	idx->have_prev = false;
}

static int bitmap_test(struct ntfsi_index *idx, uint64_t block)
{
	uint64_t byte = block >> 3;
	if (byte < idx->bitmap_win_off || byte - idx->bitmap_win_off >= idx->bitmap_win_len) {
		size_t got;
		uint64_t off = byte & ~(uint64_t)(sizeof idx->bitmap_win - 1);
		int err = ntfs_stream_read(idx->bitmap, off, idx->bitmap_win,
		                           sizeof idx->bitmap_win, &got);
		if (err)
			return err;
		idx->bitmap_win_off = off;
		idx->bitmap_win_len = (uint32_t)got;
		if (byte - off >= got)
			return NTFS_ERR_CORRUPT_INDEX;
	}
	return (idx->bitmap_win[byte - idx->bitmap_win_off] >> (block & 7)) & 1;
}

static int load_block(struct ntfsi_index *idx, uint64_t vcn)
{
	const uint8_t shift = idx->vol->boot.index_block_shift;
	unsigned per;
	uint64_t off, block;
	size_t got;
	uint8_t *t, *b;
	int err;

	if (idx->block_vcn == vcn)
		return NTFS_OK;
	/* The spare is taken when a second block is first needed: an index
	 * whose tree is one block deep never costs it. */
	if (idx->spare == NULL && idx->block_vcn != UINT64_MAX) {
		idx->spare = ntfsi_io_alloc(idx->vol, idx->block_size);
		if (idx->spare == NULL)
			return NTFS_ERR_NOMEM;
		idx->spare_vcn = UINT64_MAX;
	}
	/* Swap the buffers: either the wanted block is the spare one (checked
	 * when it was loaded; the volume is read-only), or the current block
	 * becomes the spare and the wanted one is read over the old spare. */
	if (idx->spare != NULL) {
		t = idx->spare;
		idx->spare = idx->block;
		idx->block = t;
		off = idx->spare_vcn;
		idx->spare_vcn = idx->block_vcn;
		idx->block_vcn = off;
		if (idx->block_vcn == vcn)
			return NTFS_OK;
	}
	idx->block_vcn = UINT64_MAX;
	/* A block holds 2^per VCNs (a block is at least a VCN's unit); it
	 * lies inside the allocation, at a byte offset below 2^63 like every
	 * offset the core computes from a VCN (a forged size may be larger):
	 * block < 2^(63 - shift), tested on its high word. */
	NTFSI_ASSERT(shift >= idx->vcn_shift && shift < 32);
	per = shift - idx->vcn_shift;
	block = ntfsi_bytes_shr(vcn, per);
	if ((vcn & ((1u << per) - 1)) != 0 || block >= idx->blocks ||
	    (uint32_t)(block >> 32) >> (31u - shift) != 0)
		return NTFS_ERR_CORRUPT_INDEX;
	off = ntfsi_bytes_shl(block, shift);
	err = bitmap_test(idx, block);
	if (err <= 0)
		return err < 0 ? err : NTFS_ERR_CORRUPT_INDEX;
	/* The previous key must outlive the block it lies in. */
	b = idx->block;
	if (idx->have_prev && idx->prev_buf == b) {
		ntfsi_bytes_copy(idx->prev, b + idx->prev_off, idx->prev_len);
		idx->prev_buf = idx->prev;
		idx->prev_off = 0;
	}
	err = ntfs_stream_read(idx->alloc, off, b, idx->block_size, &got);
	if (err)
		return err;
	if (got != idx->block_size || ntfsi_le32(b) != INDX_MAGIC)
		return NTFS_ERR_CORRUPT_INDEX;
	err = ntfsi_fixup_apply(b, idx->block_size);
	if (err)
		return err;
	if (ntfsi_le64(b + INDX_VCN) != vcn ||
	    node_check(b + INDX_NODE, idx->block_size - INDX_NODE) == 0)
		return NTFS_ERR_CORRUPT_INDEX;
	idx->block_vcn = vcn;
	return NTFS_OK;
}

/* The node of a stack level; resolves a level's "first entry" position. */
static int level_node(struct ntfsi_index *idx, struct ntfsi_index_level *lv, const uint8_t **node,
                      uint32_t *used)
{
	int err;

	if (lv->vcn == NTFSI_INDEX_ROOT) {
		*node = idx->root + IR_NODE;
	} else {
		if (idx->alloc == NULL)
			return NTFS_ERR_CORRUPT_INDEX;
		err = load_block(idx, lv->vcn);
		if (err)
			return err;
		*node = idx->block + INDX_NODE;
	}
	*used = ntfsi_le32(*node + NH_INDEX_LEN); /* checked by node_check() */
	if (lv->pos == NO_POS)
		lv->pos = ntfsi_le32(*node + NH_ENTRIES_OFF);
	return NTFS_OK;
}

/* Validate the key (and a view index's data) of a non-end entry. */
static bool key_ok(const struct ntfsi_index_kind *k, const struct ntfsi_index_entry *e,
                   const uint8_t *p, uint32_t room)
{
	if (e->key_len < k->key_min || e->key_len > k->key_max)
		return false;
	if (k->type == NTFS_AT_FILE_NAME)
		return ntfsi_filename_check(e->key, e->key_len) == NTFS_OK;
	/* A view index's data follows the key, inside the entry. */
	return e->data_len == 0 ||
	       (ntfsi_le16(p + IE_DATA_OFF) >= IE_KEY + e->key_len &&
	        ntfsi_range_ok(IE_KEY + room, ntfsi_le16(p + IE_DATA_OFF), e->data_len));
}

static int entry_at(const struct ntfsi_index *idx, const uint8_t *node, uint32_t used, uint32_t pos,
                    struct ntfsi_index_entry *e)
{
	const uint8_t *p;
	uint32_t room;

	if (!ntfsi_range_ok(used, pos, IE_KEY))
		return NTFS_ERR_CORRUPT_INDEX;
	p = node + pos;
	e->ref = ntfsi_le64(p + IE_REF);
	e->length = ntfsi_le16(p + IE_LENGTH);
	e->key_len = ntfsi_le16(p + IE_KEY_LEN);
	e->flags = ntfsi_le16(p + IE_FLAGS);
	if (e->length < IE_KEY || (e->length & 7) != 0 || !ntfsi_range_ok(used, pos, e->length))
		return NTFS_ERR_CORRUPT_INDEX;
	room = e->length - IE_KEY;
	if (e->flags & NTFSI_INDEX_ENTRY_HAS_SUB) {
		if (room < 8)
			return NTFS_ERR_CORRUPT_INDEX;
		room -= 8;
		e->subnode_vcn = ntfsi_le64(p + e->length - 8);
	}
	if (e->key_len > room)
		return NTFS_ERR_CORRUPT_INDEX;
	e->key = p + IE_KEY;
	e->data = NULL;
	e->data_len = 0;
	if (e->flags & NTFSI_INDEX_ENTRY_END)
		return NTFS_OK;
	if (idx->kind->type == 0)
		e->data_len = ntfsi_le16(p + IE_DATA_LEN);
	if (!key_ok(idx->kind, e, p, room))
		return NTFS_ERR_CORRUPT_INDEX;
	if (e->data_len != 0)
		e->data = p + ntfsi_le16(p + IE_DATA_OFF);
	return NTFS_OK;
}

/* Enter the subnode of the current entry of the top level. */
static int descend(struct ntfsi_index *idx, const struct ntfsi_index_entry *e)
{
	struct ntfsi_index_level *lv;

	if (idx->alloc == NULL)
		return NTFS_ERR_CORRUPT_INDEX;
	if (idx->depth == NTFS_MAX_INDEX_DEPTH)
		return NTFS_ERR_LIMIT;
	if (++idx->visits > idx->blocks)
		return NTFS_ERR_CORRUPT_INDEX;
	/* A block that is its own ancestor is a cycle, whatever the depth. */
	for (uint32_t i = 1; i < idx->depth; i++)
		if (idx->stack[i].vcn == e->subnode_vcn)
			return NTFS_ERR_CORRUPT_INDEX;
	idx->stack[idx->depth - 1].descended = true;
	lv = &idx->stack[idx->depth++];
	lv->vcn = e->subnode_vcn;
	lv->pos = NO_POS;
	lv->descended = false;
	return NTFS_OK;
}

/* Order of two keys of this index, case ties broken. */
static int order(const struct ntfsi_index *idx, const uint8_t *a, uint32_t alen, const uint8_t *b,
                 uint32_t blen)
{
	return idx->kind->collate(&idx->vol->upcase, idx->kind->exact, a, alen, b, blen);
}

/* Whether @key sorts after the previous entry's key (true when none). */
static bool after_prev(const struct ntfsi_index *idx, const uint8_t *key, uint32_t key_len)
{
	return !idx->have_prev ||
	       order(idx, key, key_len, idx->prev_buf + idx->prev_off, idx->prev_len) > 0;
}

/* Check that @e, an entry of level @lv's node, sorts after the previous
 * entry, and make it the previous: where it lies, not copied. */
static int remember(struct ntfsi_index *idx, const struct ntfsi_index_level *lv,
                    const struct ntfsi_index_entry *e)
{
	const uint8_t *buf = lv->vcn == NTFSI_INDEX_ROOT ? idx->root : idx->block;

	if (!after_prev(idx, e->key, e->key_len))
		return NTFS_ERR_CORRUPT_INDEX;
	NTFSI_ASSERT(e->key_len <= sizeof idx->prev);
	idx->prev_buf = buf;
	idx->prev_off = (uint32_t)(e->key - buf);
	idx->prev_len = e->key_len;
	idx->have_prev = true;
	return NTFS_OK;
}

static uint64_t cookie_of(const struct ntfsi_index_level *lv)
{
	/* NTFSI_INDEX_ROOT is UINT64_MAX: the root is node 0. */
	const uint64_t node = lv->vcn + 1;

	return node > COOKIE_NODE_MAX ? NO_COOKIE : node << COOKIE_POS_BITS | lv->pos >> 3;
}

static int index_step(struct ntfsi_index *idx, struct ntfsi_index_entry *e)
{
	for (;;) {
		struct ntfsi_index_level *lv;
		const uint8_t *node;
		uint32_t used;
		int err;

		if (idx->depth == 0)
			return 0;
		lv = &idx->stack[idx->depth - 1];
		err = level_node(idx, lv, &node, &used);
		if (!err)
			err = entry_at(idx, node, used, lv->pos, e);
		if (err)
			return err;
		if ((e->flags & NTFSI_INDEX_ENTRY_HAS_SUB) && !lv->descended) {
			err = descend(idx, e);
			if (err)
				return err;
			continue;
		}
		if (e->flags & NTFSI_INDEX_ENTRY_END) {
			idx->depth--;
			continue;
		}
		err = remember(idx, lv, e);
		if (err)
			return err;
		idx->last = cookie_of(lv);
		lv->pos += e->length;
		lv->descended = false;
		return 1;
	}
}

int ntfsi_index_next(struct ntfsi_index *idx, struct ntfsi_index_entry *e)
{
	int r;

	if (idx->err)
		return idx->err;
	r = index_step(idx, e);
	if (r < 0)
		idx->err = r;
	return r;
}

/*
 * Descend from the root towards @key. A seek stops at the first entry not
 * less than the key, through the collation without the case tie-break,
 * leaving it next. A resume (@resume) stops at the entry equal to the key
 * through the full order and returns 1 with the walk on it. The keys of the
 * subtree being entered must lie strictly between lo (the entry before the
 * one descended through: the index's prev) and hi (that entry).
 */
static int walk_to(struct ntfsi_index *idx, const uint8_t *key, uint32_t key_len, bool resume)
{
	const bool exact = resume && idx->kind->exact;
	uint8_t hi[NTFSI_INDEX_KEY_MAX];
	uint16_t hi_len = 0;
	bool has_hi = false;

	ntfsi_index_rewind(idx);
	for (;;) {
		struct ntfsi_index_level *lv = &idx->stack[idx->depth - 1];
		struct ntfsi_index_entry e;
		const uint8_t *node;
		uint32_t used;
		int c, err = level_node(idx, lv, &node, &used);

		/* Entries are at least IE_KEY bytes, so this scan ends. */
		while (err == NTFS_OK &&
		       (err = entry_at(idx, node, used, lv->pos, &e)) == NTFS_OK) {
			if (e.flags & NTFSI_INDEX_ENTRY_END)
				break;
			if (!after_prev(idx, e.key, e.key_len) ||
			    (has_hi && order(idx, e.key, e.key_len, hi, hi_len) >= 0)) {
				err = NTFS_ERR_CORRUPT_INDEX;
				break;
			}
			c = idx->kind->collate(&idx->vol->upcase, exact, e.key, e.key_len, key,
			                       key_len);
			if (resume && c == 0) {
				lv->descended = true; /* its subtree holds the keys before it */
				return 1;
			}
			if (c > 0 || (c == 0 && !resume)) {
				ntfsi_bytes_copy(hi, e.key, e.key_len);
				hi_len = e.key_len;
				has_hi = true;
				break;
			}
			err = remember(idx, lv, &e);
			lv->pos += e.length;
		}
		if (err == NTFS_OK && (e.flags & NTFSI_INDEX_ENTRY_HAS_SUB))
			err = descend(idx, &e);
		else if (err == NTFS_OK)
			break;
		if (err) {
			idx->err = err;
			return err;
		}
	}
	/* The walk goes on from the lower bound: no entry before it counts. */
	idx->have_prev = false;
	return 0;
}

int ntfsi_index_seek(struct ntfsi_index *idx, const uint8_t *key, uint32_t key_len)
{
	int r = walk_to(idx, key, key_len, false);
	return r < 0 ? r : NTFS_OK;
}

int ntfsi_index_tell(const struct ntfsi_index *idx, uint64_t *cookie)
{
	if (idx->last == NO_COOKIE)
		return NTFS_ERR_LIMIT;
	*cookie = idx->last;
	return NTFS_OK;
}

int ntfsi_index_resume(struct ntfsi_index *idx, uint64_t cookie)
{
	struct ntfsi_index_level at;
	struct ntfsi_index_entry e;
	uint8_t key[NTFSI_INDEX_KEY_MAX];
	const uint8_t *node;
	uint32_t used;
	uint16_t key_len;
	int err;

	ntfsi_index_rewind(idx);
	if (cookie == 0)
		return NTFS_OK;
	if (cookie == NO_COOKIE)
		return NTFS_ERR_INVALID;
	/* The entry the cookie names, read where it says it is. */
	at.vcn = (cookie >> COOKIE_POS_BITS) - 1; /* node 0: NTFSI_INDEX_ROOT */
	at.pos = (uint32_t)(cookie & ((1u << COOKIE_POS_BITS) - 1)) << 3;
	at.descended = false;
	err = level_node(idx, &at, &node, &used);
	if (!err)
		err = entry_at(idx, node, used, at.pos, &e);
	if (!err && (e.flags & NTFSI_INDEX_ENTRY_END))
		err = NTFS_ERR_INVALID;
	if (err)
		return err == NTFS_ERR_CORRUPT_INDEX ? NTFS_ERR_INVALID : err;
	key_len = e.key_len;
	ntfsi_bytes_copy(key, e.key, key_len);
	/* The walk from the root must arrive at that same place. */
	err = walk_to(idx, key, key_len, true);
	if (err < 0)
		return err;
	if (err == 1) {
		struct ntfsi_index_level *lv = &idx->stack[idx->depth - 1];
		if (cookie_of(lv) == cookie) {
			err = level_node(idx, lv, &node, &used);
			if (!err)
				err = entry_at(idx, node, used, lv->pos, &e);
			if (!err)
				err = remember(idx, lv, &e);
			if (err)
				return idx->err = err;
			idx->last = cookie;
			lv->pos += e.length;
			lv->descended = false;
			return NTFS_OK;
		}
	}
	ntfsi_index_rewind(idx);
	return NTFS_ERR_INVALID;
}
