/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Paths: '.', '..', repeated and trailing slashes, Unicode and 255-unit
 * components, case-insensitive components, hard links, and the errors
 * (NOT_FOUND, NOT_DIR, NAME, LIMIT). Expected inodes come from the image
 * manifest (written when the image was made) and from what ntfsls listed
 * (the image's .ref file, written by make-refs.py).
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

#define IMAGE "ntfs-c4k"

static struct timage img;
static struct tref ref;
static struct memdev dev;
static struct memalloc ma;
static ntfs_volume *vol;

static int setup(void **state)
{
	(void)state;
	timage_open(&img, IMAGE);
	tref_load(&ref, IMAGE);
	assert_int_equal(timage_mount(&img, 512, &dev, &ma, &vol), NTFS_OK);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	timage_unmount(vol, &ma);
	tref_free(&ref);
	timage_close(&img);
	return 0;
}

/* Inode of file @path (no leading slash) in the manifest. */
static uint64_t manifest_inode(const char *path)
{
	static struct tman_entry e[4096];
	size_t n = tmanifest_read(IMAGE, e, sizeof e / sizeof e[0]);

	for (size_t i = 0; i < n; i++)
		if (strcmp(e[i].kind, "file") == 0 && strcmp(e[i].path + 1, path) == 0)
			return e[i].inode;
	fail_msg("%s is not in the manifest", path);
	return UINT64_MAX;
}

/* Inode of entry @name of directory @dir, from ntfsls. */
static uint64_t ls_inode(const char *dir, const char *name)
{
	return tref_inode(&ref, dir, name);
}

static void expect_path(const char *path, uint64_t ino)
{
	struct ntfs_stat st;
	ntfs_file *f;
	size_t blocks = ma.blocks;
	int err = ntfs_path_open(vol, path, &f);

	if (err)
		fail_msg("'%.200s': %s", path, ntfs_strerror(err));
	assert_int_equal(ntfs_file_stat(f, &st), NTFS_OK);
	if (NTFS_REF_RECORD(st.ref) != ino)
		fail_msg("'%.200s' opened record %llu, want %llu", path,
		         (unsigned long long)NTFS_REF_RECORD(st.ref), (unsigned long long)ino);
	ntfs_file_close(f);
	assert_int_equal(ma.blocks, blocks);
}

static void expect_err(const char *path, int want)
{
	ntfs_file *f = NULL;
	size_t blocks = ma.blocks;
	int err = ntfs_path_open(vol, path, &f);

	/* Nothing kept on failure. */
	if (err != NTFS_OK)
		assert_int_equal(ma.blocks, blocks);
	if (err != want) {
		if (err == NTFS_OK)
			ntfs_file_close(f);
		fail_msg("'%.200s': got %d (%s), want %s", path, err, ntfs_strerror(err),
		         ntfs_strerror(want));
	}
}

static void test_plain(void **state)
{
	(void)state;
	expect_path("/small.txt", manifest_inode("small.txt"));
	expect_path("small.txt", manifest_inode("small.txt"));
	expect_path("/nested/level1/level2/level3/level4/level5/level6/file-6.txt",
	            manifest_inode("nested/level1/level2/level3/level4/level5/level6/file-6.txt"));
	expect_path("/streams/multi.txt", manifest_inode("streams/multi.txt"));
	/* The root, however spelled. */
	expect_path("", NTFS_ROOT_RECORD);
	expect_path("/", NTFS_ROOT_RECORD);
	expect_path("///", NTFS_ROOT_RECORD);
	expect_path(".", NTFS_ROOT_RECORD);
	expect_path("/./.", NTFS_ROOT_RECORD);
	/* System files. */
	expect_path("/$MFT", 0);
	expect_path("/$UpCase", 10);
	expect_path("/$Extend", ls_inode("/", "$Extend"));
	/* Directories. */
	expect_path("/nested/level1", ls_inode("/nested", "level1"));
	expect_path("/nested/level1/", ls_inode("/nested", "level1"));
}

static void test_dots_and_slashes(void **state)
{
	const uint64_t f2 = manifest_inode("nested/level1/level2/file-2.txt");
	const uint64_t l1 = ls_inode("/nested", "level1");

	(void)state;
	expect_path("//nested///level1//level2//file-2.txt", f2);
	expect_path("/nested/./level1/././level2/./file-2.txt", f2);
	expect_path("/nested/level1/level2/level3/../file-2.txt", f2);
	expect_path("/nested/level1/level2/level3/level4/../../../level2/file-2.txt", f2);
	expect_path("/nested/level1/level2/..", l1);
	expect_path("/nested/level1/level2/../", l1);
	expect_path("/nested/level1/level2/../.", l1);
	expect_path("/nested/..", NTFS_ROOT_RECORD);
	/* ".." at the root stays there. */
	expect_path("/..", NTFS_ROOT_RECORD);
	expect_path("/../../..", NTFS_ROOT_RECORD);
	expect_path("/../nested/../small.txt", manifest_inode("small.txt"));
	/* Trailing slash and dot after a file name are ignored. */
	expect_path("/small.txt/", manifest_inode("small.txt"));
	/* Names that only start with dots are names. */
	expect_err("/...", NTFS_ERR_NOT_FOUND);
	expect_err("/.hidden", NTFS_ERR_NOT_FOUND);
}

static void test_case_insensitive(void **state)
{
	(void)state;
	expect_path("/NESTED/LEVEL1/Level2/FILE-2.TXT",
	            manifest_inode("nested/level1/level2/file-2.txt"));
	expect_path("/SMALL.TXT", manifest_inode("small.txt"));
	expect_path("/Unicode/ПРИВЕТ.TXT", manifest_inode("unicode/Привет.txt"));
	/* Exact case wins among case variants. */
	expect_path("/case/readme.txt", manifest_inode("case/readme.txt"));
	expect_path("/case/README.txt", manifest_inode("case/README.txt"));
	expect_path("/case/ReadMe.TXT", manifest_inode("case/ReadMe.TXT"));
	expect_path("/CASE/ReadMe.TXT", manifest_inode("case/ReadMe.TXT"));
}

static void test_unicode(void **state)
{
	static const char *const names[] = {
	        "unicode/中文文件.txt",       "unicode/Привет.txt",    "unicode/😀smile.txt",
	        "unicode/Ελληνικά σ ς Σ.txt", "unicode/目录/файл.txt",
	};
	char path[1200], name[1100];

	(void)state;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "/%s", names[i]);
		expect_path(path, manifest_inode(names[i]));
	}
	/* 255 UTF-16 units: ASCII, 2-byte UTF-8, surrogate pairs. */
	memset(name, 'a', 251);
	strcpy(name + 251, ".txt");
	snprintf(path, sizeof path, "unicode/%s", name);
	expect_path(path, manifest_inode(path));
	name[0] = '\0';
	for (int i = 0; i < 251; i++)
		strcat(name, "\xc3\xa9");
	strcat(name, ".txt");
	snprintf(path, sizeof path, "unicode/%s", name);
	expect_path(path, manifest_inode(path));
	name[0] = '\0';
	for (int i = 0; i < 125; i++)
		strcat(name, "\xf0\x9f\x98\x80");
	strcat(name, "a.txt");
	snprintf(path, sizeof path, "unicode/%s", name);
	expect_path(path, manifest_inode(path));
	/* 256 units: too long for NTFS. */
	memset(name, 'a', 252);
	strcpy(name + 252, ".txt");
	snprintf(path, sizeof path, "/unicode/%s", name);
	expect_err(path, NTFS_ERR_NAME);
	/* 255 units, not there. */
	memset(name, 'b', 255);
	name[255] = '\0';
	snprintf(path, sizeof path, "/unicode/%s", name);
	expect_err(path, NTFS_ERR_NOT_FOUND);
}

static void test_hard_links(void **state)
{
	const uint64_t target = manifest_inode("hardlinks/target.txt");
	char path[128];

	(void)state;
	for (int i = 1; i <= 250; i += 7) {
		snprintf(path, sizeof path, "/hardlinks/links/link-%03d.txt", i);
		expect_path(path, target);
	}
	expect_path("/hardlinks/links/link-250.txt", target);
	{
		ntfs_file *f;
		struct ntfs_stat st;
		uint64_t r, a = ls_inode("/", "hardlinks");
		assert_int_equal(ntfs_path_open(vol, "/hardlinks/links/..", &f), NTFS_OK);
		assert_int_equal(ntfs_file_stat(f, &st), NTFS_OK);
		r = NTFS_REF_RECORD(st.ref);
		assert_int_equal(r, a);
		ntfs_file_close(f);
	}
}

static void test_errors(void **state)
{
	(void)state;
	expect_err("/nope", NTFS_ERR_NOT_FOUND);
	expect_err("/nope/small.txt", NTFS_ERR_NOT_FOUND);
	expect_err("/nested/level1/nope", NTFS_ERR_NOT_FOUND);
	expect_err("/nested/level1/level2/file-2.txt.", NTFS_ERR_NOT_FOUND);
	/* A file used as a directory. */
	expect_err("/small.txt/x", NTFS_ERR_NOT_DIR);
	expect_err("/small.txt/small.txt", NTFS_ERR_NOT_DIR);
	expect_err("/nested/file-0.txt/level1", NTFS_ERR_NOT_DIR);
	/* Invalid UTF-8. */
	expect_err("/\xff", NTFS_ERR_NAME);
	expect_err("/nested/\xc3", NTFS_ERR_NAME);
	expect_err("/nested/\xc0\xae\xc0\xae", NTFS_ERR_NAME);
	expect_err("/\xed\xb0\x80.txt", NTFS_ERR_NAME);
}

/* The API: NOT_DIR when "a non-final component is a file". */
static void test_dotdot_after_file(void **state)
{
	(void)state;
	expect_err("/small.txt/..", NTFS_ERR_NOT_DIR);
	expect_err("/nested/file-0.txt/../file-0.txt", NTFS_ERR_NOT_DIR);
	/* Not the parent of one of the file's 251 names either. */
	expect_err("/hardlinks/links/link-001.txt/..", NTFS_ERR_NOT_DIR);
}

static void test_depth_limit(void **state)
{
	const size_t max = NTFS_MAX_PATH_DEPTH;
	char *path = malloc(16 * (max + 10));
	const uint64_t l6 = ls_inode("/nested/level1/level2/level3/level4/level5", "level6");
	size_t n;

	(void)state;
	assert_non_null(path);
	/* NTFS_MAX_PATH_DEPTH components of "." are fine; one more is not. */
	path[0] = '\0';
	for (size_t i = 0; i < max; i++)
		strcat(path, "/.");
	expect_path(path, NTFS_ROOT_RECORD);
	strcat(path, "/.");
	expect_err(path, NTFS_ERR_LIMIT);
	/* Real components and "..": 7 + 2k components. */
	strcpy(path, "/nested/level1/level2/level3/level4/level5/level6");
	for (n = 7; n + 2 <= max; n += 2)
		strcat(path, "/../level6");
	expect_path(path, l6);
	strcat(path, "/../level6");
	expect_err(path, NTFS_ERR_LIMIT);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_plain),
	        cmocka_unit_test(test_dots_and_slashes),
	        cmocka_unit_test(test_case_insensitive),
	        cmocka_unit_test(test_unicode),
	        cmocka_unit_test(test_hard_links),
	        cmocka_unit_test(test_errors),
	        cmocka_unit_test(test_depth_limit),
	        cmocka_unit_test(test_dotdot_after_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
