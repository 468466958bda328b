/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The $I30 B+tree: lookups read O(depth) blocks, not the whole directory;
 * and damaged index blocks, index roots and $I30 bitmaps give exact error
 * codes. The bytes to damage are located with the runs ntfsinfo -v showed
 * (the image's .ref file, written by make-refs.py) and the NTFS on-disk
 * layout; the expected codes come from the API's contract.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <ntfs/ntfs.h>

#include "image.h"
#include "memdev.h"

static uint64_t ld(const uint8_t *p, int n)
{
	uint64_t v = 0;
	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void st(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

/* A directory of an image, located on disk. */
struct loc {
	struct timage img;
	const char *dir;
	uint64_t ino;
	uint32_t cluster, bsize, rsize;
	struct tref ref;
	const struct tref_record *dirx;  /* the directory's record */
	const struct xattr *mft, *alloc; /* $MFT's $DATA, the directory's $I30 */
};

/* Pointer into the image for byte @off of a non-resident attribute. */
static uint8_t *attr_byte(const struct loc *L, const struct xattr *x, uint64_t off)
{
	uint64_t vcn = off / L->cluster;

	for (size_t i = 0; i < x->nruns; i++) {
		const struct xrun *r = &x->runs[i];
		if (vcn >= r->vcn && vcn < r->vcn + r->len) {
			uint64_t pos = (r->lcn + vcn - r->vcn) * L->cluster + off % L->cluster;
			if (r->lcn == NTFS_LCN_HOLE || pos >= L->img.size)
				fail_msg("offset %llu is not on disk", (unsigned long long)off);
			return L->img.data + pos;
		}
	}
	fail_msg("offset %llu is past the runs", (unsigned long long)off);
	return NULL;
}

static void loc_open(struct loc *L, const char *image, const char *dir)
{
	const struct tref_dir *d;

	memset(L, 0, sizeof *L);
	timage_open(&L->img, image);
	tref_load(&L->ref, image);
	L->dir = dir;
	/* Geometry from the boot sector (NTFS layout). */
	L->cluster = (uint32_t)(ld(L->img.data + 0x0B, 2) *
	                        (L->img.data[0x0D] <= 0x80 ? L->img.data[0x0D]
	                                                   : 1u << (256 - L->img.data[0x0D])));
	L->rsize = (int8_t)L->img.data[0x40] > 0 ? L->img.data[0x40] * L->cluster
	                                         : 1u << -(int8_t)L->img.data[0x40];
	L->bsize = (int8_t)L->img.data[0x44] > 0 ? L->img.data[0x44] * L->cluster
	                                         : 1u << -(int8_t)L->img.data[0x44];
	/* The directory's record, as ntfsls listed it. */
	d = tref_dir(&L->ref, dir);
	if (d == NULL)
		fail_msg("%s: ntfsls listed no directory %s", image, dir);
	L->ino = d->ino;
	L->mft = xattr_find(tref_record(&L->ref, 0), NTFS_AT_DATA, "");
	assert_non_null(L->mft);
	L->dirx = tref_record(&L->ref, L->ino);
	L->alloc = xattr_find(L->dirx, NTFS_AT_INDEX_ALLOCATION, "$I30");
	if (L->alloc == NULL)
		fail_msg("%s:%s has no $I30 allocation", image, dir);
}

static void loc_close(struct loc *L)
{
	tref_free(&L->ref);
	timage_close(&L->img);
}

static uint64_t blocks_of(const struct loc *L)
{
	return L->alloc->size / L->bsize;
}

/* VCN of index block @k (clusters, or 512-byte units if a block is
 * smaller than a cluster). */
static uint64_t block_vcn(const struct loc *L, uint64_t k)
{
	return L->bsize >= L->cluster ? k * (L->bsize / L->cluster) : k * (L->bsize / 512);
}

/* Copy of index block @k with the update sequence undone (NTFS layout). */
static bool block_copy(const struct loc *L, uint64_t k, uint8_t *buf)
{
	uint32_t usa, cnt;

	for (uint32_t i = 0; i < L->bsize; i++)
		buf[i] = *attr_byte(L, L->alloc, k * L->bsize + i);
	if (memcmp(buf, "INDX", 4) != 0 || ld(buf + 16, 8) != block_vcn(L, k))
		return false; /* not in use */
	usa = (uint32_t)ld(buf + 4, 2);
	cnt = (uint32_t)ld(buf + 6, 2);
	for (uint32_t i = 1; i < cnt; i++)
		memcpy(buf + i * 512 - 2, buf + usa + 2 * i, 2);
	return true;
}

static uint8_t *block_byte(const struct loc *L, uint64_t k, uint32_t off)
{
	assert_true(off % 512 < 510); /* bytes under the fixups are elsewhere */
	return attr_byte(L, L->alloc, k * L->bsize + off);
}

/* Record @rec's byte @off on disk, wherever the fixups keep it. */
static uint8_t *record_byte(const struct loc *L, uint64_t rec, uint32_t off)
{
	const struct xattr *mft = L->mft;
	uint64_t base = rec * L->rsize;

	if (off % 512 >= 510) {
		uint32_t usa = (uint32_t)ld(attr_byte(L, mft, base + 4), 1) |
		               (uint32_t)ld(attr_byte(L, mft, base + 5), 1) << 8;
		off = usa + 2 * (off / 512 + 1) + off % 512 - 510;
	}
	return attr_byte(L, mft, base + off);
}

/* Offset in record @rec of the value of resident attribute @type "$I30". */
static uint32_t resident_value(const struct loc *L, uint64_t rec, uint32_t type)
{
	uint8_t *r = malloc(L->rsize);
	uint32_t off, result = 0;

	assert_non_null(r);
	for (uint32_t i = 0; i < L->rsize; i++)
		r[i] = *record_byte(L, rec, i);
	assert_memory_equal(r, "FILE", 4);
	for (off = (uint32_t)ld(r + 0x14, 2); off + 16 < L->rsize;) {
		uint32_t t = (uint32_t)ld(r + off, 4), len = (uint32_t)ld(r + off + 4, 4);
		if (t == 0xFFFFFFFFu || len == 0)
			break;
		if (t == type && r[off + 8] == 0 && r[off + 9] == 4 &&
		    memcmp(r + off + ld(r + off + 10, 2), "$\0I\0003\0000\0", 8) == 0) {
			result = off + (uint32_t)ld(r + off + 20, 2);
			break;
		}
		off += len;
	}
	free(r);
	if (result == 0)
		fail_msg("record %llu has no resident 0x%x $I30", (unsigned long long)rec, type);
	return result;
}

/* Mount the (damaged) image and open the directory. */
struct mounted {
	struct memdev dev;
	struct memalloc ma;
	ntfs_volume *vol;
	ntfs_file *dir;
};

static void mount_dir(const struct loc *L, struct mounted *m)
{
	int err = timage_mount(&L->img, 512, &m->dev, &m->ma, &m->vol);

	if (err)
		fail_msg("mount: %s", ntfs_strerror(err));
	assert_int_equal(ntfs_file_open(m->vol, L->ino, &m->dir), NTFS_OK);
}

static void unmount_dir(struct mounted *m)
{
	ntfs_file_close(m->dir);
	timage_unmount(m->vol, &m->ma);
}

/* List everything; return the first error (0 if none). The error must be
 * sticky. */
static int list_err(ntfs_file *dir, size_t *count)
{
	struct ntfs_dirent d;
	ntfs_dir *c;
	int r, err = ntfs_dir_open(dir, NTFS_DIR_DOS_NAMES, &c);

	*count = 0;
	if (err)
		return err;
	while ((r = ntfs_dir_next(c, &d)) == 1)
		(*count)++;
	if (r < 0) {
		assert_int_equal(ntfs_dir_next(c, &d), r);
		assert_int_equal(ntfs_dir_next(c, &d), r);
	}
	ntfs_dir_close(c);
	return r;
}

/* ---- reads per lookup ---------------------------------------------------- */

static void test_lookup_reads(void **state)
{
	struct loc L;
	struct mounted m;
	const struct tref_entry *ls;
	struct ntfs_dirent d;
	uint64_t total = 0, worst = 0, list_reads;
	size_t n, count;

	(void)state;
	loc_open(&L, "ntfs-c4k", "/big");
	/* Every name ntfsls listed. */
	ls = tref_dir(&L.ref, "/big")->e;
	n = tref_dir(&L.ref, "/big")->n;
	assert_int_equal(n, 20000);
	mount_dir(&L, &m);
	/* Warm: the directory's record is in memory. */
	assert_int_equal(ntfs_dir_lookup(m.dir, ls[0].name, strlen(ls[0].name), &d), NTFS_OK);
	for (size_t i = 0; i < n; i++) {
		uint64_t before = m.dev.reads, used;
		int err = ntfs_dir_lookup(m.dir, ls[i].name, strlen(ls[i].name), &d);
		if (err)
			fail_msg("lookup '%s': %s", ls[i].name, ntfs_strerror(err));
		if (NTFS_REF_RECORD(d.ref) != ls[i].ino || strcmp(d.name, ls[i].name) != 0)
			fail_msg("lookup '%s' found '%s' (record %llu, ntfsls %llu)", ls[i].name,
			         d.name, (unsigned long long)NTFS_REF_RECORD(d.ref),
			         (unsigned long long)ls[i].ino);
		used = m.dev.reads - before;
		total += used;
		if (used > worst)
			worst = used;
		if (used > 8)
			fail_msg("lookup '%s' took %llu reads (index of %llu blocks)", ls[i].name,
			         (unsigned long long)used, (unsigned long long)blocks_of(&L));
	}
	/* A whole listing reads each block about once: climbing back from a
	 * leaf finds its parent in the walk's second buffer (with one buffer
	 * it was about twice). The rest: bitmap windows, upper levels. */
	list_reads = m.dev.reads;
	assert_int_equal(list_err(m.dir, &count), 0);
	list_reads = m.dev.reads - list_reads;
	assert_int_equal(count, 20000);
	print_message("  /big: %llu blocks; lookups: %.2f reads on average, %llu at most; "
	              "listing: %llu reads\n",
	              (unsigned long long)blocks_of(&L), (double)total / (double)n,
	              (unsigned long long)worst, (unsigned long long)list_reads);
	assert_true(list_reads <= blocks_of(&L) + blocks_of(&L) / 8 + 16);
	unmount_dir(&m);
	loc_close(&L);
}

/* ---- damage --------------------------------------------------------------- */

/* The first in-use block (leaf if @leaf, else with children), its copy and
 * the name of its first entry. */
static uint64_t pick_block(const struct loc *L, bool leaf, uint8_t *copy, char *name, size_t size)
{
	for (uint64_t k = 0; k < blocks_of(L); k++) {
		uint32_t first;
		uint16_t u[255];
		if (!block_copy(L, k, copy))
			continue;
		if (((copy[24 + 12] & 1) == 0) != leaf)
			continue;
		first = 24 + (uint32_t)ld(copy + 24, 4);
		if (ld(copy + first + 12, 2) & 2)
			continue; /* empty node */
		for (int i = 0; i < copy[first + 16 + 64]; i++)
			u[i] = (uint16_t)ld(copy + first + 16 + 66 + 2 * i, 2);
		assert_true(utf16_to_8(u, copy[first + 16 + 64], name, size) > 0);
		return k;
	}
	fail_msg("%s:%s: no %s block", L->img.name, L->dir, leaf ? "leaf" : "internal");
	return 0;
}

enum damage {
	D_MAGIC,
	D_VCN,
	D_ENTRY_LEN0,
	D_ENTRY_LEN_ODD,
	D_KEY_LEN,
	D_INDEX_LEN,
	D_ENTRIES_OFF,
	D_FIXUP,
	D_BITMAP,
	D_SUBNODE_RANGE,
	D_SUBNODE_SELF,
	D_SUBNODE_SHARED,
	D_ROOT_COLLATION,
	D_ROOT_BLOCK_SIZE,
	D_ROOT_TYPE,
	D_COUNT
};

static const char *const damage_names[] = {
        "INDX magic",
        "block VCN field",
        "entry length 0",
        "entry length not 8-aligned",
        "key length > entry",
        "index length > allocated",
        "entries offset unaligned",
        "update sequence",
        "$I30 $BITMAP bit clear",
        "subnode VCN past the allocation",
        "subnode VCN to its own block",
        "subnode VCN to a sibling's block",
        "root collation rule",
        "root index block size",
        "root indexed attribute type",
};

static void apply(const struct loc *L, enum damage dmg, char *name, size_t size)
{
	uint8_t *copy = malloc(L->bsize);
	uint64_t k;
	uint32_t first, off;

	assert_non_null(copy);
	k = pick_block(L,
	               dmg != D_SUBNODE_SELF && dmg != D_SUBNODE_RANGE && dmg != D_SUBNODE_SHARED,
	               copy, name, size);
	first = 24 + (uint32_t)ld(copy + 24, 4);
	switch (dmg) {
	case D_MAGIC:
		*block_byte(L, k, 0) = 'X';
		break;
	case D_VCN:
		st(block_byte(L, k, 16), block_vcn(L, k + 1), 8);
		break;
	case D_ENTRY_LEN0:
		st(block_byte(L, k, first + 8), 0, 2);
		break;
	case D_ENTRY_LEN_ODD:
		st(block_byte(L, k, first + 8), ld(copy + first + 8, 2) - 4, 2);
		break;
	case D_KEY_LEN:
		st(block_byte(L, k, first + 10), ld(copy + first + 8, 2), 2);
		break;
	case D_INDEX_LEN:
		st(block_byte(L, k, 24 + 4), ld(copy + 24 + 8, 4) + 8, 4);
		break;
	case D_ENTRIES_OFF:
		st(block_byte(L, k, 24), ld(copy + 24, 4) + 4, 4);
		break;
	case D_FIXUP:
		/* The last two bytes of the block's 3rd sector no longer match. */
		*attr_byte(L, L->alloc, k * L->bsize + 3 * 512 - 1) ^= 0x55;
		break;
	case D_BITMAP: {
		const struct xattr *bm = xattr_find(L->dirx, NTFS_AT_BITMAP, "$I30");
		assert_non_null(bm);
		if (bm->resident) {
			off = resident_value(L, L->ino, NTFS_AT_BITMAP) + (uint32_t)(k / 8);
			*record_byte(L, L->ino, off) &= (uint8_t) ~(1u << (k % 8));
		} else {
			*attr_byte(L, bm, k / 8) &= (uint8_t) ~(1u << (k % 8));
		}
		break;
	}
	case D_SUBNODE_RANGE:
	case D_SUBNODE_SELF: {
		uint32_t len = (uint32_t)ld(copy + first + 8, 2);
		uint64_t v =
		        dmg == D_SUBNODE_SELF ? block_vcn(L, k) : block_vcn(L, blocks_of(L) + 5);
		assert_true(ld(copy + first + 12, 2) & 1);
		st(block_byte(L, k, first + len - 8), v, 8);
		break;
	}
	case D_SUBNODE_SHARED: {
		/* The second entry's child becomes the first entry's child too:
		 * that subtree is walked twice, out of order. */
		uint32_t len1 = (uint32_t)ld(copy + first + 8, 2);
		uint32_t len2 = (uint32_t)ld(copy + first + len1 + 8, 2);
		assert_true(ld(copy + first + len1 + 12, 2) & 1);
		st(block_byte(L, k, first + len1 + len2 - 8), ld(copy + first + len1 - 8, 8), 8);
		break;
	}
	case D_ROOT_COLLATION:
		off = resident_value(L, L->ino, NTFS_AT_INDEX_ROOT);
		*record_byte(L, L->ino, off + 4) = 0; /* COLLATION_BINARY */
		break;
	case D_ROOT_BLOCK_SIZE:
		off = resident_value(L, L->ino, NTFS_AT_INDEX_ROOT);
		st(record_byte(L, L->ino, off + 8), L->bsize * 2, 1);
		st(record_byte(L, L->ino, off + 9), (L->bsize * 2) >> 8, 1);
		st(record_byte(L, L->ino, off + 10), (L->bsize * 2) >> 16, 1);
		break;
	case D_ROOT_TYPE:
		off = resident_value(L, L->ino, NTFS_AT_INDEX_ROOT);
		*record_byte(L, L->ino, off) = 0x10;
		break;
	default:
		fail();
	}
	free(copy);
}

static void damage_case(const char *image, const char *dir, enum damage dmg, int want)
{
	char name[NTFS_NAME_MAX_UTF8] = "";
	struct ntfs_dirent d;
	struct loc L;
	struct mounted m;
	size_t count;
	int err;

	loc_open(&L, image, dir);
	apply(&L, dmg, name, sizeof name);
	mount_dir(&L, &m);
	err = list_err(m.dir, &count);
	if (want == NTFS_ERR_LIMIT ? err != NTFS_ERR_LIMIT && err != NTFS_ERR_CORRUPT_INDEX
	                           : err != want)
		fail_msg("%s:%s, damaged %s: listing gave %d (%s) after %zu entries, want %s",
		         image, dir, damage_names[dmg], err, ntfs_strerror(err), count,
		         ntfs_strerror(want));
	/* A lookup whose path crosses the damage fails the same way. */
	if (dmg != D_SUBNODE_SELF && dmg != D_SUBNODE_RANGE && dmg != D_SUBNODE_SHARED) {
		err = ntfs_dir_lookup(m.dir, name, strlen(name), &d);
		if (err != want)
			fail_msg("%s:%s, damaged %s: lookup '%s' gave %d (%s), want %s", image, dir,
			         damage_names[dmg], name, err, ntfs_strerror(err),
			         ntfs_strerror(want));
	}
	print_message("  %-10s %-5s %-32s -> %s\n", image, dir, damage_names[dmg],
	              ntfs_strerror(err));
	unmount_dir(&m);
	loc_close(&L);
}

static const struct {
	const char *image, *dir;
} targets[] = {
        {"ntfs-c4k", "/big"}, /* 3 levels, 4 KiB clusters = blocks */
        {"ntfs-c512", "/"},   /* blocks of 8 clusters */
        {"ntfs-c2m", "/"},    /* blocks smaller than a cluster: VCNs count 512 bytes */
        {"ntfs-s4k", "/"},    /* 4096-byte sectors */
};

static void test_damaged_blocks(void **state)
{
	static const struct {
		enum damage d;
		int want;
	} cases[] = {
	        {D_MAGIC, NTFS_ERR_CORRUPT_INDEX},       {D_VCN, NTFS_ERR_CORRUPT_INDEX},
	        {D_ENTRY_LEN0, NTFS_ERR_CORRUPT_INDEX},  {D_ENTRY_LEN_ODD, NTFS_ERR_CORRUPT_INDEX},
	        {D_KEY_LEN, NTFS_ERR_CORRUPT_INDEX},     {D_INDEX_LEN, NTFS_ERR_CORRUPT_INDEX},
	        {D_ENTRIES_OFF, NTFS_ERR_CORRUPT_INDEX}, {D_FIXUP, NTFS_ERR_CORRUPT_FIXUP},
	        {D_BITMAP, NTFS_ERR_CORRUPT_INDEX},
	};

	(void)state;
	for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++)
		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
			damage_case(targets[t].image, targets[t].dir, cases[i].d, cases[i].want);
}

static void test_damaged_tree(void **state)
{
	(void)state;
	damage_case("ntfs-c4k", "/big", D_SUBNODE_RANGE, NTFS_ERR_CORRUPT_INDEX);
	/* A cycle: caught by the depth bound or the visit bound. */
	damage_case("ntfs-c4k", "/big", D_SUBNODE_SELF, NTFS_ERR_LIMIT);
}

/* A shared subtree: one child pointer redirected to its sibling's child.
 * The sibling's keys then come twice (out of collation order) and the
 * orphaned child's keys never: the API promises collation order and an
 * error for a damaged disk, so the walk must notice (a key not greater than
 * the previous one, or a block entered twice). */
static void test_damaged_shared_subtree(void **state)
{
	(void)state;
	damage_case("ntfs-c4k", "/big", D_SUBNODE_SHARED, NTFS_ERR_CORRUPT_INDEX);
}

static void test_damaged_root(void **state)
{
	(void)state;
	for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) {
		damage_case(targets[t].image, targets[t].dir, D_ROOT_COLLATION,
		            NTFS_ERR_CORRUPT_INDEX);
		damage_case(targets[t].image, targets[t].dir, D_ROOT_BLOCK_SIZE,
		            NTFS_ERR_CORRUPT_INDEX);
		damage_case(targets[t].image, targets[t].dir, D_ROOT_TYPE, NTFS_ERR_CORRUPT_INDEX);
	}
}

/* Undamaged, the same targets list completely (the damage tests' baseline). */
static void test_baseline(void **state)
{
	(void)state;
	for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) {
		struct loc L;
		struct mounted m;
		size_t count;

		loc_open(&L, targets[t].image, targets[t].dir);
		mount_dir(&L, &m);
		assert_int_equal(list_err(m.dir, &count), 0);
		/* ntfsls shows no DOS names; these directories have none. */
		assert_int_equal(count, tref_dir(&L.ref, targets[t].dir)->n);
		unmount_dir(&m);
		loc_close(&L);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_lookup_reads),
	        cmocka_unit_test(test_baseline),
	        cmocka_unit_test(test_damaged_blocks),
	        cmocka_unit_test(test_damaged_tree),
	        cmocka_unit_test(test_damaged_root),
	        cmocka_unit_test(test_damaged_shared_subtree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
