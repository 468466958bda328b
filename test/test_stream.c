/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Streams: contents against the sha256 in each image's manifest (written
 * when the images were made, and checked then against ntfscat and icat);
 * sizes, flags and runs against ntfsinfo -v, inode numbers against ifind,
 * stream names against istat, as those tools reported them in the image's
 * .ref file (written by make-refs.py).
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

static const char *const images[] = {
        "ntfs-c512", "ntfs-c4k", "ntfs-c64k", "ntfs-c2m", "ntfs-s4k", "ntfs-frag", "ntfs-mftlist",
};

#define RANDOM_READS 150
#define MAX_ENTRIES 64 /* manifest entries checked per image */

/* Equality with the entry named in the message. */
#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		unsigned long long a_ = (a), b_ = (b);                                             \
		if (a_ != b_)                                                                      \
			fail_msg("%s: %s = %llu, but %s = %llu", what, #a, a_, #b, b_);            \
	} while (0)

static void read_all(ntfs_stream *s, uint8_t *buf, uint64_t size)
{
	size_t got;

	assert_int_equal(ntfs_stream_read(s, 0, buf, (size_t)size + 1000, &got), NTFS_OK);
	assert_int_equal(got, size);
}

/* Read [off, off + len) and compare with the reference. */
static void check_range(ntfs_stream *s, const uint8_t *want, uint64_t size, uint64_t off,
                        size_t len, uint8_t *buf, const char *what)
{
	size_t got = 12345,
	       expect = off >= size ? 0 : (size_t)(size - off < len ? size - off : len);
	int err;

	memset(buf, 0x5A, len + 16);
	err = ntfs_stream_read(s, off, buf, len, &got);
	if (err)
		fail_msg("%s: read %zu at %llu: %s", what, len, (unsigned long long)off,
		         ntfs_strerror(err));
	if (got != expect)
		fail_msg("%s: read %zu at %llu gave %zu bytes, want %zu", what, len,
		         (unsigned long long)off, got, expect);
	if (memcmp(buf, want + (expect ? off : 0), expect) != 0)
		fail_msg("%s: read %zu at %llu: bytes differ from the whole stream's", what, len,
		         (unsigned long long)off);
	/* Nothing past what was reported. */
	for (size_t i = expect; i < len + 16 && i < expect + 16; i++)
		if (buf[i] != 0x5A)
			fail_msg("%s: read %zu at %llu wrote past the %zu bytes it reported", what,
			         len, (unsigned long long)off, expect);
}

static void check_runs(ntfs_stream *s, const struct xattr *x, uint32_t cluster, const char *what)
{
	size_t n = 0, cap = 64, m;
	struct xrun *ours = malloc(cap * sizeof *ours), *theirs;
	struct ntfs_run run;
	uint64_t vcn = 0;
	int r;

	assert_non_null(ours);
	while ((r = ntfs_stream_map(s, vcn, &run)) == 1) {
		if (run.vcn > vcn || run.vcn + run.length <= vcn)
			fail_msg("%s: map(%llu) gave run %llu+%llu", what, (unsigned long long)vcn,
			         (unsigned long long)run.vcn, (unsigned long long)run.length);
		if (n == cap) {
			cap *= 2;
			ours = realloc(ours, cap * sizeof *ours);
			assert_non_null(ours);
		}
		ours[n].vcn = run.vcn;
		ours[n].lcn = run.lcn;
		ours[n].len = run.length;
		n++;
		vcn = run.vcn + run.length;
	}
	if (r < 0)
		fail_msg("%s: map(%llu): %s", what, (unsigned long long)vcn, ntfs_strerror(r));
	n = xrun_normalize(ours, n);
	theirs = malloc((x->nruns + 1) * sizeof *theirs);
	assert_non_null(theirs);
	if (x->nruns > 0)
		memcpy(theirs, x->runs, x->nruns * sizeof *theirs);
	m = xrun_normalize(theirs, x->nruns);
	if (n != m)
		fail_msg("%s: %zu runs, ntfsinfo has %zu", what, n, m);
	for (size_t i = 0; i < n; i++)
		if (ours[i].vcn != theirs[i].vcn || ours[i].lcn != theirs[i].lcn ||
		    ours[i].len != theirs[i].len)
			fail_msg("%s: run %zu: %llu/%lld/%llu, ntfsinfo %llu/%lld/%llu", what, i,
			         (unsigned long long)ours[i].vcn, (long long)ours[i].lcn,
			         (unsigned long long)ours[i].len, (unsigned long long)theirs[i].vcn,
			         (long long)theirs[i].lcn, (unsigned long long)theirs[i].len);
	/* The runs cover the allocation. */
	if (n > 0)
		assert_int_equal((ours[n - 1].vcn + ours[n - 1].len) * cluster, x->alloc);
	/* Mapping again in the middle of each run gives the same run. */
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ntfs_stream_map(s, ours[i].vcn + ours[i].len / 2, &run), 1);
		assert_true(run.vcn <= ours[i].vcn + ours[i].len / 2);
	}
	assert_int_equal(ntfs_stream_map(s, vcn, &run), 0);
	assert_int_equal(ntfs_stream_map(s, UINT64_MAX / 2, &run), 0);
	free(ours);
	free(theirs);
}

struct counts {
	size_t streams, holes, sparse, beyond_init, compressed, multi_extent, boundaries;
	size_t resident_compressed;
};

static void check_entry(const struct timage *img, const struct tref *ref, ntfs_volume *vol,
                        uint32_t cluster, const struct tman_entry *e, uint64_t *seed,
                        struct counts *c)
{
	char what[1400], sha[65];
	const struct xattr *x;
	struct ntfs_stat st;
	struct ntfs_stream_info si;
	ntfs_file *f;
	ntfs_stream *s;
	uint8_t *want, *buf;
	uint32_t cursor = 0;
	bool listed = false;
	int err, r;

	snprintf(what, sizeof what, "%s:%s%s%s", img->name, e->path, e->stream[0] ? ":" : "",
	         e->stream);
	err = ntfs_path_open(vol, e->path, &f);
	if (err)
		fail_msg("%s: ntfs_path_open: %s", what, ntfs_strerror(err));
	assert_int_equal(ntfs_file_stat(f, &st), NTFS_OK);
	if (NTFS_REF_RECORD(st.ref) != e->inode)
		fail_msg("%s: record %llu, manifest says %llu", what,
		         (unsigned long long)NTFS_REF_RECORD(st.ref), (unsigned long long)e->inode);
	x = xattr_find(tref_record(ref, e->inode), NTFS_AT_DATA, e->stream);
	if (x == NULL)
		fail_msg("%s: ntfsinfo shows no such $DATA attribute", what);

	/* ntfs_stream_next lists it with ntfsinfo's sizes and flags. */
	while ((r = ntfs_stream_next(f, &cursor, &si)) == 1) {
		if (strcmp(si.name, e->stream) != 0)
			continue;
		assert_false(listed);
		listed = true;
		CHECK_EQ(si.size, x->size);
		CHECK_EQ(si.allocated_size, x->alloc);
		CHECK_EQ(si.initialized_size, x->init);
		CHECK_EQ(si.flags, x->flags);
		CHECK_EQ(si.resident, x->resident);
	}
	assert_int_equal(r, 0);
	if (!listed)
		fail_msg("%s: not listed by ntfs_stream_next", what);
	if (e->stream[0] == '\0') {
		CHECK_EQ(st.size, x->size);
		CHECK_EQ(st.allocated_size, x->alloc);
		CHECK_EQ(st.initialized_size, x->init);
	}

	err = ntfs_stream_open(f, e->stream, &s);
	if (err)
		fail_msg("%s: ntfs_stream_open: %s", what, ntfs_strerror(err));
	CHECK_EQ(ntfs_stream_size(s), x->size);
	CHECK_EQ(x->size, e->size);
	c->streams++;
	if (!x->resident)
		check_runs(s, x, cluster, what);
	if (x->extents > 1)
		c->multi_extent++;

	buf = malloc((size_t)x->size + 70100 + cluster);
	assert_non_null(buf);
	/* Encrypted values are not read by design: the read must say so rather
	 * than return ciphertext. Compressed ones (LZNT1) read as the bytes
	 * that were written; a resident value is never compressed, whatever
	 * the flag. */
	if (x->flags & NTFS_ATTR_FLAG_ENCRYPTED) {
		size_t got = 1;
		if (x->size > 0)
			assert_int_equal(ntfs_stream_read(s, 0, buf, 16, &got),
			                 NTFS_ERR_UNSUPPORTED);
		goto out;
	}
	if (x->flags & NTFS_ATTR_FLAG_COMPRESSED) {
		if (x->resident)
			c->resident_compressed++;
		else
			c->compressed++;
	}
	/* The whole stream, as the manifest says; then every piece read must
	 * be the same bytes. */
	read_all(s, buf, x->size);
	sha256_hex(buf, (size_t)x->size, sha);
	if (strcmp(sha, e->sha) != 0)
		fail_msg("%s: content has sha256 %s, the manifest says %s", what, sha, e->sha);
	want = malloc((size_t)x->size + 1);
	assert_non_null(want);
	memcpy(want, buf, (size_t)x->size);

	/* Random (offset, length), most unaligned; some past the end. */
	for (int i = 0; i < (x->size > 0 ? RANDOM_READS : 4); i++) {
		uint64_t r1 = trand(seed), r2 = trand(seed);
		uint64_t off = x->size ? r1 % (x->size + 64) : r1 % 64;
		size_t len = (size_t)(i % 3 == 0 ? r2 % 70000 : r2 % 1500);
		check_range(s, want, x->size, off, len, buf, what);
	}
	/* At and past the end: nothing. */
	check_range(s, want, x->size, x->size, 100, buf, what);
	check_range(s, want, x->size, x->size + 1, 100, buf, what);
	check_range(s, want, x->size, UINT64_MAX - 10, 100, buf, what);
	if (x->size > 0)
		check_range(s, want, x->size, x->size - 1, 100, buf, what);
	check_range(s, want, x->size, 0, 0, buf, what);

	/* Around every run boundary, and through each hole. */
	for (size_t i = 0; i < x->nruns; i++) {
		uint64_t b = x->runs[i].vcn * cluster;
		if (b > 0 && b < x->size) {
			check_range(s, want, x->size, b - 3, 7, buf, what);
			check_range(s, want, x->size, b - cluster / 2 - 1, cluster + 3, buf, what);
			c->boundaries++;
		}
		if (x->runs[i].lcn == NTFS_LCN_HOLE && b < x->size) {
			uint64_t hole = x->runs[i].len * cluster;
			size_t len = (size_t)(hole < 65536 ? hole : 65536);
			check_range(s, want, x->size, b + 1, len, buf, what);
			/* In a compressed value a hole ends a compressed unit: not zeros. */
			for (size_t k = 0; !(x->flags & NTFS_ATTR_FLAG_COMPRESSED) && k < len &&
			                   b + 1 + k < x->init && b + 1 + k < x->size;
			     k++)
				if (buf[k] != 0)
					fail_msg("%s: hole at VCN %llu reads non-zero", what,
					         (unsigned long long)x->runs[i].vcn);
			c->holes++;
		}
	}
	if (x->flags & NTFS_ATTR_FLAG_SPARSE)
		c->sparse++;
	/* Past the initialized size: zeros (the manifest agrees). */
	if (!x->resident && x->init < x->size && x->init >= 5) {
		check_range(s, want, x->size, x->init - 5, 4096, buf, what);
		check_range(s, want, x->size, x->init, 100, buf, what);
		for (size_t k = 0; k < 100 && x->init + k < x->size; k++)
			assert_int_equal(buf[k], 0);
		c->beyond_init++;
	}
	free(want);
out:
	free(buf);
	ntfs_stream_close(s);
	ntfs_file_close(f);
}

static void test_manifest_streams(void **state)
{
	struct counts c = {0};
	static struct tman_entry entries[MAX_ENTRIES];
	uint64_t seed = 0x5EED;

	(void)state;
	for (size_t i = 0; i < sizeof images / sizeof images[0]; i++) {
		struct ntfs_volume_info vi;
		struct timage img;
		struct tref ref;
		struct memdev dev;
		struct memalloc ma;
		ntfs_volume *vol;
		size_t n;

		if (!timage_exists(images[i]))
			fail_msg("committed image %s is missing", images[i]);
		timage_open(&img, images[i]);
		tref_load(&ref, images[i]);
		n = tmanifest_read(images[i], entries, MAX_ENTRIES);
		assert_int_equal(timage_mount(&img, 512, &dev, &ma, &vol), NTFS_OK);
		ntfs_volume_info(vol, &vi);
		for (size_t k = 0; k < n; k++)
			check_entry(&img, &ref, vol, vi.cluster_size, &entries[k], &seed, &c);
		print_message("  %s: %zu manifest entries\n", images[i], n);
		assert_int_equal(dev.misaligned, 0);
		timage_unmount(vol, &ma);
		tref_free(&ref);
		timage_close(&img);
	}
	print_message("  %zu streams; %zu sparse, %zu holes, %zu past init, %zu compressed "
	              "(+%zu resident), %zu with several extents, %zu run boundaries\n",
	              c.streams, c.sparse, c.holes, c.beyond_init, c.compressed,
	              c.resident_compressed, c.multi_extent, c.boundaries);
	/* The images must exercise what this test is for. */
	assert_true(c.sparse > 0 && c.holes > 0 && c.beyond_init > 0 && c.compressed > 0);
	assert_true(c.multi_extent > 0 && c.boundaries > 100);
}

/* ifind's record for @path. */
static uint64_t ifind(const struct tref *ref, const char *path)
{
	uint64_t ino;

	if (!tref_ifind(ref, path, &ino))
		fail_msg("%s: ifind found no %s", ref->file, path);
	return ino;
}

/* The paths the manifest gives resolve to the inode ifind finds. */
static void test_paths_match_ifind(void **state)
{
	static struct tman_entry entries[MAX_ENTRIES];
	struct timage img;
	struct tref ref;
	struct memdev dev;
	struct memalloc ma;
	ntfs_volume *vol;
	size_t n;

	(void)state;
	timage_open(&img, "ntfs-c512");
	tref_load(&ref, "ntfs-c512");
	n = tmanifest_read("ntfs-c512", entries, MAX_ENTRIES);
	assert_int_equal(timage_mount(&img, 512, &dev, &ma, &vol), NTFS_OK);
	for (size_t k = 0; k < n; k++) {
		struct ntfs_stat st;
		ntfs_file *f;
		assert_int_equal(ntfs_path_open(vol, entries[k].path, &f), NTFS_OK);
		assert_int_equal(ntfs_file_stat(f, &st), NTFS_OK);
		const char *what = entries[k].path;
		/* ifind matches names case-insensitively and takes the first:
		 * useless for names that differ only in case. */
		if (strncmp(what, "/case/", 6) != 0)
			CHECK_EQ(NTFS_REF_RECORD(st.ref), ifind(&ref, what));
		CHECK_EQ(NTFS_REF_RECORD(st.ref), entries[k].inode);
		ntfs_file_close(f);
	}
	timage_unmount(vol, &ma);
	tref_free(&ref);
	timage_close(&img);
}

/* Named streams: ntfs_stream_next lists exactly the $DATA attributes istat
 * listed for the record ifind found, each once. */
static void check_stream_names(const struct tref *ref, ntfs_volume *vol, const char *what)
{
	const struct tref_record *rec = tref_record(ref, ifind(ref, what));
	const char *names[32];
	size_t n = 0, seen = 0;
	struct ntfs_stream_info si;
	struct ntfs_stat st;
	uint32_t cursor = 0;
	ntfs_file *f;
	int r;

	assert_int_equal(ntfs_path_open(vol, what, &f), NTFS_OK);
	assert_int_equal(ntfs_file_stat(f, &st), NTFS_OK);
	CHECK_EQ(NTFS_REF_RECORD(st.ref), rec->rec);
	if (!rec->istat)
		fail_msg("%s: istat could not read record %llu", what,
		         (unsigned long long)rec->rec);
	for (size_t i = 0; i < rec->ntattrs; i++) {
		bool dup = false;
		if (rec->tattrs[i].type != NTFS_AT_DATA)
			continue;
		/* One line per extent: keep each name once. */
		for (size_t k = 0; k < n; k++)
			dup |= strcmp(names[k], rec->tattrs[i].name) == 0;
		assert_true(n < 32);
		if (!dup)
			names[n++] = rec->tattrs[i].name;
	}
	while ((r = ntfs_stream_next(f, &cursor, &si)) == 1) {
		size_t k;
		for (k = 0; k < n; k++)
			if (names[k] != NULL && strcmp(names[k], si.name) == 0)
				break;
		if (k == n)
			fail_msg("%s: stream '%s' is not in istat's list (or listed twice)", what,
			         si.name);
		names[k] = NULL; /* each once */
		seen++;
	}
	assert_int_equal(r, 0);
	if (seen != n)
		fail_msg("%s: %zu streams, istat lists %zu", what, seen, n);
	ntfs_file_close(f);
}

static void test_named_streams(void **state)
{
	struct timage img;
	struct tref ref;
	struct memdev dev;
	struct memalloc ma;
	ntfs_volume *vol;
	ntfs_file *f;
	ntfs_stream *s;

	(void)state;
	timage_open(&img, "ntfs-c4k");
	tref_load(&ref, "ntfs-c4k");
	assert_int_equal(timage_mount(&img, 512, &dev, &ma, &vol), NTFS_OK);
	check_stream_names(&ref, vol, "/streams/multi.txt");
	check_stream_names(&ref, vol, "/streams/small-stream.txt");
	check_stream_names(&ref, vol, "/streams/big-stream.txt");
	check_stream_names(&ref, vol, "/streams/only-stream.txt");
	check_stream_names(&ref, vol, "/streams/dir-with-stream");
	check_stream_names(&ref, vol, "/random-3m.bin");
	check_stream_names(&ref, vol, "/hardlinks/target.txt");

	/* Opening by name: exact names only (stream names are case-sensitive
	 * in ntfs-3g's namespace; a missing name is NOT_FOUND). */
	assert_int_equal(ntfs_path_open(vol, "/streams/multi.txt", &f), NTFS_OK);
	assert_int_equal(ntfs_stream_open(f, "nosuchstream", &s), NTFS_ERR_NOT_FOUND);
	assert_int_equal(ntfs_stream_open(f, "\xff\xfe", &s), NTFS_ERR_NAME);
	assert_int_equal(ntfs_stream_open(f, "beta", &s), NTFS_OK);
	ntfs_stream_close(s);
	ntfs_file_close(f);

	/* A directory: no unnamed stream, but a named one. */
	assert_int_equal(ntfs_path_open(vol, "/streams/dir-with-stream", &f), NTFS_OK);
	assert_int_equal(ntfs_stream_open(f, NULL, &s), NTFS_ERR_IS_DIR);
	assert_int_equal(ntfs_stream_open(f, "", &s), NTFS_ERR_IS_DIR);
	assert_int_equal(ntfs_stream_open(f, "dirnote", &s), NTFS_OK);
	ntfs_stream_close(s);
	ntfs_file_close(f);
	timage_unmount(vol, &ma);
	tref_free(&ref);
	timage_close(&img);
}

/* Reading with every read_align gives the same bytes. */
static void test_read_align_same_bytes(void **state)
{
	static const char *const paths[] = {"/random-100k.bin", "/sparse.bin", "/pattern-3m.bin"};
	struct timage img;
	uint8_t *ref[3] = {0}, *buf;
	uint64_t sizes[3];

	(void)state;
	timage_open(&img, "ntfs-c512");
	buf = malloc(16 << 20);
	assert_non_null(buf);
	for (uint32_t a = 512; a <= 65536; a *= 4) {
		struct memdev dev;
		struct memalloc ma;
		ntfs_volume *vol;
		assert_int_equal(timage_mount(&img, a, &dev, &ma, &vol), NTFS_OK);
		for (int i = 0; i < 3; i++) {
			ntfs_file *f;
			ntfs_stream *s;
			size_t got;
			assert_int_equal(ntfs_path_open(vol, paths[i], &f), NTFS_OK);
			assert_int_equal(ntfs_stream_open(f, NULL, &s), NTFS_OK);
			/* Odd offset and length: both ends unaligned. */
			assert_int_equal(ntfs_stream_read(s, 777, buf, (16 << 20) - 3, &got),
			                 NTFS_OK);
			if (ref[i] == NULL) {
				sizes[i] = got;
				ref[i] = malloc(got + 1);
				memcpy(ref[i], buf, got);
			} else {
				assert_int_equal(got, sizes[i]);
				assert_memory_equal(buf, ref[i], got);
			}
			ntfs_stream_close(s);
			ntfs_file_close(f);
		}
		assert_int_equal(dev.misaligned, 0);
		timage_unmount(vol, &ma);
	}
	for (int i = 0; i < 3; i++)
		free(ref[i]);
	free(buf);
	timage_close(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_manifest_streams),
	        cmocka_unit_test(test_paths_match_ifind),
	        cmocka_unit_test(test_named_streams),
	        cmocka_unit_test(test_read_align_same_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
