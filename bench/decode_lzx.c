/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * LZX decoding speed: ours (src/core/lzx.c) against wimlib's decompressor,
 * on the same chunks. The input (a file given on the command line, or the
 * shared libraries in /usr/lib/x86_64-linux-gnu concatenated: executable
 * code, so E8 translation is exercised) is cut into 32 KiB chunks, as WOF
 * does, and each is compressed with wimlib's LZX compressor; chunks that do
 * not shrink are stored by WOF and decoded by neither, so they are left
 * out. Both decoders must give back the input. Each decoder then decodes
 * every chunk, several times over; the best pass counts. Time is the
 * thread's CPU time, so other processes on a busy machine matter less.
 *
 *   bench_decode_lzx [-n MAX_BYTES] [-r RUNS] [-l LEVEL] [FILE]
 *
 * Prints a Markdown table (header and one row); MB/s is 10^6 bytes of
 * output per second.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <wimlib.h>

#include "lzx.h"
#include "ntfs/ntfs.h"

#define CHUNK 32768u
#define LIBDIR "/usr/lib/x86_64-linux-gnu"

struct chunk {
	uint8_t *comp;
	uint32_t clen;
	uint32_t dlen;
	const uint8_t *orig;
};

static void die(const char *msg)
{
	fprintf(stderr, "bench_decode_lzx: %s\n", msg);
	exit(1);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append up to @max - *len bytes of @path to @buf. */
static void append_file(const char *path, uint8_t *buf, size_t *len, size_t max)
{
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return;
	*len += fread(buf + *len, 1, max - *len, f);
	fclose(f);
}

/* The regular files named *.so* in LIBDIR, in name order. */
static void load_libs(uint8_t *buf, size_t *len, size_t max)
{
	DIR *d = opendir(LIBDIR);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (d == NULL)
		die("cannot open " LIBDIR "; give a file instead");
	while ((e = readdir(d)) != NULL) {
		if (strstr(e->d_name, ".so") == NULL)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			names = realloc(names, cap * sizeof *names);
			if (names == NULL)
				die("out of memory");
		}
		names[n] = strdup(e->d_name);
		if (names[n] == NULL)
			die("out of memory");
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_names);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		snprintf(path, sizeof path, "%s/%s", LIBDIR, names[i]);
		if (*len < max && lstat(path, &st) == 0 && S_ISREG(st.st_mode))
			append_file(path, buf, len, max);
		free(names[i]);
	}
	free(names);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	size_t max = 64u << 20, len = 0, nchunks, ncomp = 0, comp_bytes = 0, out_bytes = 0;
	unsigned runs = 7, level = 0;
	struct wimlib_compressor *c;
	struct wimlib_decompressor *d;
	struct chunk *chunks;
	uint8_t *data, *out;
	void *ws;
	double best_ours = 1e9, best_wim = 1e9;
	const char *what = LIBDIR "/*.so*";
	int opt;

	while ((opt = getopt(argc, argv, "n:r:l:")) != -1) {
		if (opt == 'n')
			max = strtoull(optarg, NULL, 0);
		else if (opt == 'r')
			runs = (unsigned)strtoul(optarg, NULL, 0);
		else if (opt == 'l')
			level = (unsigned)strtoul(optarg, NULL, 0);
		else
			die("usage: bench_decode_lzx [-n MAX_BYTES] [-r RUNS] [-l LEVEL] [FILE]");
	}
	data = malloc(max ? max : 1);
	out = malloc(CHUNK);
	ws = malloc(NTFSI_LZX_WORKSPACE);
	if (data == NULL || out == NULL || ws == NULL)
		die("out of memory");
	if (optind < argc) {
		what = argv[optind];
		append_file(what, data, &len, max);
	} else {
		load_libs(data, &len, max);
	}
	if (len == 0)
		die("no input");

	if (wimlib_create_compressor(WIMLIB_COMPRESSION_TYPE_LZX, CHUNK, level, &c) != 0 ||
	    wimlib_create_decompressor(WIMLIB_COMPRESSION_TYPE_LZX, CHUNK, &d) != 0)
		die("wimlib: cannot create the LZX compressor or decompressor");
	nchunks = (len + CHUNK - 1) / CHUNK;
	chunks = calloc(nchunks, sizeof *chunks);
	if (chunks == NULL)
		die("out of memory");
	for (size_t i = 0; i < nchunks; i++) {
		uint32_t dlen = (uint32_t)(len - i * CHUNK < CHUNK ? len - i * CHUNK : CHUNK);
		uint8_t *comp = malloc(dlen);
		size_t clen;

		if (comp == NULL)
			die("out of memory");
		clen = wimlib_compress(data + i * CHUNK, dlen, comp, dlen - 1, c);
		if (clen == 0) {
			free(comp);
			continue;
		}
		chunks[ncomp].comp = comp;
		chunks[ncomp].clen = (uint32_t)clen;
		chunks[ncomp].dlen = dlen;
		chunks[ncomp].orig = data + i * CHUNK;
		ncomp++;
		comp_bytes += clen;
		out_bytes += dlen;
	}
	if (ncomp == 0)
		die("no chunk compresses");
	/* Both must give the input back before their speed means anything. */
	for (size_t i = 0; i < ncomp; i++) {
		struct chunk *k = &chunks[i];

		if (ntfsi_lzx_decode(k->comp, k->clen, out, k->dlen, ws) != NTFS_OK ||
		    memcmp(out, k->orig, k->dlen) != 0) {
			fprintf(stderr, "chunk %zu: ours does not give the input back\n", i);
			return 1;
		}
		if (wimlib_decompress(k->comp, k->clen, out, k->dlen, d) != 0 ||
		    memcmp(out, k->orig, k->dlen) != 0) {
			fprintf(stderr, "chunk %zu: wimlib does not give the input back\n", i);
			return 1;
		}
	}
	for (unsigned r = 0; r < runs; r++) {
		double t0 = now(), t1;
		int bad = 0;

		for (size_t i = 0; i < ncomp; i++)
			bad |= ntfsi_lzx_decode(chunks[i].comp, chunks[i].clen, out, chunks[i].dlen,
			                        ws);
		t1 = now();
		if (t1 - t0 < best_ours)
			best_ours = t1 - t0;
		for (size_t i = 0; i < ncomp; i++)
			bad |= wimlib_decompress(chunks[i].comp, chunks[i].clen, out,
			                         chunks[i].dlen, d);
		t0 = now();
		if (t0 - t1 < best_wim)
			best_wim = t0 - t1;
		if (bad)
			die("a decode failed while timing");
	}
	printf("| input | MiB in | chunks compressed | ratio | ours MB/s | wimlib MB/s | "
	       "ours/wimlib |\n");
	printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
	printf("| %s | %.1f | %zu of %zu | %.3f | %.0f | %.0f | %.2f |\n", what,
	       (double)len / (1 << 20), ncomp, nchunks, (double)comp_bytes / (double)out_bytes,
	       (double)out_bytes / best_ours / 1e6, (double)out_bytes / best_wim / 1e6,
	       best_wim / best_ours);
	for (size_t i = 0; i < ncomp; i++)
		free(chunks[i].comp);
	free(chunks);
	wimlib_free_compressor(c);
	wimlib_free_decompressor(d);
	free(ws);
	free(out);
	free(data);
	return 0;
}
