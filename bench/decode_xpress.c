/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * XPRESS Huffman decoding speed: ours (src/core/xpress.c, built with the
 * core's flags) against wimlib's own decompressor, on the same chunks.
 *
 * The data is a file given on the command line or, by default, the
 * regular files /usr/lib/x86_64-linux-gnu/lib*.so* concatenated up to 64
 * MiB (executable code, what WOF compresses most). It is cut into 4, 8 and
 * 16 KiB chunks, each compressed by wimlib's XPRESS compressor as WOF would
 * store it (chunks that do not shrink are stored raw by WOF and skipped
 * here). Every chunk we decode is checked against the original once, then
 * each decoder decodes all chunks RUNS times; the best time counts.
 *
 * Usage: bench_xpress [FILE] [RUNS]      prints one Markdown row per size
 */
#define _POSIX_C_SOURCE 200809L

#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <wimlib.h>

#include "ntfs/ntfs.h"
#include "xpress.h"

#define DEFAULT_CAP (64u << 20)

static uint8_t *data;
static size_t data_len;

static void append_file(const char *path, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL)
		return;
	while (data_len < cap && (n = fread(data + data_len, 1, cap - data_len, f)) > 0)
		data_len += n;
	fclose(f);
}

static void load(const char *path)
{
	struct stat st;

	if (path != NULL) {
		if (stat(path, &st) != 0) {
			perror(path);
			exit(1);
		}
		data = malloc((size_t)st.st_size + 1);
		if (data == NULL)
			exit(1);
		append_file(path, (size_t)st.st_size);
		return;
	}
	data = malloc(DEFAULT_CAP);
	if (data == NULL)
		exit(1);
	glob_t g;
	if (glob("/usr/lib/x86_64-linux-gnu/lib*.so*", 0, NULL, &g) != 0) {
		fprintf(stderr, "no /usr/lib/x86_64-linux-gnu/lib*.so*: give a file\n");
		exit(1);
	}
	/* Regular files only: the symlinks name the same libraries again. */
	for (size_t i = 0; i < g.gl_pathc && data_len < DEFAULT_CAP; i++)
		if (lstat(g.gl_pathv[i], &st) == 0 && S_ISREG(st.st_mode))
			append_file(g.gl_pathv[i], DEFAULT_CAP);
	globfree(&g);
}

/* This thread's CPU time: on a shared machine, time other processes take
 * the core away does not count against either decoder. */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct chunk {
	size_t off, len;   /* in data */
	size_t coff, clen; /* in comp */
};

static void run(size_t chunk, int runs)
{
	struct wimlib_compressor *c = NULL;
	struct wimlib_decompressor *w = NULL;
	size_t n = (data_len + chunk - 1) / chunk, k = 0, total = 0, ctotal = 0;
	struct chunk *ch = calloc(n, sizeof *ch);
	uint8_t *comp = malloc(data_len + n * 512), *out = malloc(chunk);
	static _Alignas(8) uint8_t ws[NTFSI_XPRESS_WORKSPACE];
	double best_ours = 1e30, best_wim = 1e30;

	if (ch == NULL || comp == NULL || out == NULL ||
	    wimlib_create_compressor(WIMLIB_COMPRESSION_TYPE_XPRESS, chunk, 0, &c) ||
	    wimlib_create_decompressor(WIMLIB_COMPRESSION_TYPE_XPRESS, chunk, &w)) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	for (size_t off = 0; off < data_len; off += chunk) {
		size_t len = data_len - off < chunk ? data_len - off : chunk;
		size_t clen = wimlib_compress(data + off, len, comp + ctotal, len - 1, c);

		if (clen == 0)
			continue; /* WOF stores it raw */
		ch[k] = (struct chunk){off, len, ctotal, clen};
		ctotal += clen;
		total += len;
		k++;
	}
	for (size_t i = 0; i < k; i++) {
		int r = ntfsi_xpress_decode(comp + ch[i].coff, (uint32_t)ch[i].clen, out,
		                            (uint32_t)ch[i].len, ws);
		if (r != NTFS_OK || memcmp(out, data + ch[i].off, ch[i].len) != 0) {
			fprintf(stderr, "chunk %zu at %zu: ours gives %d or other bytes\n", i,
			        ch[i].off, r);
			exit(1);
		}
	}
	for (int r = 0; r < runs; r++) {
		double t0 = now();
		unsigned sink = 0;

		for (size_t i = 0; i < k; i++) {
			sink |= (unsigned)ntfsi_xpress_decode(comp + ch[i].coff,
			                                      (uint32_t)ch[i].clen, out,
			                                      (uint32_t)ch[i].len, ws);
		}
		double t1 = now();
		for (size_t i = 0; i < k; i++)
			sink |= (unsigned)wimlib_decompress(comp + ch[i].coff, ch[i].clen, out,
			                                    ch[i].len, w);
		double t2 = now();
		if (sink != 0) {
			fprintf(stderr, "a decoder failed\n");
			exit(1);
		}
		if (t1 - t0 < best_ours)
			best_ours = t1 - t0;
		if (t2 - t1 < best_wim)
			best_wim = t2 - t1;
	}
	printf("| XPRESS%zuK | %zu of %zu | %.1f%% | %.0f | %.0f | %.2f |\n", chunk / 1024, k, n,
	       100.0 * (double)ctotal / (double)total, (double)total / best_ours / 1e6,
	       (double)total / best_wim / 1e6, best_wim / best_ours);
	fflush(stdout);
	wimlib_free_compressor(c);
	wimlib_free_decompressor(w);
	free(ch);
	free(comp);
	free(out);
}

int main(int argc, char **argv)
{
	int runs = argc > 2 ? atoi(argv[2]) : 7;

	load(argc > 1 ? argv[1] : NULL);
	if (data_len == 0 || runs < 1) {
		fprintf(stderr, "usage: bench_xpress [FILE] [RUNS]\n");
		return 2;
	}
	printf("%zu bytes of %s, best of %d runs, MB/s of decoded output\n\n", data_len,
	       argc > 1 ? argv[1] : "/usr/lib/x86_64-linux-gnu/lib*.so*", runs);
	printf("| chunks | compressed chunks | size | ours MB/s | wimlib MB/s | ours/wimlib |\n");
	printf("|---|---|---|---|---|---|\n");
	run(4096, runs);
	run(8192, runs);
	run(16384, runs);
	return 0;
}
