/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * WOF's file provider. "WofCompressedData" begins with a table of the end
 * offsets of chunks 0 .. n-2 (the last ends with the stream), relative to
 * the end of the table; a chunk as long as its decoded size is stored.
 * A read decodes only the chunks it touches: whole chunks straight into
 * the caller's buffer, a partial one into the workspace, where it stays
 * for the next read. The workspace also holds a window of table entries,
 * one chunk of compressed bytes and the decoder's tables.
 */
#include "wof.h"

#include "io.h"

#if NTFS_WITH_WOF

#define TABLE_WINDOW 64u /* entries read at once */
#define ALIGN 16u

struct head {
	uint64_t chunk;     /* decoded into out; UINT64_MAX none */
	uint64_t tab_first; /* entries [tab_first, tab_first + tab_n) are in tab */
	uint32_t tab_n;
	uint8_t tab[TABLE_WINDOW * 8];
};

static size_t round_up(size_t n)
{
	return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

/* Bytes of decoder tables for @algorithm; 0 if it is not built in. */
static size_t decoder_size(uint32_t algorithm)
{
	switch (algorithm) {
#if NTFS_WITH_XPRESS
	case NTFS_WOF_XPRESS4K:
	case NTFS_WOF_XPRESS8K:
	case NTFS_WOF_XPRESS16K:
		return NTFSI_XPRESS_WORKSPACE;
#endif
#if NTFS_WITH_LZX
	case NTFS_WOF_LZX:
		return NTFSI_LZX_WORKSPACE;
#endif
	default:
		return 0;
	}
}

static uint8_t chunk_shift(uint32_t algorithm)
{
	static const uint8_t shift[] = {12, 15, 13, 14};
	return shift[algorithm];
}

/* The workspace: head, compressed chunk, decoded chunk, decoder tables. */
static size_t workspace_size(uint32_t algorithm)
{
	size_t chunk = (size_t)1 << chunk_shift(algorithm);
	return round_up(sizeof(struct head)) + 2 * chunk + decoder_size(algorithm);
}

size_t ntfsi_wof_workspace_size(void)
{
	size_t max = 0;
	for (uint32_t a = NTFS_WOF_XPRESS4K; a <= NTFS_WOF_XPRESS16K; a++)
		if (decoder_size(a) != 0 && workspace_size(a) > max)
			max = workspace_size(a);
	return max;
}

int ntfsi_wof_init(ntfs_volume *vol, struct ntfsi_wof *w, uint32_t algorithm, uint64_t size,
                   uint64_t stored, const char **why)
{
	if (algorithm > NTFS_WOF_XPRESS16K) {
		*why = "unknown WOF compression algorithm";
		return NTFS_ERR_UNSUPPORTED;
	}
	if (decoder_size(algorithm) == 0) {
		*why = algorithm == NTFS_WOF_LZX ? "LZX not built in" : "XPRESS not built in";
		return NTFS_ERR_UNSUPPORTED;
	}
	w->id = ntfsi_io_stream_id(vol);
	w->algorithm = (uint8_t)algorithm;
	w->chunk_shift = chunk_shift(algorithm);
	w->entry_size = size > UINT32_MAX ? 8 : 4;
	w->size = size;
	w->chunks =
	        (size >> w->chunk_shift) + ((size & (((uint64_t)1 << w->chunk_shift) - 1)) != 0);
	/* chunks < 2^52, so this cannot overflow. */
	w->table_len = w->chunks == 0 ? 0 : (w->chunks - 1) * w->entry_size;
	w->stored = stored;
	return w->table_len > stored ? NTFS_ERR_CORRUPT_COMPRESSED : NTFS_OK;
}

/* The end of chunk @i relative to the end of the table. */
static int chunk_end(struct ntfsi_wof *w, struct head *h, uint64_t i, uint64_t *end)
{
	const uint8_t *e;
	int err;

	if (i == w->chunks - 1) {
		*end = w->stored - w->table_len;
		return NTFS_OK;
	}
	if (i < h->tab_first || i - h->tab_first >= h->tab_n) {
		uint32_t n = (uint32_t)ntfsi_min64(TABLE_WINDOW, w->chunks - 1 - i);
		h->tab_n = 0;
		err = w->fetch(w->ctx, i * w->entry_size, h->tab, (size_t)n * w->entry_size);
		if (err)
			return err;
		h->tab_first = i;
		h->tab_n = n;
	}
	e = h->tab + (i - h->tab_first) * w->entry_size;
	*end = w->entry_size == 8 ? ntfsi_le64(e) : ntfsi_le32(e);
	return NTFS_OK;
}

static int decode(uint32_t algorithm, const uint8_t *src, uint32_t slen, uint8_t *dst,
                  uint32_t dlen, void *tables)
{
#if NTFS_WITH_LZX
	if (algorithm == NTFS_WOF_LZX)
		return ntfsi_lzx_decode(src, slen, dst, dlen, tables);
#endif
#if NTFS_WITH_XPRESS
	if (algorithm != NTFS_WOF_LZX)
		return ntfsi_xpress_decode(src, slen, dst, dlen, tables);
#endif
	(void)src, (void)slen, (void)dst, (void)dlen, (void)tables;
	NTFSI_ASSERT(0); /* ntfsi_wof_init() refused it */
	return NTFS_ERR_UNSUPPORTED;
}

/* Decode chunk @i (@dlen bytes) into @dst. */
static int decode_chunk(struct ntfsi_wof *w, struct head *h, uint64_t i, uint8_t *dst,
                        uint32_t dlen)
{
	uint8_t *in = (uint8_t *)h + round_up(sizeof *h);
	uint8_t *tables = in + 2 * ((size_t)1 << w->chunk_shift);
	uint64_t start = 0, end;
	uint32_t len;
	int err;

	if (i > 0 && (err = chunk_end(w, h, i - 1, &start)) != NTFS_OK)
		return err;
	if ((err = chunk_end(w, h, i, &end)) != NTFS_OK)
		return err;
	/* Offsets go forward, stay inside the stream, and no chunk is empty or
	 * longer stored than decoded. */
	if (end <= start || end > w->stored - w->table_len || end - start > dlen)
		return NTFS_ERR_CORRUPT_COMPRESSED;
	len = (uint32_t)(end - start);
	if (len == dlen)
		return w->fetch(w->ctx, w->table_len + start, dst, len);
	err = w->fetch(w->ctx, w->table_len + start, in, len);
	return err ? err : decode(w->algorithm, in, len, dst, dlen, tables);
}

int ntfsi_wof_read(ntfs_volume *vol, struct ntfsi_wof *w, uint64_t offset, uint8_t *buf, size_t len)
{
	const uint64_t chunk = (uint64_t)1 << w->chunk_shift;
	struct head *h;
	uint8_t *out;
	size_t done = 0;
	bool fresh;
	int err;

	h = ntfsi_io_workspace(vol, workspace_size(w->algorithm), w->id, &fresh);
	if (h == NULL)
		return NTFS_ERR_NOMEM;
	if (fresh) {
		h->chunk = UINT64_MAX;
		h->tab_first = 0;
		h->tab_n = 0;
	}
	out = (uint8_t *)h + round_up(sizeof *h) + chunk;
	while (done < len) {
		uint64_t pos = offset + done, i = pos >> w->chunk_shift;
		uint32_t at = (uint32_t)(pos & (chunk - 1));
		uint32_t dlen = (uint32_t)ntfsi_min64(chunk, w->size - (i << w->chunk_shift));
		uint32_t n = (uint32_t)ntfsi_min64(len - done, dlen - at);

		/* A whole chunk decodes straight into @buf, unless it is held. */
		if (n == dlen && h->chunk != i) {
			err = decode_chunk(w, h, i, buf + done, dlen);
		} else {
			err = NTFS_OK;
			if (h->chunk != i) {
				h->chunk = UINT64_MAX;
				err = decode_chunk(w, h, i, out, dlen);
				if (!err)
					h->chunk = i;
			}
			if (!err)
				ntfsi_bytes_copy(buf + done, out + at, n);
		}
		if (err)
			return err;
		done += n;
	}
	return NTFS_OK;
}

#endif /* NTFS_WITH_WOF */
