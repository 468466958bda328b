/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Directories: every directory of every committed image listed and
 * compared with what ntfsls listed (same entries, same inodes: the image's
 * .ref file, written by make-refs.py), in strictly increasing
 * NTFS collation order computed here from the volume's $UpCase as ntfscat
 * read it; lookups of every name, of upcased names, of names that do not
 * exist; case-only-different names; DOS names against ntfsls -x, ntfsinfo
 * and istat; bad arguments. The shared real-world images, when present,
 * get what needs no other reader (their order through their own $UpCase as
 * the library reads it, lookups, DOS names): difftest compares their
 * listings with ntfsls and fls.
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

#define MAX_IMAGES 64
#define MAX_DIRS 400 /* directories checked per image */

static const char *const shared_images[] = {
        "windows/ntfs_index.raw.gz",
        "windows/7-undel-ntfs.zip:7-undel-ntfs/7-ntfs-undel.dd",
        "linux/ntfs3.raw.gz",
        "linux/ntfs3_attrlist.raw.gz",
};

struct ent {
	uint64_t ref;
	uint8_t ns;
	bool is_dir;
	size_t len16;
	uint16_t name16[NTFS_NAME_MAX_UTF16];
	char *name;
};

struct listing {
	size_t n, cap;
	struct ent *e;
};

static void listing_free(struct listing *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->e[i].name);
	free(l->e);
	memset(l, 0, sizeof *l);
}

/* List @dir with our API. */
static int list_dir(ntfs_file *dir, unsigned flags, struct listing *l)
{
	struct ntfs_dirent d;
	ntfs_dir *c;
	int r, err = ntfs_dir_open(dir, flags, &c);

	memset(l, 0, sizeof *l);
	if (err)
		return err;
	while ((r = ntfs_dir_next(c, &d)) == 1) {
		struct ent *e;
		if (l->n == l->cap) {
			l->cap = l->cap ? 2 * l->cap : 64;
			l->e = realloc(l->e, l->cap * sizeof *l->e);
			assert_non_null(l->e);
		}
		e = &l->e[l->n++];
		e->ref = d.ref;
		e->ns = d.name_space;
		e->is_dir = d.is_dir;
		e->len16 = d.name16_len;
		memcpy(e->name16, d.name16, d.name16_len * sizeof d.name16[0]);
		e->name = strdup(d.name);
		assert_non_null(e->name);
		/* The UTF-8 name is the UTF-16 name converted. */
		assert_int_equal(d.name_len, strlen(d.name));
	}
	ntfs_dir_close(c);
	return r;
}

static void check_order(const uint16_t *up, const struct listing *l, const char *what)
{
	for (size_t i = 1; i < l->n; i++) {
		const struct ent *a = &l->e[i - 1], *b = &l->e[i];
		if (name_collate(up, a->name16, a->len16, b->name16, b->len16) >= 0)
			fail_msg("%s: '%s' listed before '%s': not in NTFS collation order", what,
			         a->name, b->name);
	}
}

static int entry_cmp(const void *a, const void *b)
{
	const struct tref_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->ino > y->ino) - (x->ino < y->ino);
}

/* Our entries (flags 0) against ntfsls's listing of the directory: the
 * same (inode, name) multiset. (Not the same order: ntfsls prints the
 * $INDEX_ROOT's entries, then each index block's in VCN order.) */
static void compare_ntfsls(const struct tref *ref, const char *path, const struct listing *l)
{
	const struct tref_dir *d = tref_dir(ref, path);
	struct tref_entry *ours = malloc((l->n + 1) * sizeof *ours), *theirs;

	assert_non_null(ours);
	if (d == NULL)
		fail_msg("%s: ntfsls listed no directory %s", ref->file, path);
	theirs = malloc((d->n + 1) * sizeof *theirs);
	assert_non_null(theirs);
	for (size_t i = 0; i < l->n; i++)
		ours[i] = (struct tref_entry){NTFS_REF_RECORD(l->e[i].ref), l->e[i].name};
	memcpy(theirs, d->e, d->n * sizeof *theirs);
	qsort(ours, l->n, sizeof *ours, entry_cmp);
	qsort(theirs, d->n, sizeof *theirs, entry_cmp);
	for (size_t i = 0; i < d->n || i < l->n; i++) {
		if (i >= d->n || i >= l->n || ours[i].ino != theirs[i].ino ||
		    strcmp(ours[i].name, theirs[i].name) != 0)
			fail_msg("%s: entry %zu: ours %llu '%s', ntfsls %llu '%s' (%zu vs %zu "
			         "entries)",
			         path, i, i < l->n ? (unsigned long long)ours[i].ino : 0,
			         i < l->n ? ours[i].name : "-",
			         i < d->n ? (unsigned long long)theirs[i].ino : 0,
			         i < d->n ? theirs[i].name : "-", l->n, d->n);
	}
	free(ours);
	free(theirs);
}

/* The volume's $UpCase as the library reads it (record 10's data). */
static uint16_t *volume_upcase(ntfs_volume *vol)
{
	uint8_t *raw = malloc(131072);
	uint16_t *up = malloc(65536 * sizeof *up);
	ntfs_stream *s;
	ntfs_file *f;
	size_t got;

	assert_non_null(raw);
	assert_non_null(up);
	assert_int_equal(ntfs_file_open(vol, 10, &f), NTFS_OK);
	assert_int_equal(ntfs_stream_open(f, NULL, &s), NTFS_OK);
	assert_int_equal(ntfs_stream_size(s), 131072);
	assert_int_equal(ntfs_stream_read(s, 0, raw, 131072, &got), NTFS_OK);
	assert_int_equal(got, 131072);
	for (size_t i = 0; i < 65536; i++)
		up[i] = (uint16_t)(raw[2 * i] | raw[2 * i + 1] << 8);
	ntfs_stream_close(s);
	ntfs_file_close(f);
	free(raw);
	return up;
}

/* Every entry found by name, and found again upper-cased through $UpCase. */
static void check_lookups(ntfs_file *dir, const uint16_t *up, const struct listing *l,
                          const char *what, size_t every)
{
	for (size_t i = 0; i < l->n; i += every) {
		const struct ent *e = &l->e[i];
		struct ntfs_dirent d;
		uint16_t u[NTFS_NAME_MAX_UTF16];
		char name[NTFS_NAME_MAX_UTF8];
		int err = ntfs_dir_lookup(dir, e->name, strlen(e->name), &d);

		if (err)
			fail_msg("%s: lookup '%s': %s", what, e->name, ntfs_strerror(err));
		if (d.ref != e->ref || d.name16_len != e->len16 ||
		    memcmp(d.name16, e->name16, e->len16 * 2) != 0)
			fail_msg("%s: lookup '%s' found '%s'", what, e->name, d.name);
		/* Upper-cased: some entry equal ignoring case (the exact one if
		 * the upper-cased name is itself an entry). */
		for (size_t k = 0; k < e->len16; k++)
			u[k] = up[e->name16[k]];
		assert_true(utf16_to_8(u, e->len16, name, sizeof name) >= 0);
		err = ntfs_dir_lookup(dir, name, strlen(name), &d);
		if (err)
			fail_msg("%s: lookup '%s' (upper case of '%s'): %s", what, name, e->name,
			         ntfs_strerror(err));
		if (name_collate_nocase(up, d.name16, d.name16_len, u, e->len16) != 0)
			fail_msg("%s: lookup '%s' found '%s'", what, name, d.name);
		for (size_t k = 0; k < l->n; k++)
			if (l->e[k].len16 == e->len16 &&
			    memcmp(l->e[k].name16, u, 2 * e->len16) == 0 && d.ref != l->e[k].ref)
				fail_msg("%s: lookup '%s' found '%s', not the exact match", what,
				         name, d.name);
	}
}

struct qitem {
	uint64_t ref;
	char *path;
};

/* Every directory reachable from the root, breadth first, in collation
 * order through the $UpCase the library reads. With @ref (a committed
 * image) that $UpCase must be ntfscat's, and each listing ntfsls's. */
static void check_volume(const struct timage *img, const struct tref *ref, size_t *dirs,
                         size_t *entries)
{
	struct qitem *q = malloc(MAX_DIRS * sizeof *q);
	size_t head = 0, tail = 0;
	struct memdev dev;
	struct memalloc ma;
	ntfs_volume *vol;
	uint16_t *up;
	int err;

	assert_non_null(q);
	err = timage_mount(img, 512, &dev, &ma, &vol);
	if (err)
		fail_msg("%s: mount: %s", img->name, ntfs_strerror(err));
	up = volume_upcase(vol);
	if (ref != NULL && memcmp(up, ref->upcase, 65536 * sizeof *up) != 0)
		fail_msg("%s: the $UpCase read differs from ntfscat's", img->name);
	q[tail].ref = NTFS_ROOT_RECORD;
	q[tail++].path = strdup("/");
	while (head < tail) {
		struct qitem it = q[head++];
		struct listing l;
		ntfs_file *dir;
		char what[2048];

		snprintf(what, sizeof what, "%s:%s", img->name, it.path);
		err = ntfs_file_open(vol, it.ref, &dir);
		if (err)
			fail_msg("%s: open: %s", what, ntfs_strerror(err));
		err = list_dir(dir, 0, &l);
		if (err)
			fail_msg("%s: list: %s", what, ntfs_strerror(err));
		if (ref != NULL)
			compare_ntfsls(ref, it.path, &l);
		check_order(up, &l, what);
		check_lookups(dir, up, &l, what, l.n > 2000 ? 97 : 1);
		(*dirs)++;
		*entries += l.n;
		for (size_t i = 0; i < l.n; i++) {
			const struct ent *e = &l.e[i];
			assert_int_not_equal(e->ns, NTFS_NAMESPACE_DOS);
			if (!e->is_dir || NTFS_REF_RECORD(e->ref) == NTFS_REF_RECORD(it.ref))
				continue;
			if (tail == MAX_DIRS)
				fail_msg("%s: more than %d directories", img->name, MAX_DIRS);
			size_t n = strlen(it.path) + strlen(e->name) + 2;
			q[tail].ref = e->ref;
			q[tail].path = malloc(n);
			assert_non_null(q[tail].path);
			snprintf(q[tail].path, n, "%s%s%s", it.path,
			         strcmp(it.path, "/") ? "/" : "", e->name);
			tail++;
		}
		listing_free(&l);
		ntfs_file_close(dir);
		free(it.path);
	}
	/* Each directory was found in ntfsls's listing: all of them were
	 * visited if there are as many. */
	if (ref != NULL && *dirs != ref->ndirs)
		fail_msg("%s: %zu directories reached, ntfsls listed %zu", img->name, *dirs,
		         ref->ndirs);
	assert_int_equal(dev.misaligned, 0);
	timage_unmount(vol, &ma);
	free(q);
	free(up);
}

static void test_all_dirs_match_ntfsls(void **state)
{
	static char names[MAX_IMAGES][128];
	size_t n = timage_list(names, MAX_IMAGES);

	(void)state;
	if (n == 0)
		fail_msg("no committed test images");
	for (size_t i = 0; i < n; i++) {
		struct timage img;
		struct tref ref;
		size_t dirs = 0, entries = 0;
		timage_open(&img, names[i]);
		tref_load(&ref, names[i]);
		check_volume(&img, &ref, &dirs, &entries);
		print_message("  %s: %zu directories, %zu entries\n", names[i], dirs, entries);
		tref_free(&ref);
		timage_close(&img);
	}
}

static void test_all_dirs_shared(void **state)
{
	size_t done = 0;

	(void)state;
	for (size_t i = 0; i < sizeof shared_images / sizeof shared_images[0]; i++) {
		struct timage img;
		size_t dirs = 0, entries = 0;
		if (timage_shared(&img, shared_images[i]) != 0)
			continue;
		check_volume(&img, NULL, &dirs, &entries);
		print_message("  %s: %zu directories, %zu entries\n", shared_images[i], dirs,
		              entries);
		timage_close(&img);
		done++;
	}
	if (done == 0)
		skip();
}

struct fixture {
	struct timage img;
	struct tref ref; /* ref.upcase: the volume's $UpCase (ntfscat) */
	struct memdev dev;
	struct memalloc ma;
	ntfs_volume *vol;
};

static void fx_open(struct fixture *fx, const char *name)
{
	timage_open(&fx->img, name);
	tref_load(&fx->ref, name);
	assert_int_equal(timage_mount(&fx->img, 512, &fx->dev, &fx->ma, &fx->vol), NTFS_OK);
}

static void fx_close(struct fixture *fx)
{
	timage_unmount(fx->vol, &fx->ma);
	tref_free(&fx->ref);
	timage_close(&fx->img);
}

/* With NTFS_DIR_IGNORE_CASE every variant of case/readme.txt finds the
 * first of them in index order: the first entry of ntfsls's listing of
 * case/ (its three entries fit the index root, which ntfsls lists in
 * order). */
static void check_first_variant(const struct fixture *fx, ntfs_file *dir, const char *const *names,
                                size_t n)
{
	const struct tref_dir *want = NULL;
	struct ntfs_dirent d;
	ntfs_dir *cur;

	for (size_t i = 0; i < fx->ref.ndirs; i++)
		if (strcmp(fx->ref.dirs[i].path, "/case") == 0)
			want = &fx->ref.dirs[i];
	assert_non_null(want);
	assert_int_equal(want->n, 3);
	assert_int_equal(ntfs_dir_open(dir, NTFS_DIR_IGNORE_CASE, &cur), NTFS_OK);
	for (size_t k = 0; k < n; k++) {
		assert_int_equal(ntfs_dir_find(cur, names[k], strlen(names[k]), &d), NTFS_OK);
		assert_int_equal(NTFS_REF_RECORD(d.ref), want->e[0].ino);
		assert_string_equal(d.name, want->e[0].name);
	}
	assert_int_equal(ntfs_dir_find(cur, "readme.tx", 9, &d), NTFS_ERR_NOT_FOUND);
	ntfs_dir_close(cur);
}

/* Names equal but for case: the exact one wins; otherwise some variant. */
static void test_case_variants(void **state)
{
	static const char *const exact[] = {"readme.txt", "README.txt", "ReadMe.TXT"};
	static const char *const other[] = {"README.TXT", "readme.TXT", "rEaDmE.tXt", "Readme.txt"};
	static char names[MAX_IMAGES][128];
	size_t n = timage_list(names, MAX_IMAGES);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		struct fixture fx;
		struct ntfs_dirent d;
		uint64_t ino[3];
		ntfs_file *dir;

		fx_open(&fx, names[i]);
		if (ntfs_path_open(fx.vol, "/case", &dir) != NTFS_OK) {
			fx_close(&fx);
			continue; /* an image without case/ */
		}
		for (int k = 0; k < 3; k++) {
			ino[k] = tref_inode(&fx.ref, "/case", exact[k]);
			assert_int_equal(ntfs_dir_lookup(dir, exact[k], strlen(exact[k]), &d),
			                 NTFS_OK);
			assert_string_equal(d.name, exact[k]);
			assert_int_equal(NTFS_REF_RECORD(d.ref), ino[k]);
		}
		assert_true(ino[0] != ino[1] && ino[1] != ino[2] && ino[0] != ino[2]);
		for (size_t k = 0; k < sizeof other / sizeof other[0]; k++) {
			uint64_t r;
			assert_int_equal(ntfs_dir_lookup(dir, other[k], strlen(other[k]), &d),
			                 NTFS_OK);
			r = NTFS_REF_RECORD(d.ref);
			if (r != ino[0] && r != ino[1] && r != ino[2])
				fail_msg("%s: '%s' found record %llu", names[i], other[k],
				         (unsigned long long)r);
			assert_int_equal(strlen(d.name), strlen(other[k]));
		}
		/* Not a variant: one letter more or less. */
		assert_int_equal(ntfs_dir_lookup(dir, "readme.tx", 9, &d), NTFS_ERR_NOT_FOUND);
		assert_int_equal(ntfs_dir_lookup(dir, "readme.txtt", 11, &d), NTFS_ERR_NOT_FOUND);
		check_first_variant(&fx, dir, exact, 3);
		check_first_variant(&fx, dir, other, sizeof other / sizeof other[0]);
		ntfs_file_close(dir);
		fx_close(&fx);
	}
}

/* Names near existing ones that are not in the directory. */
static void test_not_found(void **state)
{
	static const char *const absent[] = {
	        "f20000.txt", "f0000.txt", "f00000.tx",  "f00000.txt0", "f00000.txu",
	        "f",          "a",         "zzzzzzzzzz", "f1.txt",      "f19999.txs",
	        "f00000",     "\xc3\xa9",  "0",          "~",           "f99999.txt",
	};
	struct fixture fx;
	const struct tref_dir *big;
	struct ntfs_dirent d;
	ntfs_file *dir;

	(void)state;
	fx_open(&fx, "ntfs-c4k");
	big = tref_dir(&fx.ref, "/big");
	assert_non_null(big);
	assert_int_equal(big->n, 20000);
	assert_int_equal(ntfs_path_open(fx.vol, "/big", &dir), NTFS_OK);
	for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
		uint16_t a[NTFS_NAME_MAX_UTF16], b[NTFS_NAME_MAX_UTF16];
		long al = utf8_to_16(absent[i], strlen(absent[i]), a, NTFS_NAME_MAX_UTF16);
		assert_true(al > 0);
		/* Absent according to ntfsls, even ignoring case. */
		for (size_t k = 0; k < big->n; k++) {
			const char *name = big->e[k].name;
			long bl = utf8_to_16(name, strlen(name), b, NTFS_NAME_MAX_UTF16);
			assert_true(name_collate_nocase(fx.ref.upcase, a, (size_t)al, b,
			                                (size_t)bl) != 0);
		}
		if (ntfs_dir_lookup(dir, absent[i], strlen(absent[i]), &d) != NTFS_ERR_NOT_FOUND)
			fail_msg("lookup '%s' in /big did not give NOT_FOUND", absent[i]);
	}
	/* Empty name. */
	assert_int_equal(ntfs_dir_lookup(dir, "", 0, &d), NTFS_ERR_NOT_FOUND);
	ntfs_file_close(dir);
	fx_close(&fx);
}

static void test_bad_arguments(void **state)
{
	char longname[300];
	struct fixture fx;
	struct ntfs_dirent d;
	ntfs_file *dir, *file;
	ntfs_dir *c;

	(void)state;
	fx_open(&fx, "ntfs-c512");
	assert_int_equal(ntfs_path_open(fx.vol, "/unicode", &dir), NTFS_OK);
	assert_int_equal(ntfs_path_open(fx.vol, "/small.txt", &file), NTFS_OK);
	/* A file is not a directory. */
	assert_int_equal(ntfs_dir_open(file, 0, &c), NTFS_ERR_NOT_DIR);
	assert_int_equal(ntfs_dir_lookup(file, "x", 1, &d), NTFS_ERR_NOT_DIR);
	/* Invalid UTF-8: lone continuation, overlong, surrogate, truncated,
	 * beyond U+10FFFF. */
	assert_int_equal(ntfs_dir_lookup(dir, "\x80", 1, &d), NTFS_ERR_NAME);
	assert_int_equal(ntfs_dir_lookup(dir, "\xc0\xaf", 2, &d), NTFS_ERR_NAME);
	assert_int_equal(ntfs_dir_lookup(dir, "\xed\xa0\x80", 3, &d), NTFS_ERR_NAME);
	assert_int_equal(ntfs_dir_lookup(dir, "\xe4\xb8", 2, &d), NTFS_ERR_NAME);
	assert_int_equal(ntfs_dir_lookup(dir, "\xf4\x90\x80\x80", 4, &d), NTFS_ERR_NAME);
	/* Only name_len bytes count: "small.txtXYZ" with length 9. */
	{
		ntfs_file *root;
		assert_int_equal(ntfs_path_open(fx.vol, "/", &root), NTFS_OK);
		assert_int_equal(ntfs_dir_lookup(root, "small.txtXYZ", 9, &d), NTFS_OK);
		assert_string_equal(d.name, "small.txt");
		/* Names no file may have, though the root's index holds an
		 * entry "." for itself. */
		assert_int_equal(ntfs_dir_lookup(root, ".", 1, &d), NTFS_ERR_NAME);
		assert_int_equal(ntfs_dir_lookup(root, "..", 2, &d), NTFS_ERR_NAME);
		assert_int_equal(ntfs_dir_lookup(root, "small.txt\0", 10, &d), NTFS_ERR_NAME);
		assert_int_equal(ntfs_dir_lookup(root, "unicode/x", 9, &d), NTFS_ERR_NAME);
		/* ...and the root's listing does not hold it. */
		{
			int r, n = 0;
			assert_int_equal(ntfs_dir_open(root, NTFS_DIR_DOS_NAMES, &c), NTFS_OK);
			while ((r = ntfs_dir_next(c, &d)) == 1) {
				assert_string_not_equal(d.name, ".");
				n++;
			}
			assert_int_equal(r, 0);
			assert_true(n > 10);
			ntfs_dir_close(c);
		}
		ntfs_file_close(root);
	}
	/* 256 UTF-16 units: longer than any NTFS name. */
	memset(longname, 'a', 256);
	assert_int_equal(ntfs_dir_lookup(dir, longname, 256, &d), NTFS_ERR_NAME);
	/* 255 units but absent: NOT_FOUND. */
	assert_int_equal(ntfs_dir_lookup(dir, longname, 255, &d), NTFS_ERR_NOT_FOUND);
	ntfs_file_close(file);
	ntfs_file_close(dir);
	ntfs_dir_close(NULL);
	fx_close(&fx);
}

/* Unicode names: each found as listed, upper-cased, and lower-cased
 * where $UpCase maps the lower case to the same upper case. */
static void test_unicode_lookup(void **state)
{
	static const char *const variants[][2] = {
	        /* query, the name it must find (ntfsls spelling) */
	        {"ПРИВЕТ.TXT", "Привет.txt"},
	        {"привет.txt", "Привет.txt"},
	        {"中文文件.TXT", "中文文件.txt"},
	        {"😀SMILE.TXT", "😀smile.txt"},
	};
	struct fixture fx;
	ntfs_file *dir;

	(void)state;
	fx_open(&fx, "ntfs-c4k");
	assert_int_equal(ntfs_path_open(fx.vol, "/unicode", &dir), NTFS_OK);
	for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
		struct ntfs_dirent d;
		uint64_t ino = tref_inode(&fx.ref, "/unicode", variants[i][1]);
		uint16_t a[NTFS_NAME_MAX_UTF16], b[NTFS_NAME_MAX_UTF16];
		long al = utf8_to_16(variants[i][0], strlen(variants[i][0]), a, 255);
		long bl = utf8_to_16(variants[i][1], strlen(variants[i][1]), b, 255);
		/* The volume's $UpCase says these are equal ignoring case. */
		assert_int_equal(name_collate_nocase(fx.ref.upcase, a, (size_t)al, b, (size_t)bl),
		                 0);
		assert_int_equal(ntfs_dir_lookup(dir, variants[i][0], strlen(variants[i][0]), &d),
		                 NTFS_OK);
		assert_int_equal(NTFS_REF_RECORD(d.ref), ino);
		assert_string_equal(d.name, variants[i][1]);
	}
	ntfs_file_close(dir);
	fx_close(&fx);
}

/* Is (@rec, @name) one of the @n entries at @e? */
static bool has_entry(const struct tref_entry *e, size_t n, uint64_t rec, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (e[i].ino == rec && strcmp(e[i].name, name) == 0)
			return true;
	return false;
}

/* A DOS name of a committed image's root against the references: ntfsls -x
 * names the record by it, ntfsinfo shows it as a DOS-namespace $FILE_NAME
 * in the root, and so does istat where The Sleuth Kit reads the image. */
static void check_dos_ref(const struct tref *ref, const char *image, const struct ent *e)
{
	uint64_t rec = NTFS_REF_RECORD(e->ref);
	const struct tref_record *r = tref_record(ref, rec);
	bool found = false;

	if (!has_entry(ref->dos, ref->ndos, rec, e->name))
		fail_msg("%s: DOS name '%s' of record %llu is not in ntfsls -x's listing", image,
		         e->name, (unsigned long long)rec);
	for (size_t i = 0; i < r->nfnames; i++)
		found |= r->fnames[i].parent == NTFS_ROOT_RECORD &&
		         strcmp(r->fnames[i].ns, "DOS") == 0 &&
		         strcmp(r->fnames[i].name, e->name) == 0;
	if (!found)
		fail_msg("%s: '%s' is not a DOS $FILE_NAME of record %llu in the root (ntfsinfo)",
		         image, e->name, (unsigned long long)rec);
	if (!ref->tsk)
		return;
	if (!r->istat)
		fail_msg("%s: istat could not read record %llu", image, (unsigned long long)rec);
	found = false;
	for (size_t i = 0; i < r->ntnames; i++)
		found |= strcmp(r->tnames[i], e->name) == 0;
	if (!found)
		fail_msg("%s: DOS name '%s' is not a $FILE_NAME of record %llu (istat)", image,
		         e->name, (unsigned long long)rec);
}

/* DOS (8.3) names in the root: not listed without NTFS_DIR_DOS_NAMES,
 * listed with it, each paired with a Win32 name of the same record and
 * resolved by lookup to it. With @ref (a committed image) they are exactly
 * the DOS names ntfsls -x shows, and ntfsinfo and istat agree (see
 * check_dos_ref()). */
static size_t dos_names_in(const struct timage *img, const struct tref *ref)
{
	struct memdev dev;
	struct memalloc ma;
	ntfs_volume *vol;
	ntfs_file *root;
	struct listing all, plain;
	size_t found = 0;

	assert_int_equal(timage_mount(img, 512, &dev, &ma, &vol), NTFS_OK);
	assert_int_equal(ntfs_file_open(vol, NTFS_ROOT_RECORD, &root), NTFS_OK);
	assert_int_equal(list_dir(root, NTFS_DIR_DOS_NAMES, &all), 0);
	assert_int_equal(list_dir(root, 0, &plain), 0);
	for (size_t i = 0, k = 0; i < all.n; i++) {
		const struct ent *e = &all.e[i];
		struct ntfs_dirent d;
		bool paired = false;
		if (e->ns != NTFS_NAMESPACE_DOS) {
			/* The plain listing is this one without the DOS entries. */
			assert_true(k < plain.n);
			assert_string_equal(plain.e[k].name, e->name);
			k++;
			continue;
		}
		found++;
		print_message("  %s: DOS name /%s (record %llu)\n", img->name, e->name,
		              (unsigned long long)NTFS_REF_RECORD(e->ref));
		for (size_t j = 0; j < all.n; j++)
			paired |= all.e[j].ns == NTFS_NAMESPACE_WIN32 && all.e[j].ref == e->ref;
		if (!paired)
			fail_msg("%s: DOS name '%s' has no Win32 name beside it", img->name,
			         e->name);
		if (ref != NULL)
			check_dos_ref(ref, img->name, e);
		assert_int_equal(ntfs_dir_lookup(root, e->name, strlen(e->name), &d), NTFS_OK);
		assert_int_equal(NTFS_REF_RECORD(d.ref), NTFS_REF_RECORD(e->ref));
	}
	/* Every DOS name ntfsls -x shows is listed. */
	for (size_t i = 0; ref != NULL && i < ref->ndos; i++) {
		bool listed = false;
		for (size_t j = 0; j < all.n; j++)
			listed |= all.e[j].ns == NTFS_NAMESPACE_DOS &&
			          NTFS_REF_RECORD(all.e[j].ref) == ref->dos[i].ino &&
			          strcmp(all.e[j].name, ref->dos[i].name) == 0;
		if (!listed)
			fail_msg("%s: ntfsls -x shows DOS name '%s' of record %llu; not listed",
			         img->name, ref->dos[i].name, (unsigned long long)ref->dos[i].ino);
	}
	listing_free(&all);
	listing_free(&plain);
	ntfs_file_close(root);
	timage_unmount(vol, &ma);
	return found;
}

static void test_dos_names(void **state)
{
	static char names[MAX_IMAGES][128];
	size_t n = timage_list(names, MAX_IMAGES), found = 0;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		struct timage img;
		struct tref ref;
		timage_open(&img, names[i]);
		tref_load(&ref, names[i]);
		found += dos_names_in(&img, &ref);
		tref_free(&ref);
		timage_close(&img);
	}
	/* ntfs-c4k's root holds "A long file name.txt" with DOS name
	 * ALONGF~1.TXT (make-images.sh). */
	if (found == 0)
		fail_msg("no committed image has a DOS name in its root");
	for (size_t i = 0; i < sizeof shared_images / sizeof shared_images[0]; i++) {
		struct timage img;
		if (timage_shared(&img, shared_images[i]) != 0)
			continue;
		found += dos_names_in(&img, NULL);
		timage_close(&img);
	}
	print_message("  %zu DOS-namespace entries in root directories\n", found);
}

/* Entry fields against the files they name. */
static void test_dirent_fields(void **state)
{
	struct fixture fx;
	struct ntfs_dirent d;
	ntfs_file *dir;
	ntfs_dir *c;
	uint64_t dir_ref;
	size_t n = 0;
	int r;

	(void)state;
	fx_open(&fx, "ntfs-c512");
	assert_int_equal(ntfs_path_open(fx.vol, "/streams", &dir), NTFS_OK);
	{
		struct ntfs_stat st;
		assert_int_equal(ntfs_file_stat(dir, &st), NTFS_OK);
		dir_ref = st.ref;
		assert_true(st.is_dir);
	}
	assert_int_equal(ntfs_dir_open(dir, 0, &c), NTFS_OK);
	while ((r = ntfs_dir_next(c, &d)) == 1) {
		struct ntfs_stat st;
		ntfs_file *f;
		assert_int_equal(NTFS_REF_RECORD(d.parent_ref), NTFS_REF_RECORD(dir_ref));
		assert_int_equal(ntfs_file_open(fx.vol, d.ref, &f), NTFS_OK);
		assert_int_equal(ntfs_file_stat(f, &st), NTFS_OK);
		assert_int_equal(st.ref, d.ref); /* sequence number too */
		assert_int_equal(st.is_dir, d.is_dir);
		assert_int_equal(ntfs_dir_lookup(dir, d.name, d.name_len, &d), NTFS_OK);
		ntfs_file_close(f);
		n++;
	}
	assert_int_equal(r, 0);
	/* The end is sticky. */
	assert_int_equal(ntfs_dir_next(c, &d), 0);
	/* As many as ntfsls listed. */
	assert_non_null(tref_dir(&fx.ref, "/streams"));
	assert_int_equal(n, tref_dir(&fx.ref, "/streams")->n);
	ntfs_dir_close(c);
	ntfs_file_close(dir);
	fx_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_all_dirs_match_ntfsls),
	        cmocka_unit_test(test_all_dirs_shared),
	        cmocka_unit_test(test_case_variants),
	        cmocka_unit_test(test_not_found),
	        cmocka_unit_test(test_bad_arguments),
	        cmocka_unit_test(test_unicode_lookup),
	        cmocka_unit_test(test_dos_names),
	        cmocka_unit_test(test_dirent_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
