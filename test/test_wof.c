/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * WOF system compression (wof.c) and compressed reads at any offset.
 *
 * The chunk table is driven directly, over a compressed stream the test
 * builds in memory from chunks stored raw (so no decoder is involved) and
 * a fetch callback that fails the test if it is ever asked for a byte
 * outside the stream. Then, on ntfs-special (made by ntfs-3g and wimlib:
 * test/images/README.md), every WOF and LZNT1 file is read whole and in
 * pieces at random offsets, at every chunk boundary, and interleaved with
 * another file (the volume's one workspace changing hands): every piece
 * must be the same bytes as the whole, which test/special_files.py checks
 * against what was written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"
#include "fixture.h"
#include "image.h"
#include "memdev.h"
#include "synvol.h"

/* ---- the chunk table ------------------------------------------------------- */

struct stream {
	uint8_t *bytes;
	uint64_t size;
	unsigned fetches;
};

static int fetch(void *ctx, uint64_t off, uint8_t *buf, size_t len)
{
	struct stream *s = ctx;

	if (off > s->size || len > s->size - off)
		fail_msg("fetch of [%llu, +%zu) outside a stream of %llu bytes",
		         (unsigned long long)off, len, (unsigned long long)s->size);
	memcpy(buf, s->bytes + off, len);
	s->fetches++;
	return NTFS_OK;
}

/* Data byte @i of the file. */
static uint8_t pattern(uint64_t i)
{
	return (uint8_t)(i * 7 + (i >> 12));
}

/* A stream for a file of @size bytes in XPRESS4K chunks, every chunk
 * stored raw: (chunks - 1) 4-byte end offsets, then the chunks. */
static void build(struct stream *s, uint64_t size)
{
	uint64_t chunks = (size + 4095) / 4096, table = chunks ? (chunks - 1) * 4 : 0;

	s->size = table + size;
	s->bytes = malloc((size_t)s->size + 1);
	assert_non_null(s->bytes);
	s->fetches = 0;
	for (uint64_t i = 0; i + 1 < chunks; i++)
		fx_st32(s->bytes + 4 * i, (uint32_t)((i + 1) * 4096));
	for (uint64_t i = 0; i < size; i++)
		s->bytes[table + i] = pattern(i);
}

static void read_check(ntfs_volume *vol, struct ntfsi_wof *w, uint64_t off, size_t len)
{
	uint8_t *buf = malloc(len + 1);

	assert_non_null(buf);
	assert_int_equal(ntfsi_wof_read(vol, w, off, buf, len), NTFS_OK);
	for (size_t i = 0; i < len; i++)
		if (buf[i] != pattern(off + i))
			fail_msg("byte %llu: %u, want %u", (unsigned long long)(off + i), buf[i],
			         pattern(off + i));
	free(buf);
}

static void wof_init(ntfs_volume *vol, struct ntfsi_wof *w, struct stream *s, uint64_t size)
{
	const char *why = NULL;

	assert_int_equal(ntfsi_wof_init(vol, w, NTFS_WOF_XPRESS4K, size, s->size, &why), NTFS_OK);
	w->fetch = fetch;
	w->ctx = s;
}

static void raw_chunks(void **state)
{
	static const uint64_t sizes[] = {1, 4095, 4096, 4097, 3 * 4096, 100003};
	struct synvol sv;
	ntfs_volume *vol;
	(void)state;

	synvol_init(&sv, 4096, 1024, 4096);
	assert_int_equal(synvol_mount(&sv, 512, &vol), NTFS_OK);
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		struct stream s;
		struct ntfsi_wof w;
		uint64_t size = sizes[k];

		build(&s, size);
		wof_init(vol, &w, &s, size);
		read_check(vol, &w, 0, (size_t)size);
		/* Pieces across every boundary, one byte at a time near it. */
		for (uint64_t b = 4096; b < size; b += 4096)
			for (uint64_t off = b - 2; off <= b + 1 && off < size; off++)
				read_check(vol, &w, off, (size_t)(size - off < 3 ? size - off : 3));
		/* A whole-chunk read decodes into the caller's buffer: one fetch
		 * per chunk, and the table read once per window. */
		s.fetches = 0;
		read_check(vol, &w, 0, (size_t)size);
		assert_true(s.fetches <= w.chunks + (w.chunks + 63) / 64);
		free(s.bytes);
	}
	ntfs_unmount(vol);
	synvol_free(&sv);
}

/* Table entries that cannot be: the read fails, and no fetch leaves the
 * stream. @entry is changed to @value; the file has 25 chunks. (With every
 * chunk stored, a chunk ending past the stream is also too long; the
 * past-the-stream check alone is tested on real chunks below.) */
static void bad_tables(void **state)
{
	static const struct {
		const char *what;
		uint32_t entry, value;
		uint64_t read_at; /* where the failing read starts */
	} cases[] = {
	        {"chunk 0 empty", 0, 0, 0},
	        {"chunk 1 ends before chunk 0", 1, 4095, 4096},
	        {"chunk 0 longer stored than decoded", 0, 4097, 0},
	        {"chunk 23 ends far past the stream", 23, 0xFFFFFFF0u, 23 * 4096},
	        {"the last chunk would start past the stream", 23, 100003 + 1, 24 * 4096},
	};
	struct synvol sv;
	ntfs_volume *vol;
	(void)state;

	synvol_init(&sv, 4096, 1024, 4096);
	assert_int_equal(synvol_mount(&sv, 512, &vol), NTFS_OK);
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct stream s;
		struct ntfsi_wof w;
		uint8_t *buf = malloc(100003);
		int err;

		assert_non_null(buf);
		build(&s, 100003);
		fx_st32(s.bytes + 4 * cases[k].entry, cases[k].value);
		wof_init(vol, &w, &s, 100003);
		err = ntfsi_wof_read(vol, &w, cases[k].read_at, buf,
		                     (size_t)(100003 - cases[k].read_at));
		if (err != NTFS_ERR_CORRUPT_COMPRESSED)
			fail_msg("%s: %s", cases[k].what, ntfs_strerror(err));
		free(buf);
		free(s.bytes);
	}
	ntfs_unmount(vol);
	synvol_free(&sv);
}

/* The table's size against the stream's, and 8-byte entries past 4 GiB. */
static void table_geometry(void **state)
{
	struct synvol sv;
	ntfs_volume *vol;
	struct ntfsi_wof w;
	const char *why = NULL;
	(void)state;

	synvol_init(&sv, 4096, 1024, 4096);
	assert_int_equal(synvol_mount(&sv, 512, &vol), NTFS_OK);
	/* 25 chunks need 96 bytes of table. */
	assert_int_equal(ntfsi_wof_init(vol, &w, NTFS_WOF_XPRESS4K, 100003, 95, &why),
	                 NTFS_ERR_CORRUPT_COMPRESSED);
	assert_int_equal(ntfsi_wof_init(vol, &w, NTFS_WOF_XPRESS4K, 100003, 96, &why), NTFS_OK);
	assert_int_equal(w.chunks, 25);
	assert_int_equal(w.entry_size, 4);
	/* Up to 0xFFFFFFFF bytes 4-byte entries; from 4 GiB on, 8. */
	assert_int_equal(ntfsi_wof_init(vol, &w, NTFS_WOF_LZX, UINT32_MAX, 1ull << 40, &why),
	                 NTFS_OK);
	assert_int_equal(w.entry_size, 4);
	assert_int_equal(w.chunks, 131072);
	assert_int_equal(ntfsi_wof_init(vol, &w, NTFS_WOF_LZX, 1ull << 32, 1ull << 40, &why),
	                 NTFS_OK);
	assert_int_equal(w.entry_size, 8);
	assert_int_equal(w.table_len, 131071 * 8);
	/* The largest size there is: no overflow, and the table cannot fit. */
	assert_int_equal(ntfsi_wof_init(vol, &w, NTFS_WOF_XPRESS4K, UINT64_MAX, 1ull << 50, &why),
	                 NTFS_ERR_CORRUPT_COMPRESSED);
	/* An algorithm that does not exist. */
	assert_int_equal(ntfsi_wof_init(vol, &w, 4, 10, 10, &why), NTFS_ERR_UNSUPPORTED);
	assert_non_null(why);
	/* An empty file has no chunks and no table. */
	assert_int_equal(ntfsi_wof_init(vol, &w, NTFS_WOF_XPRESS8K, 0, 0, &why), NTFS_OK);
	assert_int_equal(w.chunks, 0);
	ntfs_unmount(vol);
	synvol_free(&sv);
}

/* ---- ntfs-special ------------------------------------------------------------ */

static uint8_t *read_whole(ntfs_stream *s, uint64_t size)
{
	uint8_t *buf = malloc((size_t)size + 1);
	size_t got;

	assert_non_null(buf);
	assert_int_equal(ntfs_stream_read(s, 0, buf, (size_t)size, &got), NTFS_OK);
	assert_int_equal(got, size);
	return buf;
}

static void piece(ntfs_stream *s, const uint8_t *whole, uint64_t size, uint64_t off, size_t len,
                  const char *what)
{
	static uint8_t buf[70000];
	size_t got, want = off >= size ? 0 : (size_t)(size - off < len ? size - off : len);

	assert_true(len <= sizeof buf);
	assert_int_equal(ntfs_stream_read(s, off, buf, len, &got), NTFS_OK);
	if (got != want || memcmp(buf, whole + off, got) != 0)
		fail_msg("%s: %zu bytes at %llu differ from the whole read", what, len,
		         (unsigned long long)off);
}

struct file {
	char path[8 + NTFS_NAME_MAX_UTF8];
	uint64_t chunk;
};

/* Every regular file of @dir (at most @max), with its chunk size. */
static size_t list_dir(ntfs_volume *vol, const char *dir, uint64_t chunk, struct file *out,
                       size_t max)
{
	ntfs_file *d;
	ntfs_dir *c;
	struct ntfs_dirent ent;
	size_t n = 0;

	assert_int_equal(ntfs_path_open(vol, dir, &d), NTFS_OK);
	assert_int_equal(ntfs_dir_open(d, 0, &c), NTFS_OK);
	while (ntfs_dir_next(c, &ent) == 1) {
		if (ent.is_dir || n == max)
			continue;
		snprintf(out[n].path, sizeof out[n].path, "%s/%s", dir, ent.name);
		/* XPRESS8K/16K and LZX files say so in their names. */
		out[n].chunk = strstr(ent.name, "lzx")   ? 32768
		               : strstr(ent.name, "16k") ? 16384
		               : strstr(ent.name, "8k")  ? 8192
		                                         : chunk;
		n++;
	}
	ntfs_dir_close(c);
	ntfs_file_close(d);
	return n;
}

static void special_pieces(void **state)
{
	struct timage img;
	struct memdev dev;
	struct memalloc ma;
	ntfs_volume *vol;
	struct file files[64];
	size_t n;
	unsigned seed = 12345, checked = 0;
	(void)state;

	timage_open(&img, "ntfs-special");
	assert_int_equal(timage_mount(&img, 512, &dev, &ma, &vol), NTFS_OK);
	n = list_dir(vol, "/wof", 4096, files, 64);
	n += list_dir(vol, "/lznt1", 4096, files + n, 64 - n);
	assert_true(n >= 30);
	for (size_t k = 0; k < n; k++) {
		ntfs_file *f, *g;
		ntfs_stream *s, *t;
		uint64_t size, size2;
		uint8_t *whole, *whole2;

		assert_int_equal(ntfs_path_open(vol, files[k].path, &f), NTFS_OK);
		assert_int_equal(ntfs_stream_open(f, NULL, &s), NTFS_OK);
		size = ntfs_stream_size(s);
		/* The 4 GiB file is read by special_files.py through ntfs-cat. */
		if (size > (64u << 20)) {
			ntfs_stream_close(s);
			ntfs_file_close(f);
			continue;
		}
		whole = read_whole(s, size);
		for (uint64_t b = files[k].chunk; b < size + files[k].chunk; b += files[k].chunk)
			for (uint64_t off = b - 2; off <= b + 1; off++)
				piece(s, whole, size, off, 3, files[k].path);
		for (int i = 0; i < 200; i++) {
			uint64_t off = size ? (uint64_t)rand_r(&seed) % (size + 10) : 0;
			piece(s, whole, size, off, (size_t)(rand_r(&seed) % 70000), files[k].path);
		}
		/* Interleaved with the next file: each read finds the workspace
		 * holding the other file's chunk. */
		assert_int_equal(ntfs_path_open(vol, files[(k + 1) % n].path, &g), NTFS_OK);
		assert_int_equal(ntfs_stream_open(g, NULL, &t), NTFS_OK);
		size2 = ntfs_stream_size(t);
		if (size2 <= (64u << 20)) {
			whole2 = read_whole(t, size2);
			for (int i = 0; i < 50; i++) {
				uint64_t o1 = size ? (uint64_t)rand_r(&seed) % size : 0;
				uint64_t o2 = size2 ? (uint64_t)rand_r(&seed) % size2 : 0;
				piece(s, whole, size, o1, 100, files[k].path);
				piece(t, whole2, size2, o2, 100, files[(k + 1) % n].path);
			}
			free(whole2);
		}
		ntfs_stream_close(t);
		ntfs_file_close(g);
		free(whole);
		ntfs_stream_close(s);
		ntfs_file_close(f);
		checked++;
	}
	assert_true(vol->workspace_size <= ntfs_decoder_workspace_size());
	print_message("  %u compressed files read in pieces; workspace %zu bytes\n", checked,
	              vol->workspace_size);
	timage_unmount(vol, &ma);
	timage_close(&img);
}

/*
 * /wof/xpress4k-exe.bin (25 XPRESS4K chunks of about 1.7 KiB): chunk 23
 * made to end one byte past the stream. Chunks 23 and 24 plus that byte
 * are less than 4 KiB, and decoding chunk 23 stops after its own bytes,
 * so only the check that a chunk lies inside the stream can refuse it.
 */
static void special_chunk_past_stream(void **state)
{
	static const uint16_t wcd[] = {'W', 'o', 'f', 'C', 'o', 'm', 'p', 'r', 'e',
	                               's', 's', 'e', 'd', 'D', 'a', 't', 'a'};
	struct timage img;
	struct memdev dev;
	struct memalloc ma;
	ntfs_volume *vol;
	ntfs_file *f;
	ntfs_stream *s, *d;
	struct ntfs_run run;
	struct ntfs_volume_info vi;
	uint8_t buf[4096], *table;
	size_t got;
	(void)state;

	timage_open(&img, "ntfs-special");
	assert_int_equal(timage_mount(&img, 512, &dev, &ma, &vol), NTFS_OK);
	assert_int_equal(ntfs_volume_info(vol, &vi), NTFS_OK);
	assert_int_equal(ntfs_path_open(vol, "/wof/xpress4k-exe.bin", &f), NTFS_OK);
	assert_int_equal(ntfs_attr_open(f, NTFS_AT_DATA, wcd, 17, &d), NTFS_OK);
	assert_int_equal(ntfs_stream_map(d, 0, &run), 1);
	assert_true(run.lcn != NTFS_LCN_HOLE);
	table = img.data + run.lcn * vi.cluster_size;
	assert_true(ntfs_stream_size(d) - 96 - fx_ld32(table + 88) < 4096);
	/* Unchanged, chunk 23 reads. */
	assert_int_equal(ntfs_stream_open(f, NULL, &s), NTFS_OK);
	assert_int_equal(ntfs_stream_read(s, 23 * 4096, buf, 4096, &got), NTFS_OK);
	ntfs_stream_close(s);
	fx_st32(table + 92, (uint32_t)(ntfs_stream_size(d) - 96 + 1));
	assert_int_equal(ntfs_stream_open(f, NULL, &s), NTFS_OK);
	assert_int_equal(ntfs_stream_read(s, 23 * 4096, buf, 4096, &got),
	                 NTFS_ERR_CORRUPT_COMPRESSED);
	ntfs_stream_close(s);
	ntfs_stream_close(d);
	ntfs_file_close(f);
	timage_unmount(vol, &ma);
	timage_close(&img);
}

/* A sequential read of an LZNT1 file, in pieces of any size, reads each
 * stored byte about once: the window slides forward keeping what it holds. */
static void lznt1_reads_once(void **state)
{
	static const size_t pieces[] = {512, 4096, 65536, 100000};
	struct timage img;
	struct memdev dev;
	struct memalloc ma;
	ntfs_volume *vol;
	ntfs_file *f;
	ntfs_stream *s;
	struct ntfs_run run;
	uint64_t stored = 0, size;
	static uint8_t buf[100000];
	(void)state;

	timage_open(&img, "ntfs-special");
	assert_int_equal(timage_mount(&img, 512, &dev, &ma, &vol), NTFS_OK);
	assert_int_equal(ntfs_path_open(vol, "/lznt1/mixed-3m.bin", &f), NTFS_OK);
	assert_int_equal(ntfs_stream_open(f, NULL, &s), NTFS_OK);
	size = ntfs_stream_size(s);
	for (uint64_t vcn = 0; ntfs_stream_map(s, vcn, &run) == 1; vcn = run.vcn + run.length)
		if (run.lcn != NTFS_LCN_HOLE)
			stored += run.length * 4096;
	for (size_t k = 0; k < sizeof pieces / sizeof pieces[0]; k++) {
		uint64_t before = dev.bytes_read;
		size_t got;

		ntfs_stream_close(s);
		assert_int_equal(ntfs_stream_open(f, NULL, &s), NTFS_OK);
		for (uint64_t off = 0; off < size; off += got)
			assert_int_equal(ntfs_stream_read(s, off, buf, pieces[k], &got), NTFS_OK);
		print_message("  pieces of %zu: %llu bytes read for %llu stored\n", pieces[k],
		              (unsigned long long)(dev.bytes_read - before),
		              (unsigned long long)stored);
		assert_true(dev.bytes_read - before <= stored + stored / 8);
	}
	ntfs_stream_close(s);
	ntfs_file_close(f);
	timage_unmount(vol, &ma);
	timage_close(&img);
}

/* Reading LZNT1, then each WOF algorithm, then LZNT1 again allocates the
 * workspace at most twice: what the first stream needs, then the most any
 * codec needs (an arena pays for each block it cannot reuse). */
static void workspace_grows_once(void **state)
{
	static const char *const paths[] = {
	        "/lznt1/size-65536.bin",  "/wof/xpress4k-exe.bin", "/wof/xpress8k-exe.bin",
	        "/wof/xpress16k-exe.bin", "/wof/lzx-exe.bin",      "/lznt1/mixed-3m.bin",
	};
	static uint8_t buf[65536];
	struct timage img;
	struct memdev dev;
	struct memalloc ma;
	ntfs_volume *vol;
	size_t seen = 0, first = 0;
	unsigned changes = 0;
	(void)state;

	timage_open(&img, "ntfs-special");
	assert_int_equal(timage_mount(&img, 512, &dev, &ma, &vol), NTFS_OK);
	for (size_t k = 0; k < sizeof paths / sizeof paths[0]; k++) {
		ntfs_file *f;
		ntfs_stream *s;
		size_t got;

		assert_int_equal(ntfs_path_open(vol, paths[k], &f), NTFS_OK);
		assert_int_equal(ntfs_stream_open(f, NULL, &s), NTFS_OK);
		assert_int_equal(ntfs_stream_read(s, 0, buf, sizeof buf, &got), NTFS_OK);
		assert_true(got > 0);
		ntfs_stream_close(s);
		ntfs_file_close(f);
		/* By size: the allocator may hand back the same address. */
		if (vol->workspace_size != seen) {
			seen = vol->workspace_size;
			changes++;
			if (first == 0)
				first = vol->workspace_size;
		}
	}
	print_message("  workspace: %zu bytes first, then %zu\n", first, vol->workspace_size);
	assert_int_equal(changes, 2);
	assert_true(first < vol->workspace_size);
	assert_int_equal(vol->workspace_size, ntfs_decoder_workspace_size());
	timage_unmount(vol, &ma);
	timage_close(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(raw_chunks),
	        cmocka_unit_test(bad_tables),
	        cmocka_unit_test(table_geometry),
	        cmocka_unit_test(special_pieces),
	        cmocka_unit_test(special_chunk_past_stream),
	        cmocka_unit_test(lznt1_reads_once),
	        cmocka_unit_test(workspace_grows_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
