/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The arena budget (budget.c). For every file the image builder wrote into
 * the committed images, a static arena of ntfs_budget_arena() bytes, asked
 * with the geometry, $MFT extents and attribute list sizes that ntfsinfo
 * recorded (the image's .ref), mounts the volume, opens the path and reads
 * the whole file. For one file per image, every arena size below the one
 * that first works fails with NTFS_ERR_NOMEM, in a step that the budget
 * said might need more, and gives every block back. The WOF files of
 * ntfs-special (no attribute lists; 512-byte sectors, 1 KiB records) read
 * in their budget too, also with the $MFT's one run split into many, so
 * that its mapping pairs take more of the holes mount leaves.
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

#include "hardening_util.h"
#include "image.h"
#include "memdev.h"

#define MAX_IMAGES 32
#define MAX_ENTRIES 4096
#define ARENA_MAX (256u * 1024u)
/* Arena sizes below the smallest that works are tried in these steps. */
#define SWEEP_STEP 64u

static _Alignas(16) unsigned char arena_mem[ARENA_MAX];

/* Where a run stopped: the step (NTFS_BUDGET_*) that failed, or 0. */
struct outcome {
	int step;
	int err;
	uint64_t bytes; /* of the file read */
	size_t peak;    /* the arena's high-water mark */
};

/* Mount @img in an arena of @size bytes, open @path and read all of its
 * unnamed data. Every block must be back when it returns. */
static struct outcome run(const struct timage *img, uint32_t align, size_t size, const char *path)
{
	static uint8_t buf[64 * 1024];
	struct outcome o = {NTFS_BUDGET_MOUNT, NTFS_OK, 0, 0};
	struct ntfs_arena arena;
	struct ntfs_config cfg;
	struct memdev dev;
	ntfs_volume *vol = NULL;
	ntfs_file *f = NULL;
	ntfs_stream *s = NULL;

	memdev_init(&dev, img->data, img->size, align);
	ntfs_arena_init(&arena, arena_mem, size);
	memset(&cfg, 0, sizeof cfg);
	cfg.read = memdev_read;
	cfg.read_ctx = &dev;
	cfg.alloc = ntfs_arena_alloc;
	cfg.free = ntfs_arena_free;
	cfg.alloc_ctx = &arena;
	cfg.read_align = align;
	cfg.volume_size = img->size;
	o.err = ntfs_mount(&cfg, &vol);
	if (o.err == NTFS_OK) {
		o.step = NTFS_BUDGET_LOOKUP;
		o.err = ntfs_path_open(vol, path, &f);
	}
	if (o.err == NTFS_OK) {
		o.step = NTFS_BUDGET_READ;
		o.err = ntfs_stream_open(f, NULL, &s);
	}
	while (o.err == NTFS_OK) {
		size_t got;
		o.err = ntfs_stream_read(s, o.bytes, buf, sizeof buf, &got);
		if (o.err == NTFS_OK && got == 0)
			break;
		o.bytes += got;
	}
	if (o.err == NTFS_OK)
		o.step = 0;
	ntfs_stream_close(s);
	ntfs_file_close(f);
	ntfs_unmount(vol);
	if (arena.in_use != 0)
		fail_msg("%s %s: %zu bytes of the arena not given back", img->name, path,
		         arena.in_use);
	o.peak = arena.peak;
	return o;
}

static uint32_t ref_num(const struct tref *ref, const char *key)
{
	return (uint32_t)tref_volume_num(ref, "ntfsinfo", key);
}

/* Record @rec as ntfsinfo dumped it, or NULL if the .ref does not hold it. */
static const struct tref_record *ref_record(const struct tref *ref, uint64_t rec)
{
	for (size_t i = 0; i < ref->nrecs; i++)
		if (ref->recs[i].rec == rec)
			return &ref->recs[i];
	return NULL;
}

/* The size of record @rec's attribute list, as ntfsinfo saw it (0: none). */
static uint32_t alist_size(const struct tref *ref, uint64_t rec)
{
	const struct tref_record *r = ref_record(ref, rec);
	const struct xattr *a = r ? xattr_find(r, 0x20, "") : NULL;

	if (r == NULL)
		fail_msg("%s: record %llu is not in the .ref", ref->file, (unsigned long long)rec);
	return a ? (uint32_t)a->size : 0;
}

/* The budget for reading @path (record @rec): this volume's geometry, its
 * $MFT's extents, and the largest attribute list of $MFT, $Volume, $UpCase,
 * the directories on the path and the file. */
static struct ntfs_budget budget_for(const struct tref *ref, const char *path, uint64_t rec)
{
	static const uint64_t system[] = {0, 3, 10};
	const struct tref_record *r = ref_record(ref, rec);
	const struct xattr *data = r ? xattr_find(r, 0x80, "") : NULL;
	const struct xattr *mft = xattr_find(ref_record(ref, 0), 0x80, "");
	struct ntfs_budget b = {0};
	char dir[1100];
	uint32_t list = alist_size(ref, rec);

	b.read_align = ref_num(ref, "sector_size");
	b.record_size = ref_num(ref, "record_size");
	b.index_block_size = ref_num(ref, "index_block_size");
	assert_non_null(mft);
	b.mft_extents = mft->extents;
	for (size_t i = 0; i < sizeof system / sizeof system[0]; i++)
		if (ref_record(ref, system[i]) != NULL && alist_size(ref, system[i]) > list)
			list = alist_size(ref, system[i]);
	/* Each directory on the path, from "/" down to the file's parent. */
	snprintf(dir, sizeof dir, "%s", path);
	for (char *slash = strrchr(dir, '/'); slash != NULL; slash = strrchr(dir, '/')) {
		const struct tref_dir *d;
		*slash = '\0';
		d = tref_dir(ref, dir[0] ? dir : "/");
		if (d == NULL)
			fail_msg("%s: ntfsls did not list %s", ref->file, dir[0] ? dir : "/");
		if (alist_size(ref, d->ino) > list)
			list = alist_size(ref, d->ino);
	}
	b.attr_list_size = list;
	/* Compressed (flags 0x00ff) or with a reparse point (WOF). */
	b.compressed = (data != NULL && (data->flags & 0x00ff) != 0) ||
	               (r != NULL && xattr_find(r, 0xc0, "") != NULL);
	return b;
}

static void bad_input_gives_zero(void **state)
{
	static const struct {
		struct ntfs_budget b;
		int step;
	} bad[] = {
	        {{.read_align = 256}, NTFS_BUDGET_MOUNT},
	        {{.read_align = 1000}, NTFS_BUDGET_MOUNT},
	        {{.read_align = 131072}, NTFS_BUDGET_MOUNT},
	        {{.record_size = 256}, NTFS_BUDGET_LOOKUP},
	        {{.record_size = 3072}, NTFS_BUDGET_LOOKUP},
	        {{.index_block_size = 131072}, NTFS_BUDGET_READ},
	        {{.attr_list_size = NTFS_MAX_ATTRLIST_SIZE + 1}, NTFS_BUDGET_READ},
	        {{.mft_extents = NTFS_MAX_EXTENTS + 1}, NTFS_BUDGET_MOUNT},
	        {{0}, 0},
	        {{0}, NTFS_BUDGET_READ + 1},
	        {{0}, -1},
	};
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (ntfs_budget_arena(&bad[i].b, bad[i].step) != 0)
			fail_msg("case %zu: %zu, want 0", i,
			         ntfs_budget_arena(&bad[i].b, bad[i].step));
}

/* examples/boot's 32 KiB build (ntfs-boot-32k, CMakeLists.txt) takes the
 * arena this build's budget gives its case: 512-byte sectors, 1 KiB
 * records, attribute lists up to 512 bytes. */
static void boot_32k_arena_is_its_budget(void **state)
{
	const struct ntfs_budget b = {512, 1024, 4096, 512, 1, false};
	(void)state;

	assert_true(ntfs_budget_arena(&b, NTFS_BUDGET_READ) <= NTFS_BOOT32K_ARENA);
}

static void grows_with_each_input(void **state)
{
	const struct ntfs_budget base = {512, 1024, 4096, 0, 1, false};
	struct ntfs_budget b = base;
	size_t m = ntfs_budget_arena(&base, NTFS_BUDGET_MOUNT);
	size_t l = ntfs_budget_arena(&base, NTFS_BUDGET_LOOKUP);
	size_t r = ntfs_budget_arena(&base, NTFS_BUDGET_READ);
	(void)state;

	assert_true(m > 0 && m <= l && l <= r);
	assert_int_equal(m % 16, 0);
	/* NULL and all-zero fields are the defaults base spells out. */
	assert_int_equal(ntfs_budget_arena(NULL, NTFS_BUDGET_READ), r);
	b = (struct ntfs_budget){0};
	assert_int_equal(ntfs_budget_arena(&b, NTFS_BUDGET_READ), r);
	b = base;
	b.compressed = true;
	assert_true(ntfs_budget_arena(&b, NTFS_BUDGET_READ) >= m + ntfs_decoder_workspace_size());
	assert_int_equal(ntfs_budget_arena(&b, NTFS_BUDGET_LOOKUP), l);
	b = base;
	b.read_align = 4096;
	assert_int_equal(ntfs_budget_arena(&b, NTFS_BUDGET_MOUNT), m + 4096 - 512);
	b = base;
	b.record_size = 4096;
	assert_true(ntfs_budget_arena(&b, NTFS_BUDGET_MOUNT) > m);
	b = base;
	b.index_block_size = 16384;
	assert_int_equal(ntfs_budget_arena(&b, NTFS_BUDGET_MOUNT), m);
	assert_int_equal(ntfs_budget_arena(&b, NTFS_BUDGET_LOOKUP), l + 2 * (16384 - 4096));
	b = base;
	b.attr_list_size = 2048;
	assert_true(ntfs_budget_arena(&b, NTFS_BUDGET_MOUNT) > m);
	b = base;
	b.mft_extents = 3;
	assert_true(ntfs_budget_arena(&b, NTFS_BUDGET_MOUNT) > m);
}

/* Every arena size below the first that works, in SWEEP_STEP steps: a
 * clean NTFS_ERR_NOMEM in a step whose budget is above that size (run()
 * checks every block came back). Returns the first size that works. */
static size_t sweep(const struct timage *img, const struct ntfs_budget *b, const char *path,
                    const struct outcome *full)
{
	size_t size = 0;

	for (;; size += SWEEP_STEP) {
		struct outcome o = run(img, b->read_align, size, path);
		if (o.step == full->step && o.err == full->err)
			return size;
		if (o.err != NTFS_ERR_NOMEM)
			fail_msg("%s %s: arena %zu: %s in step %d", img->name, path, size,
			         ntfs_strerror(o.err), o.step);
		if (size >= ntfs_budget_arena(b, o.step))
			fail_msg("%s %s: arena %zu ran out in step %d, budgeted %zu", img->name,
			         path, size, o.step, ntfs_budget_arena(b, o.step));
	}
}

/* Sweep manifest entry @e and print what it took. */
static void sweep_file(const struct timage *img, const struct tref *ref, const struct tman_entry *e)
{
	struct ntfs_budget b = budget_for(ref, e->path, e->inode);
	struct outcome full = run(img, b.read_align, ARENA_MAX, e->path);
	size_t first_ok = sweep(img, &b, e->path, &full);

	print_message("  %s %s: works from %zu, peak %zu; budget %zu/%zu/%zu\n", img->name, e->path,
	              first_ok, full.peak, ntfs_budget_arena(&b, NTFS_BUDGET_MOUNT),
	              ntfs_budget_arena(&b, NTFS_BUDGET_LOOKUP),
	              ntfs_budget_arena(&b, NTFS_BUDGET_READ));
}

static void every_file_reads_in_its_budget(void **state)
{
	static char names[MAX_IMAGES][128];
	static struct tman_entry e[MAX_ENTRIES];
	size_t n = timage_list(names, MAX_IMAGES), files = 0;
	(void)state;

	if (n == 0)
		fail_msg("no committed test images");
	for (size_t i = 0; i < n; i++) {
		struct timage img;
		struct tref ref;
		size_t ne = tmanifest_read(names[i], e, MAX_ENTRIES);
		size_t deepest = SIZE_MAX, heaviest = SIZE_MAX, most = 0, peak = 0;
		unsigned depth = 0;
		timage_open(&img, names[i]);
		tref_load(&ref, names[i]);
		for (size_t k = 0; k < ne; k++) {
			struct ntfs_budget b;
			struct outcome o;
			size_t need;
			unsigned d = 0;
			if (strcmp(e[k].kind, "file") != 0)
				continue;
			b = budget_for(&ref, e[k].path, e[k].inode);
			need = ntfs_budget_arena(&b, NTFS_BUDGET_READ);
			assert_true(need > 0 && need <= ARENA_MAX);
			o = run(&img, b.read_align, need, e[k].path);
			if (o.err != NTFS_OK || o.bytes != e[k].size)
				fail_msg("%s %s: %s in step %d after %llu of %llu bytes, in an "
				         "arena "
				         "of %zu",
				         names[i], e[k].path, ntfs_strerror(o.err), o.step,
				         (unsigned long long)o.bytes, (unsigned long long)e[k].size,
				         need);
			peak = o.peak > peak ? o.peak : peak;
			if (heaviest == SIZE_MAX || need > most) {
				heaviest = k;
				most = need;
			}
			for (const char *p = e[k].path; *p; p++)
				d += *p == '/';
			if (deepest == SIZE_MAX || d > depth) {
				deepest = k;
				depth = d;
			}
			files++;
		}
		assert_true(deepest != SIZE_MAX);
		print_message("  %s: budget up to %zu, peak up to %zu\n", names[i], most, peak);
		sweep_file(&img, &ref, &e[deepest]);
		if (heaviest != deepest)
			sweep_file(&img, &ref, &e[heaviest]);
		tref_free(&ref);
		timage_close(&img);
	}
	assert_true(files > 100);
}

/* Split the one run of the $MFT's $DATA (record 0) into @n runs: n - 1
 * of one cluster, then the rest, the same clusters in the same order. */
static void split_mft_run(struct hu *h, unsigned n)
{
	static uint8_t rec[1024];
	struct hu_loc loc;
	uint8_t mp[1024];
	uint32_t a, mp_off, used, end, m = 0, attr_len, new_len;
	uint64_t clusters, lcn;
	unsigned hl, ho;

	assert_int_equal(hu_mount(h), NTFS_OK);
	hu_loc_record(h, 0, &loc);
	hu_unmount(h);
	assert_int_equal(loc.size, sizeof rec);
	hu_loc_read(h, &loc, rec);
	hu_unfix(rec, sizeof rec);
	a = hu_attr_find(rec, 0x80, "");
	attr_len = (uint32_t)hu_ld(rec + a + 4, 4);
	mp_off = (uint32_t)hu_ld(rec + a + 0x20, 2);
	hl = rec[a + mp_off] & 15;
	ho = rec[a + mp_off] >> 4;
	/* One run, then the terminator. */
	assert_int_equal(rec[a + mp_off + 1 + hl + ho], 0);
	clusters = hu_ld(rec + a + mp_off + 1, (int)hl);
	lcn = hu_ld(rec + a + mp_off + 1 + hl, (int)ho);
	assert_true(clusters > n && lcn < 0x800000);
	for (unsigned i = 0; i < n; i++) {
		uint64_t c = i + 1 < n ? 1 : clusters - (n - 1);
		mp[m++] = 0x34; /* four bytes of length, three of LCN delta */
		hu_st(mp + m, c, 4);
		hu_st(mp + m + 4, i == 0 ? lcn : 1, 3);
		m += 7;
	}
	mp[m++] = 0;
	new_len = (mp_off + m + 7) & ~7u;
	used = (uint32_t)hu_ld(rec + 0x18, 4);
	end = used + new_len - attr_len;
	assert_true(end <= sizeof rec);
	/* Move the attributes after $DATA (and the end marker) along. */
	memmove(rec + a + new_len, rec + a + attr_len, used - (a + attr_len));
	memset(rec + a + mp_off, 0, new_len - mp_off);
	memcpy(rec + a + mp_off, mp, m);
	hu_st(rec + a + 4, new_len, 4);
	hu_st(rec + 0x18, end, 4);
	hu_fix(rec, sizeof rec);
	hu_loc_write(h, &loc, rec);
}

static void wof_files_read_in_their_budget(void **state)
{
	static const unsigned runs[] = {1, 12, 42};
	static char names[64][NTFS_NAME_MAX_UTF8 + 8];
	const struct ntfs_budget b = {512, 1024, 4096, 0, 1, true};
	const size_t need = ntfs_budget_arena(&b, NTFS_BUDGET_READ);
	size_t n = 0;
	(void)state;

	for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
		struct hu h;
		size_t most = 0;
		hu_open(&h, "ntfs-special");
		if (runs[r] > 1)
			split_mft_run(&h, runs[r]);
		if (n == 0) {
			/* The files to read: /wof's, but the one of 4 GiB. */
			struct ntfs_dirent ent;
			ntfs_file *dir;
			ntfs_dir *d;
			assert_int_equal(hu_mount(&h), NTFS_OK);
			assert_int_equal(ntfs_path_open(h.vol, "/wof", &dir), NTFS_OK);
			assert_int_equal(ntfs_dir_open(dir, 0, &d), NTFS_OK);
			while (ntfs_dir_next(d, &ent) == 1 && n < 64)
				if (!ent.is_dir && ent.size < (16u << 20))
					snprintf(names[n++], sizeof names[0], "/wof/%s", ent.name);
			ntfs_dir_close(d);
			ntfs_file_close(dir);
			hu_unmount(&h);
			assert_true(n >= 10);
		}
		for (size_t i = 0; i < n; i++) {
			struct outcome o = run(&h.img, 512, need, names[i]);
			if (o.err != NTFS_OK)
				fail_msg("$MFT in %u runs: %s: %s in step %d in an arena of %zu",
				         runs[r], names[i], ntfs_strerror(o.err), o.step, need);
			most = o.peak > most ? o.peak : most;
		}
		print_message("  $MFT in %u runs: %zu WOF files in %zu bytes (peak %zu)\n", runs[r],
		              n, need, most);
		hu_close(&h);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(bad_input_gives_zero),
	        cmocka_unit_test(grows_with_each_input),
	        cmocka_unit_test(boot_32k_arena_is_its_budget),
	        cmocka_unit_test(every_file_reads_in_its_budget),
	        cmocka_unit_test(wof_files_read_in_their_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
