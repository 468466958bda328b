/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fault injection. A workload mounts a volume, walks every directory
 * (explicit stack, bounded depth), and for every file stats it, lists its
 * attributes and reads every stream, then counts free clusters. A clean
 * run counts the reads R and allocations A; then the Nth read (N = 1..R)
 * or the Nth allocation (N = 1..A) is made to fail, striding when there
 * are too many. Every injected failure must come back as NTFS_ERR_IO or
 * NTFS_ERR_NOMEM from some call (the workload stops at the first error and
 * returns it), never a crash or a success, and nothing may stay allocated
 * after unmount.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <ntfs/ntfs.h>

#include "image.h"
#include "memdev.h"

/* Images the workload runs on (committed, test/images/NAME.img.xz), and
 * which entries of a directory get processed: every Nth (all are listed). */
static const struct {
	const char *name;
	unsigned every;
} fault_images[] = {
        {"ntfs-c512", 1},     /* nested dirs, named streams, sparse, compressed */
        {"ntfs-frag", 19},    /* a file of 3000+ runs over an attribute list */
        {"ntfs-mftlist", 13}, /* an $MFT with an attribute list */
};

#define MAX_DEPTH 24
/* Iterations per sweep at most (fewer under the sanitizers: 10x slower). */
#if defined(__SANITIZE_ADDRESS__)
#define MAX_SWEEP 200
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MAX_SWEEP 200
#endif
#endif
#ifndef MAX_SWEEP
#define MAX_SWEEP 3000
#endif

/* NTFS_TEST_MAX_SWEEP overrides it (CI's Valgrind run, 30x slower). */
static uint64_t max_sweep(void)
{
	const char *env = getenv("NTFS_TEST_MAX_SWEEP");
	long v = env != NULL ? strtol(env, NULL, 10) : 0;

	return v > 0 ? (uint64_t)v : MAX_SWEEP;
}
#define SMALL (256u << 10) /* streams up to this size are read whole */
#define WINDOWS 8          /* else this many windows spread over it */
#define WINDOW (20u << 10) /* of this many bytes */
#define CHUNK SMALL        /* bytes per ntfs_stream_read() */
#define LOOKUP_EVERY 7     /* ntfs_dir_lookup() every Nth processed entry */

struct stats {
	uint64_t dirs, files, streams, attrs, lookups, bytes;
	uint64_t hash; /* FNV-1a over names, sizes and data */
};

struct walk {
	ntfs_volume *vol;
	uint8_t *seen; /* one bit per MFT record: file already processed */
	uint64_t records;
	struct stats st;
	uint8_t *buf;
	bool hash_data;  /* hash what is read (clean runs only: it is slow) */
	unsigned every;  /* process every Nth file of a directory */
	char where[256]; /* the call that failed, for messages */
};

/* Note where @err came from (the first error only) and return it. */
static int at(struct walk *w, int err, const char *what, uint64_t ref, const char *name)
{
	if (err < 0 && w->where[0] == '\0')
		snprintf(w->where, sizeof w->where, "%.40s (record %llu, '%.60s')", what,
		         (unsigned long long)NTFS_REF_RECORD(ref), name ? name : "");
	return err;
}

static void mix(uint64_t *h, const void *p, size_t n)
{
	const uint8_t *b = p;
	while (n--) {
		*h ^= *b++;
		*h *= 0x100000001B3ull;
	}
}

static bool test_and_set(struct walk *w, uint64_t ref)
{
	uint64_t r = NTFS_REF_RECORD(ref);
	bool was;

	if (r >= w->records)
		return true; /* cannot happen on a good volume; do not follow */
	was = (w->seen[r >> 3] >> (r & 7)) & 1;
	w->seen[r >> 3] |= (uint8_t)(1u << (r & 7));
	return was;
}

static int read_at(struct walk *w, ntfs_stream *s, uint64_t off, size_t len, uint64_t size)
{
	size_t got;
	int err = ntfs_stream_read(s, off, w->buf, len, &got);

	if (err == NTFS_OK && got != (off + len <= size ? len : size - off))
		err = NTFS_ERR_CORRUPT; /* a short read before the end: a wrong answer */
	if (err == NTFS_OK) {
		if (w->hash_data)
			mix(&w->st.hash, w->buf, got);
		w->st.bytes += got;
	}
	return err;
}

static int read_stream(struct walk *w, ntfs_file *f, const char *name)
{
	ntfs_stream *s;
	uint64_t off, size;
	int err = ntfs_stream_open(f, name, &s);

	if (err)
		return at(w, err, "ntfs_stream_open", 0, name);
	size = ntfs_stream_size(s);
	mix(&w->st.hash, &size, sizeof size);
	if (size <= SMALL) {
		err = read_at(w, s, 0, CHUNK, size);
	} else {
		/* Windows spread over the whole stream reach every extent. */
		for (int k = 0; err == NTFS_OK && k <= WINDOWS; k++) {
			off = k < WINDOWS ? size / WINDOWS * k + 3 * k : size - WINDOW / 2;
			err = read_at(w, s, off, WINDOW, size);
		}
	}
	/* Compressed and encrypted streams are not read by design. */
	if (err == NTFS_ERR_UNSUPPORTED)
		err = NTFS_OK;
	ntfs_stream_close(s);
	w->st.streams++;
	return at(w, err, "ntfs_stream_read", 0, name);
}

static int process_file(struct walk *w, uint64_t ref)
{
	struct ntfs_stat st;
	struct ntfs_attr_info ai;
	struct ntfs_stream_info si;
	uint32_t cursor = 0;
	ntfs_file *f;
	int r, err = ntfs_file_open(w->vol, ref, &f);

	if (err)
		return at(w, err, "ntfs_file_open", ref, NULL);
	w->st.files++;
	err = at(w, ntfs_file_stat(f, &st), "ntfs_file_stat", ref, NULL);
	if (!err) {
		mix(&w->st.hash, &st.size, sizeof st.size);
		mix(&w->st.hash, &st.attributes, sizeof st.attributes);
	}
	while (!err && (r = ntfs_attr_next(f, &cursor, &ai)) != 0) {
		if (r < 0)
			err = at(w, r, "ntfs_attr_next", ref, NULL);
		else {
			w->st.attrs++;
			mix(&w->st.hash, &ai.type, sizeof ai.type);
		}
	}
	cursor = 0;
	while (!err && (r = ntfs_stream_next(f, &cursor, &si)) != 0) {
		if (r < 0)
			err = at(w, r, "ntfs_stream_next", ref, NULL);
		else
			err = read_stream(w, f, si.name);
	}
	ntfs_file_close(f);
	return err;
}

/* List directory @ref: process each new file, push new subdirectories. */
static int walk_dir(struct walk *w, uint64_t ref, uint64_t *stack, uint32_t *sp, uint32_t *depth,
                    uint32_t my_depth)
{
	struct ntfs_dirent ent, found;
	ntfs_file *dir;
	ntfs_dir *cur;
	uint64_t n = 0;
	int r, err = ntfs_file_open(w->vol, ref, &dir);

	if (err)
		return at(w, err, "ntfs_file_open (dir)", ref, NULL);
	err = at(w, ntfs_dir_open(dir, 0, &cur), "ntfs_dir_open", ref, NULL);
	if (err) {
		ntfs_file_close(dir);
		return err;
	}
	w->st.dirs++;
	while (!err && (r = ntfs_dir_next(cur, &ent)) != 0) {
		if (r < 0) {
			err = at(w, r, "ntfs_dir_next", ref, NULL);
			break;
		}
		mix(&w->st.hash, ent.name, ent.name_len);
		/* Subdirectories are always followed; files sampled. */
		if (!ent.is_dir && n++ % w->every != 0)
			continue;
		if ((n - 1) % LOOKUP_EVERY == 0) {
			err = ntfs_dir_lookup(dir, ent.name, ent.name_len, &found);
			if (!err && NTFS_REF_RECORD(found.ref) != NTFS_REF_RECORD(ent.ref))
				err = NTFS_ERR_CORRUPT; /* a wrong answer, not a fault */
			at(w, err, "ntfs_dir_lookup", ref, ent.name);
			w->st.lookups++;
			if (err)
				break;
		}
		if (NTFS_REF_RECORD(ent.ref) == NTFS_REF_RECORD(ref) || test_and_set(w, ent.ref))
			continue;
		err = process_file(w, ent.ref);
		if (!err && ent.is_dir && my_depth + 1 < MAX_DEPTH) {
			stack[*sp] = ent.ref;
			depth[(*sp)++] = my_depth + 1;
		}
	}
	ntfs_dir_close(cur);
	ntfs_file_close(dir);
	return err;
}

static int walk_volume(struct walk *w)
{
	struct ntfs_volume_info vi;
	ntfs_file *root;
	uint64_t *stack;
	uint32_t *depth, sp = 0;
	int err;

	ntfs_volume_info(w->vol, &vi);
	w->records = vi.mft_records;
	w->seen = calloc((size_t)(w->records + 7) / 8, 1);
	/* Each record is pushed at most once. */
	stack = malloc((size_t)w->records * sizeof *stack);
	depth = malloc((size_t)w->records * sizeof *depth);
	assert_true(w->seen && stack && depth);

	err = at(w, ntfs_path_open(w->vol, "/", &root), "ntfs_path_open", 0, "/");
	if (!err) {
		ntfs_file_close(root);
		test_and_set(w, NTFS_ROOT_RECORD);
		err = process_file(w, NTFS_ROOT_RECORD);
	}
	if (!err) {
		stack[sp] = NTFS_ROOT_RECORD;
		depth[sp++] = 0;
	}
	while (!err && sp > 0) {
		sp--;
		err = walk_dir(w, stack[sp], stack, &sp, depth, depth[sp]);
	}
	free(stack);
	free(depth);
	free(w->seen);
	return err;
}

/* Mount, walk, count free clusters, unmount. Returns the first error. */
static int workload(const struct ntfs_config *cfg, unsigned every, struct stats *st, char *where,
                    size_t where_size)
{
	static uint8_t buf[CHUNK];
	struct walk w;
	uint64_t free_clusters;
	int err;

	memset(&w, 0, sizeof w);
	w.st.hash = 0xCBF29CE484222325ull;
	w.buf = buf;
	w.hash_data = st != NULL;
	w.every = every;
	err = ntfs_mount(cfg, &w.vol);
	if (err) {
		if (where != NULL)
			snprintf(where, where_size, "ntfs_mount");
		return err;
	}
	err = walk_volume(&w);
	if (!err)
		err = at(&w, ntfs_volume_free_clusters(w.vol, &free_clusters),
		         "ntfs_volume_free_clusters", 0, NULL);
	if (!err)
		mix(&w.st.hash, &free_clusters, sizeof free_clusters);
	ntfs_unmount(w.vol);
	if (st != NULL)
		*st = w.st;
	if (where != NULL)
		snprintf(where, where_size, "%.200s", w.where);
	return err;
}

static char last_where[256];
static unsigned cur_every = 1;

static void open_image(struct timage *img, size_t i)
{
	timage_open(img, fault_images[i].name);
	cur_every = fault_images[i].every;
}

static int run_once(const struct timage *img, uint32_t align, uint64_t fail_read,
                    uint64_t fail_alloc, struct memdev *dev, struct memalloc *ma, struct stats *st)
{
	struct ntfs_config cfg;
	int err;

	memdev_init(dev, img->data, img->size, align);
	memalloc_init(ma);
	dev->fail_read_at = fail_read;
	ma->fail_alloc_at = fail_alloc;
	memdev_config(&cfg, dev, ma);
	err = workload(&cfg, cur_every, st, last_where, sizeof last_where);
	if (ma->blocks != 0 || ma->bytes != 0)
		fail_msg("%s: fail read #%llu / alloc #%llu: %zu blocks, %zu bytes leaked "
		         "(result %s)",
		         img->name, (unsigned long long)fail_read, (unsigned long long)fail_alloc,
		         ma->blocks, ma->bytes, ntfs_strerror(err));
	assert_int_equal(dev->misaligned, 0);
	assert_int_equal(dev->oob_reads, 0);
	return err;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fail_one(const struct timage *img, uint32_t align, bool reads, uint64_t n,
                     uint64_t total)
{
	const int want = reads ? NTFS_ERR_IO : NTFS_ERR_NOMEM;
	struct memdev dev;
	struct memalloc ma;
	int err = run_once(img, align, reads ? n : 0, reads ? 0 : n, &dev, &ma, NULL);
	uint64_t injected = reads ? dev.failed_reads : ma.failed_allocs;

	if (injected != 1)
		fail_msg("%s: %s #%llu of %llu was never requested (nondeterministic workload?)",
		         img->name, reads ? "read" : "allocation", (unsigned long long)n,
		         (unsigned long long)total);
	if (err != want)
		fail_msg("%s (align %u): failing %s #%llu of %llu gave %d (%s) in %s, want %s",
		         img->name, align, reads ? "read" : "allocation", (unsigned long long)n,
		         (unsigned long long)total, err, ntfs_strerror(err), err ? last_where : "-",
		         ntfs_strerror(want));
}

/* Fail read or allocation #n for n in 1..total: every n, or if that is
 * more than @max_iter runs, 1, total and every stride-th in between. */
static void sweep(const struct timage *img, uint32_t align, bool reads, uint64_t total,
                  uint64_t max_iter)
{
	uint64_t stride = (total + max_iter - 1) / max_iter, n, runs = 0;
	double t0 = now();

	if (stride <= 1) {
		for (n = 1; n <= total; n++, runs++)
			fail_one(img, align, reads, n, total);
	} else {
		fail_one(img, align, reads, 1, total);
		/* Odd offsets, so strided sweeps do not all land on 1 mod stride. */
		for (n = 1 + stride / 2 + total % 7; n < total; n += stride, runs++)
			fail_one(img, align, reads, n, total);
		fail_one(img, align, reads, total, total);
		runs += 2;
	}
	print_message("  %s: %s sweep, align %u: %llu of %llu failure points, %.2f s\n", img->name,
	              reads ? "read" : "alloc", align, (unsigned long long)runs,
	              (unsigned long long)total, now() - t0);
}

static void clean_run(const struct timage *img, uint32_t align, struct stats *st, uint64_t *reads,
                      uint64_t *allocs, size_t *peak)
{
	struct memdev dev;
	struct memalloc ma;
	int err = run_once(img, align, 0, 0, &dev, &ma, st);

	if (err)
		fail_msg("%s: clean workload (align %u) failed in %s: %s", img->name, align,
		         last_where, ntfs_strerror(err));
	assert_int_equal(dev.failed_reads, 0);
	*reads = dev.reads;
	*allocs = ma.allocs;
	*peak = ma.peak;
	print_message("  %s: align %u: %llu dirs, %llu files, %llu streams, %llu bytes; "
	              "%llu reads, %llu allocations, peak %zu bytes\n",
	              img->name, align, (unsigned long long)st->dirs, (unsigned long long)st->files,
	              (unsigned long long)st->streams, (unsigned long long)st->bytes,
	              (unsigned long long)dev.reads, (unsigned long long)ma.allocs, ma.peak);
}

static void test_clean_and_aligned(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof fault_images / sizeof fault_images[0]; i++) {
		struct timage img;
		struct stats a, b, c;
		uint64_t r1, a1, r2, a2;
		size_t p1, p2;

		open_image(&img, i);
		clean_run(&img, 512, &a, &r1, &a1, &p1);
		assert_true(a.dirs > 1 && a.files > a.dirs && a.streams > 0 && a.bytes > 0);
		/* Deterministic: a second run does exactly the same. */
		clean_run(&img, 512, &b, &r2, &a2, &p2);
		assert_memory_equal(&a, &b, sizeof a);
		assert_int_equal(r1, r2);
		assert_int_equal(a1, a2);
		/* 4096-byte reads (memdev checks each) see the same volume. */
		clean_run(&img, 4096, &c, &r2, &a2, &p2);
		assert_memory_equal(&a, &c, sizeof a);
		clean_run(&img, 65536, &c, &r2, &a2, &p2);
		assert_memory_equal(&a, &c, sizeof a);
		timage_close(&img);
	}
}

static void test_read_faults(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof fault_images / sizeof fault_images[0]; i++) {
		struct timage img;
		struct stats st;
		uint64_t reads, allocs;
		size_t peak;

		open_image(&img, i);
		clean_run(&img, 512, &st, &reads, &allocs, &peak);
		sweep(&img, 512, true, reads, max_sweep());
		clean_run(&img, 4096, &st, &reads, &allocs, &peak);
		sweep(&img, 4096, true, reads, max_sweep() / 4);
		timage_close(&img);
	}
}

static void test_alloc_faults(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof fault_images / sizeof fault_images[0]; i++) {
		struct timage img;
		struct stats st;
		uint64_t reads, allocs;
		size_t peak;

		open_image(&img, i);
		clean_run(&img, 512, &st, &reads, &allocs, &peak);
		sweep(&img, 512, false, allocs, max_sweep());
		timage_close(&img);
	}
}

/* Sticky failures: every read (allocation) from the Nth on fails. */
static void test_sticky_faults(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof fault_images / sizeof fault_images[0]; i++) {
		struct timage img;
		struct stats st;
		struct ntfs_config cfg;
		struct memdev dev;
		struct memalloc ma;
		uint64_t reads, allocs, n;
		size_t peak;
		int err;

		open_image(&img, i);
		clean_run(&img, 512, &st, &reads, &allocs, &peak);
		for (n = 1; n <= reads; n += reads / 97 + 1) {
			memdev_init(&dev, img.data, img.size, 512);
			memalloc_init(&ma);
			dev.fail_read_at = n;
			dev.fail_sticky = true;
			memdev_config(&cfg, &dev, &ma);
			err = workload(&cfg, cur_every, NULL, NULL, 0);
			assert_int_equal(err, NTFS_ERR_IO);
			assert_int_equal(ma.bytes, 0);
		}
		for (n = 1; n <= allocs; n += allocs / 97 + 1) {
			memdev_init(&dev, img.data, img.size, 512);
			memalloc_init(&ma);
			ma.fail_alloc_at = n;
			ma.fail_sticky = true;
			memdev_config(&cfg, &dev, &ma);
			err = workload(&cfg, cur_every, NULL, NULL, 0);
			assert_int_equal(err, NTFS_ERR_NOMEM);
			assert_int_equal(ma.bytes, 0);
		}
		timage_close(&img);
	}
}

/* The same workload with no heap: a static ntfs_arena. Every byte comes
 * back, and a too-small arena fails with NOMEM and no damage. */
static void test_arena(void **state)
{
	static _Alignas(16) unsigned char pool[4u << 20];
	(void)state;
	for (size_t i = 0; i < sizeof fault_images / sizeof fault_images[0]; i++) {
		struct timage img;
		struct stats ref, st;
		struct ntfs_config cfg;
		struct ntfs_arena arena;
		struct memdev dev;
		struct memalloc ma;
		uint64_t reads, allocs;
		size_t peak, sizes[] = {64, 1024, 4096, 16384};
		int err;

		open_image(&img, i);
		clean_run(&img, 512, &ref, &reads, &allocs, &peak);
		memdev_init(&dev, img.data, img.size, 512);
		memdev_config(&cfg, &dev, &ma);
		ntfs_arena_init(&arena, pool, sizeof pool);
		cfg.alloc = ntfs_arena_alloc;
		cfg.free = ntfs_arena_free;
		cfg.alloc_ctx = &arena;
		err = workload(&cfg, cur_every, &st, NULL, 0);
		assert_int_equal(err, NTFS_OK);
		assert_memory_equal(&st, &ref, sizeof st);
		assert_int_equal(arena.in_use, 0);
		assert_true(arena.peak >= peak);
		for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
			ntfs_arena_init(&arena, pool, sizes[k]);
			err = workload(&cfg, cur_every, NULL, NULL, 0);
			assert_int_equal(err, NTFS_ERR_NOMEM);
			assert_int_equal(arena.in_use, 0);
		}
		timage_close(&img);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_clean_and_aligned),
	        cmocka_unit_test(test_read_faults),
	        cmocka_unit_test(test_alloc_faults),
	        cmocka_unit_test(test_sticky_faults),
	        cmocka_unit_test(test_arena),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
