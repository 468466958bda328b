/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * WOF system compression: the chunk table and the chunks.
 *
 *   byte 0    bits 0-1 the algorithm (NTFS_WOF_XPRESS4K, LZX, XPRESS8K,
 *             XPRESS16K); bit 2 the unnamed $DATA resident (when the size
 *             is at most 300 bytes; else sparse, or empty, non-resident);
 *             bit 3 WofCompressedData resident (when at most 300 bytes);
 *             bit 7 the algorithm plus 4 (unknown: the file is refused)
 *   bytes 1-3 the decoded size (24 bits LE) modulo 1 MiB + 1
 *   then      the WofCompressedData stream: chunk table and chunks
 *
 * Read twice: through ntfsi_wof_init()/ntfsi_wof_read() with a fetch over
 * an exact-size copy of the stream (which fails the run if the core asks
 * for a byte outside it), and, for streams up to 256 KiB, as the unnamed
 * $DATA of record 16 of a synthetic volume (a WOF reparse point: version 1,
 * provider 2, file provider version 1, the algorithm; and the stream as
 * $DATA "WofCompressedData") with ntfs_stream_open()/ntfs_stream_read().
 * Each way, every chunk is read whole, then the whole file, then pieces
 * across every chunk boundary (b - 1 + 2; and b - 1 + chunk + 2, b + 1 +
 * chunk across the first four and the last) and at the end. A read must fail exactly when it touches a chunk
 * that failed on its own, with that chunk's error (only
 * NTFS_ERR_CORRUPT_COMPRESSED), and give the same bytes as the chunks
 * otherwise; both ways must agree chunk by chunk. Nothing may leak.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#define FILE_REC 16u
#define CLUSTER 4096u
#define MAX_SIZE (1u << 20)
#define MAX_CHUNKS (MAX_SIZE / 4096u)
#define RESIDENT_MAX 300u
#define MAX_STORED (SYNVOL_SIZE - SYNVOL_DATA_OFF)

typedef int (*read_fn)(void *ctx, uint64_t off, uint8_t *buf, size_t len);

/* What reading each chunk on its own gave. */
struct result {
	int init;                /* opening: NTFS_OK or the error */
	int chunk[MAX_CHUNKS];   /* each chunk's read */
	uint8_t bytes[MAX_SIZE]; /* the decoded chunks that read */
};

static struct result direct, via_volume;

/* ---- the chunk table driven directly ---------------------------------------- */

struct stream {
	const uint8_t *bytes;
	uint64_t size;
};

static int fetch(void *ctx, uint64_t off, uint8_t *buf, size_t len)
{
	const struct stream *s = ctx;

	TS_CHECK(off <= s->size && len <= s->size - off);
	memcpy(buf, s->bytes + off, len);
	return NTFS_OK;
}

struct direct_ctx {
	ntfs_volume *vol;
	struct ntfsi_wof *w;
};

static int direct_read(void *ctx, uint64_t off, uint8_t *buf, size_t len)
{
	struct direct_ctx *d = ctx;

	/* ntfsi_wof_read() reads inside the file only. */
	if (off >= d->w->size)
		return NTFS_OK;
	if (len > d->w->size - off)
		len = (size_t)(d->w->size - off);
	return ntfsi_wof_read(d->vol, d->w, off, buf, len);
}

/* ---- the same through a file ------------------------------------------------ */

static int stream_read(void *ctx, uint64_t off, uint8_t *buf, size_t len)
{
	ntfs_stream *s = ctx;
	uint64_t size = ntfs_stream_size(s);
	size_t want = off >= size ? 0 : len < size - off ? len : (size_t)(size - off);
	size_t got = SIZE_MAX;
	int r = ntfs_stream_read(s, off, buf, len, &got);

	TS_CHECK(got == (r == NTFS_OK ? want : 0));
	return r;
}

/* ---- the read plan ----------------------------------------------------------- */

static uint8_t piece[MAX_SIZE];

/* Read [@off, @off + @len) and check it against the chunks' results. */
static void read_check(read_fn rd, void *ctx, const struct result *res, uint64_t size,
                       uint32_t chunk, uint64_t off, size_t len)
{
	int want = NTFS_OK, r;

	if (off < size) {
		uint64_t end = off + len < size ? off + len : size;
		for (uint64_t i = off / chunk; i <= (end - 1) / chunk; i++)
			if (res->chunk[i] != NTFS_OK) {
				want = res->chunk[i];
				break;
			}
	}
	TS_CHECK(len <= sizeof piece);
	r = rd(ctx, off, piece, len);
	TS_CHECK(r == want);
	if (r == NTFS_OK && off < size)
		TS_CHECK(memcmp(piece, res->bytes + off,
		                (size_t)(off + len < size ? len : size - off)) == 0);
}

static void read_all(read_fn rd, void *ctx, struct result *res, uint64_t size, uint32_t chunk)
{
	const uint64_t chunks = (size + chunk - 1) / chunk;

	for (uint64_t i = 0; i < chunks; i++) {
		uint64_t off = i * chunk;
		size_t len = (size_t)(size - off < chunk ? size - off : chunk);
		int r = rd(ctx, off, res->bytes + off, len);

		TS_CHECK(r == NTFS_OK || r == NTFS_ERR_CORRUPT_COMPRESSED);
		res->chunk[i] = r;
		if (r != NTFS_OK)
			memset(res->bytes + off, 0, len);
	}
	read_check(rd, ctx, res, size, chunk, 0, (size_t)size);
	/* Every boundary +-1; longer pieces (a partial, a whole and a partial
	 * chunk) across the first four and the last, to bound the work. */
	for (uint64_t b = chunk, k = 0; b < size; b += chunk, k++) {
		read_check(rd, ctx, res, size, chunk, b - 1, 2);
		if (k < 4 || b + chunk >= size) {
			read_check(rd, ctx, res, size, chunk, b - 1, chunk + 2u);
			read_check(rd, ctx, res, size, chunk, b + 1, chunk);
		}
	}
	if (size > 0)
		read_check(rd, ctx, res, size, chunk, size - 1, 1);
	read_check(rd, ctx, res, size, chunk, size, 16);
}

static struct synvol_kept v;

static ntfs_volume *volume(void)
{
	return synvol_kept_volume(&v, CLUSTER);
}

static bool known(uint32_t algorithm)
{
	switch (algorithm) {
#if NTFS_WITH_XPRESS
	case NTFS_WOF_XPRESS4K:
	case NTFS_WOF_XPRESS8K:
	case NTFS_WOF_XPRESS16K:
		return true;
#endif
#if NTFS_WITH_LZX
	case NTFS_WOF_LZX:
		return true;
#endif
	default:
		return false;
	}
}

static uint32_t chunk_size(uint32_t algorithm)
{
	static const uint32_t sizes[4] = {4096, 32768, 8192, 16384};
	return sizes[algorithm & 3];
}

static void run_direct(uint32_t algorithm, uint64_t size, const uint8_t *stream, size_t stored)
{
	struct stream s = {stream, stored};
	struct ntfsi_wof w;
	struct direct_ctx d = {volume(), &w};
	const char *why = NULL;

	memset(&w, 0, sizeof w);
	direct.init = ntfsi_wof_init(d.vol, &w, algorithm, size, stored, &why);
	if (!known(algorithm)) {
		TS_CHECK(direct.init == NTFS_ERR_UNSUPPORTED && why != NULL);
		return;
	}
	TS_CHECK(direct.init == NTFS_OK || direct.init == NTFS_ERR_CORRUPT_COMPRESSED);
	TS_CHECK(w.size == size && w.stored == stored &&
	         ((uint64_t)1 << w.chunk_shift) == chunk_size(algorithm));
	if (direct.init != NTFS_OK)
		return;
	w.fetch = fetch;
	w.ctx = &s;
	read_all(direct_read, &d, &direct, size, chunk_size(algorithm));
	synvol_kept_expect(&v);
}

static void build(uint8_t *rec, uint8_t flags, uint32_t algorithm, uint64_t size,
                  const uint8_t *stream, size_t stored)
{
	static const uint16_t wof_name[17] = {'W', 'o', 'f', 'C', 'o', 'm', 'p', 'r', 'e',
	                                      's', 's', 'e', 'd', 'D', 'a', 't', 'a'};
	static const uint8_t zeros[RESIDENT_MAX];
	uint8_t si[72] = {0}, rp[24] = {0};
	uint64_t lcn = SYNVOL_DATA_OFF / CLUSTER;

	fx_record(rec, 1024);
	fx_record_set(rec, 1, OD_REC_FLAG_IN_USE, 0);
	fx_st32(rec + OD_REC_NUMBER, FILE_REC);
	fx_st32(si + OD_SI_FILE_ATTRS,
	        NTFS_FILE_ATTR_ARCHIVE | NTFS_FILE_ATTR_SPARSE | NTFS_FILE_ATTR_REPARSE);
	TS_CHECK(fx_add_resident(rec, NTFS_AT_STANDARD_INFORMATION, NULL, 0, si, sizeof si));
	if ((flags & 4) && size <= RESIDENT_MAX)
		TS_CHECK(fx_add_resident(rec, NTFS_AT_DATA, NULL, 0, zeros, (uint32_t)size));
	else
		TS_CHECK(synvol_add_sparse(&v.syn, rec, NTFS_AT_DATA, NULL, 0, size));
	TS_CHECK(synvol_add_value(&v.syn, rec, NTFS_AT_DATA, wof_name, 17, stream, (uint32_t)stored,
	                          (flags & 8) && stored <= RESIDENT_MAX, &lcn));
	fx_st32(rp, NTFS_REPARSE_TAG_WOF);
	fx_st16(rp + 4, 16);
	fx_st32(rp + 8, 1); /* WOF version */
	fx_st32(rp + 12, NTFS_WOF_PROVIDER_FILE);
	fx_st32(rp + 16, 1); /* file provider version */
	fx_st32(rp + 20, algorithm);
	TS_CHECK(fx_add_resident(rec, NTFS_AT_REPARSE_POINT, NULL, 0, rp, sizeof rp));
}

static void run_volume(uint8_t flags, uint32_t algorithm, uint64_t size, const uint8_t *stream,
                       size_t stored)
{
	static uint8_t rec[1024];
	ntfs_volume *vol = volume();
	struct ntfs_stat st;
	ntfs_stream *s;
	ntfs_file *f;
	int r;

	build(rec, flags, algorithm, size, stream, stored);
	TS_CHECK(synvol_file(vol, FILE_REC, rec, &f) == NTFS_OK);
	TS_CHECK(ntfs_file_stat(f, &st) == NTFS_OK);
	TS_CHECK(st.size == size && st.reparse_tag == NTFS_REPARSE_TAG_WOF &&
	         st.type == NTFS_TYPE_FILE);
	r = ntfs_stream_open(f, NULL, &s);
	if (!known(algorithm)) {
		TS_CHECK(r == NTFS_OK && ntfs_stream_refusal(s) != NULL);
		TS_CHECK(stream_read(s, 0, piece, 16) == NTFS_ERR_UNSUPPORTED);
		ntfs_stream_close(s);
	} else {
		TS_CHECK(r == direct.init);
		if (r == NTFS_OK) {
			TS_CHECK(ntfs_stream_refusal(s) == NULL && ntfs_stream_size(s) == size);
			read_all(stream_read, s, &via_volume, size, chunk_size(algorithm));
			ntfs_stream_close(s);
			/* Both ways, the same chunks fail and the same bytes come out. */
			for (uint64_t i = 0;
			     i < (size + chunk_size(algorithm) - 1) / chunk_size(algorithm); i++)
				TS_CHECK(via_volume.chunk[i] == direct.chunk[i]);
			TS_CHECK(memcmp(via_volume.bytes, direct.bytes, (size_t)size) == 0);
		}
	}
	exercise_file(f, 0);
	ntfs_file_close(f);
	synvol_kept_expect(&v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t algorithm;
	uint64_t file_size;
	uint8_t *stream;
	size_t stored;

	if (size < 4 || size - 4 > MAX_SIZE)
		return 0;
	algorithm = (data[0] & 3u) + (data[0] & 0x80 ? 4u : 0u);
	file_size = (data[1] | (uint32_t)data[2] << 8 | (uint32_t)data[3] << 16) % (MAX_SIZE + 1u);
	stored = size - 4;
	/* An exact-size copy, so that a read past the end is seen. */
	stream = malloc(stored ? stored : 1);
	TS_CHECK(stream != NULL);
	memcpy(stream, data + 4, stored);
	run_direct(algorithm, file_size, stream, stored);
	if (stored <= MAX_STORED)
		run_volume(data[0], algorithm, file_size, stream, stored);
	free(stream);
	return 0;
}
