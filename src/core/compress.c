/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reading LZNT1-compressed attributes. A unit of 16 clusters whose clusters
 * are all allocated holds its 64 KiB (at 4 KiB clusters) as stored; one
 * with none holds zeros; one with k < 16 holds LZNT1 chunks in its first k
 * clusters, each 4 KiB of data, so chunk j can be found by walking the
 * headers before it without decoding them.
 *
 * The volume has one workspace for all its compressed streams (the volume
 * is used by one thread at a time): a 4 KiB window of compressed bytes that
 * slides forward keeping what it still holds, and the last chunk decoded,
 * with where the next chunk's header is, so a sequential read decodes each
 * chunk once and reads each compressed byte once. A read that covers a
 * whole chunk decodes it straight into the caller's buffer. A read that
 * goes back within a unit walks the chunk headers again from its start.
 */
#include "compress.h"

#include "io.h"
#include "lznt1.h"
#include "volume.h"

#if NTFS_WITH_LZNT1

struct workspace {
	uint64_t unit;
	uint32_t chunk; /* chunk decoded in out; UINT32_MAX none */
	uint32_t out_len;
	uint32_t next_chunk; /* the chunk whose header is at next_off */
	uint32_t next_off;
	uint32_t in_off; /* compressed bytes [in_off, in_off + in_len) of the unit */
	uint32_t in_len;
	uint8_t in[NTFSI_LZNT1_CHUNK];
	uint8_t out[NTFSI_LZNT1_CHUNK];
};

size_t ntfsi_compress_workspace_size(void)
{
	return sizeof(struct workspace);
}

int ntfsi_compress_init(ntfs_volume *vol, struct ntfsi_compress *c, uint8_t compression_unit,
                        const char **why)
{
	if (compression_unit != NTFSI_COMPRESS_UNIT_SHIFT) {
		*why = "compression unit other than 16 clusters";
		return NTFS_ERR_UNSUPPORTED;
	}
	if (vol->boot.cluster_size > NTFSI_COMPRESS_MAX_CLUSTER) {
		*why = "compressed with clusters over 4 KiB";
		return NTFS_ERR_UNSUPPORTED;
	}
	c->id = ntfsi_io_stream_id(vol);
	c->unit = UINT64_MAX;
	return NTFS_OK;
}

/* The clusters of unit @u allocated from its start; the rest must be
 * sparse. Compressed values are allocated in whole units, so runs that
 * end inside one are damage. */
static int classify(struct ntfsi_compress *c, struct ntfsi_runmap *m, uint64_t u)
{
	const uint32_t per_unit = 1u << NTFSI_COMPRESS_UNIT_SHIFT;
	const uint64_t first = u << NTFSI_COMPRESS_UNIT_SHIFT;
	uint32_t k = 0, alloc = 0;
	bool hole = false;
	int r;

	if (c->unit == u)
		return NTFS_OK;
	while (k < per_unit) {
		struct ntfs_run run;
		r = ntfsi_runlist_map(m, first + k, &run);
		if (r < 0)
			return r;
		if (r == 0)
			return NTFS_ERR_CORRUPT_RUNLIST;
		if (run.lcn != NTFS_LCN_HOLE) {
			if (hole)
				return NTFS_ERR_CORRUPT_COMPRESSED;
			alloc = k + (uint32_t)ntfsi_min64(run.vcn + run.length - (first + k),
			                                  per_unit - k);
		} else {
			hole = true;
		}
		k += (uint32_t)ntfsi_min64(run.vcn + run.length - (first + k), per_unit - k);
	}
	c->unit = u;
	c->allocated = alloc;
	return NTFS_OK;
}

/* @n compressed bytes at @off of the unit, through the window. */
static int fetch(ntfs_volume *vol, struct workspace *w, struct ntfsi_runmap *m, uint64_t unit_pos,
                 uint32_t limit, uint32_t off, uint32_t n, const uint8_t **p)
{
	int err;

	if (n > limit || off > limit - n)
		return NTFS_ERR_CORRUPT_COMPRESSED;
	if (off < w->in_off || off + n > w->in_off + w->in_len) {
		uint32_t keep = 0;

		/* Moving forward: keep what the window still holds. */
		if (off >= w->in_off && off - w->in_off < w->in_len) {
			keep = w->in_len - (off - w->in_off);
			ntfsi_bytes_copy(w->in, w->in + (off - w->in_off), keep);
		}
		w->in_off = off;
		w->in_len = (uint32_t)ntfsi_min64(sizeof w->in, limit - off);
		err = ntfsi_runlist_read(vol, m, UINT64_MAX, unit_pos + off + keep, w->in + keep,
		                         w->in_len - keep);
		if (err) {
			w->in_len = 0;
			return err;
		}
	}
	*p = w->in + (off - w->in_off);
	return NTFS_OK;
}

/* Decode chunk @j of unit @u into @dst (NTFSI_LZNT1_CHUNK bytes). */
static int decode_chunk(ntfs_volume *vol, struct ntfsi_compress *c, struct workspace *w,
                        struct ntfsi_runmap *m, uint64_t u, uint32_t j, uint8_t *dst)
{
	const uint32_t cshift = vol->boot.cluster_shift;
	const uint64_t unit_pos = u << (cshift + NTFSI_COMPRESS_UNIT_SHIFT);
	const uint32_t limit = c->allocated << cshift;
	uint32_t at = 0, off = 0, body = 0, got = 0;
	bool compressed = false;
	const uint8_t *p;
	int r;

	if (w->unit != u) {
		w->unit = u;
		w->chunk = UINT32_MAX;
		w->next_chunk = 0;
		w->next_off = 0;
		w->in_off = 0;
		w->in_len = 0;
	}
	if (w->next_chunk <= j) {
		at = w->next_chunk;
		off = w->next_off;
	}
	for (;; at++) {
		/* The unit may end before its 16th cluster's header: an end marker,
		 * or no room left for one, leaves zeros. */
		if (limit - off < NTFSI_LZNT1_HEADER) {
			r = 0;
		} else {
			r = fetch(vol, w, m, unit_pos, limit, off, NTFSI_LZNT1_HEADER, &p);
			if (r == NTFS_OK)
				r = ntfsi_lznt1_header(p, &body, &compressed);
		}
		if (r < 0)
			return r;
		if (r == 0) {
			w->next_chunk = UINT32_MAX;
			ntfsi_bytes_zero(dst, NTFSI_LZNT1_CHUNK);
			return NTFS_OK;
		}
		if (at == j)
			break;
		off += NTFSI_LZNT1_HEADER + body;
	}
	r = fetch(vol, w, m, unit_pos, limit, off + NTFSI_LZNT1_HEADER, body, &p);
	if (r)
		return r;
	if (compressed) {
		r = ntfsi_lznt1_decode(p, body, dst, NTFSI_LZNT1_CHUNK, &got);
		if (r)
			return r;
		/* A short chunk ends in zeros. */
		ntfsi_bytes_zero(dst + got, NTFSI_LZNT1_CHUNK - got);
	} else {
		ntfsi_bytes_copy(dst, p, NTFSI_LZNT1_CHUNK);
	}
	w->next_chunk = j + 1;
	w->next_off = off + NTFSI_LZNT1_HEADER + body;
	return NTFS_OK;
}

int ntfsi_compress_read(ntfs_volume *vol, struct ntfsi_compress *c, struct ntfsi_runmap *m,
                        uint64_t init, uint64_t offset, uint8_t *buf, size_t len)
{
	const uint32_t cshift = vol->boot.cluster_shift;
	const uint32_t unit_shift = cshift + NTFSI_COMPRESS_UNIT_SHIFT;
	const uint64_t unit_bytes = (uint64_t)1 << unit_shift;
	struct workspace *w = NULL;
	uint64_t done = 0;
	int err;

	while (done < len) {
		uint64_t pos = offset + done, u = pos >> unit_shift;
		uint32_t upos = (uint32_t)(pos & (unit_bytes - 1)), n;

		if (pos >= init) {
			/* Past the initialized size the value reads as zeros. */
			ntfsi_bytes_zero(buf + done, (size_t)(len - done));
			break;
		}
		n = (uint32_t)ntfsi_min64(ntfsi_min64(len - done, unit_bytes - upos), init - pos);
		err = classify(c, m, u);
		if (err)
			return err;
		if (c->allocated == 0) {
			ntfsi_bytes_zero(buf + done, n);
		} else if (c->allocated == 1u << NTFSI_COMPRESS_UNIT_SHIFT) {
			err = ntfsi_runlist_read(vol, m, UINT64_MAX, pos, buf + done, n);
			if (err)
				return err;
		} else {
			uint32_t j = upos / NTFSI_LZNT1_CHUNK, at = upos % NTFSI_LZNT1_CHUNK;

			n = (uint32_t)ntfsi_min64(n, NTFSI_LZNT1_CHUNK - at);
			if (w == NULL) {
				bool fresh;
				w = ntfsi_io_workspace(vol, sizeof *w, c->id, &fresh);
				if (w == NULL)
					return NTFS_ERR_NOMEM;
				if (fresh) {
					w->unit = UINT64_MAX;
					w->chunk = UINT32_MAX;
				}
			}
			if (n == NTFSI_LZNT1_CHUNK) {
				/* A whole chunk goes straight to the caller. */
				err = decode_chunk(vol, c, w, m, u, j, buf + done);
			} else {
				if (w->unit != u || w->chunk != j) {
					err = decode_chunk(vol, c, w, m, u, j, w->out);
					w->chunk = err ? UINT32_MAX : j;
				}
				if (!err)
					ntfsi_bytes_copy(buf + done, w->out + at, n);
			}
			if (err)
				return err;
		}
		done += n;
	}
	return NTFS_OK;
}

#endif /* NTFS_WITH_LZNT1 */
