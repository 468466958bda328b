/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Runlists (mapping pairs), decoded lazily: a cursor yields one run at a
 * time, so a file with a million runs costs no more memory than one with
 * one. Each pair is a header byte (low nibble: bytes of length, high
 * nibble: bytes of signed LCN delta, 0 for a sparse run), then the fields.
 * An attribute too big for one record is split into extents by VCN, each
 * with its own mapping pairs.
 */
#include "runlist.h"

#include "io.h"
#include "volume.h"

void ntfsi_runlist_init(struct ntfsi_runlist *rl, const uint8_t *p, uint32_t len,
                        uint64_t lowest_vcn, uint64_t end_vcn, uint64_t total_clusters)
{
	rl->p = p;
	rl->len = len;
	rl->pos = 0;
	rl->vcn = lowest_vcn;
	rl->end_vcn = end_vcn;
	rl->lcn = 0;
	rl->total_clusters = total_clusters;
}

int ntfsi_runlist_next(struct ntfsi_runlist *rl, struct ntfs_run *run)
{
	uint32_t len_bytes, off_bytes, i;
	uint64_t length = 0;
	uint8_t h;

	/* A missing terminator leaves the cursor at the end of the bytes. */
	if (rl->pos >= rl->len)
		return NTFS_ERR_CORRUPT_RUNLIST;
	h = rl->p[rl->pos];
	if (h == 0)
		return rl->vcn == rl->end_vcn ? 0 : NTFS_ERR_CORRUPT_RUNLIST;
	len_bytes = h & 0x0Fu;
	off_bytes = h >> 4;
	if (len_bytes == 0 || len_bytes > 8 || off_bytes > 8 ||
	    !ntfsi_range_ok(rl->len, rl->pos + 1u, len_bytes + off_bytes))
		return NTFS_ERR_CORRUPT_RUNLIST;
	/* Lengths are unsigned here: a one-byte 0x80 is 128 clusters. Whatever
	 * the encoding, the run must fit the extent's VCN range. */
	for (i = len_bytes; i > 0; i--)
		length = length << 8 | rl->p[rl->pos + i];
	if (length == 0 || length > rl->end_vcn - rl->vcn)
		return NTFS_ERR_CORRUPT_RUNLIST;
	run->vcn = rl->vcn;
	run->length = length;
	if (off_bytes == 0) {
		run->lcn = NTFS_LCN_HOLE;
	} else {
		const uint8_t *d = rl->p + rl->pos + 1 + len_bytes;
		uint64_t delta = d[off_bytes - 1] & 0x80u ? UINT64_MAX : 0;
		int64_t lcn;
		for (i = off_bytes; i > 0; i--)
			delta = delta << 8 | d[i - 1];
		/* Two's complement add done unsigned, then range-checked: the
		 * result must be a cluster of this volume and so must the run's
		 * end. */
		lcn = (int64_t)((uint64_t)rl->lcn + delta);
		if ((delta & 0x8000000000000000ull) ? lcn > rl->lcn : lcn < rl->lcn)
			return NTFS_ERR_CORRUPT_RUNLIST;
		if (lcn < 0 || (uint64_t)lcn > rl->total_clusters ||
		    length > rl->total_clusters - (uint64_t)lcn)
			return NTFS_ERR_CORRUPT_RUNLIST;
		rl->lcn = lcn;
		run->lcn = (uint64_t)lcn;
	}
	rl->vcn += length;
	rl->pos += 1 + len_bytes + off_bytes;
	return 1;
}

int ntfsi_runlist_extent(struct ntfsi_extent *x, const struct ntfsi_attr *a,
                         const struct ntfsi_extent *next, uint8_t cluster_shift)
{
	uint64_t end;

	if (a->resident || a->lowest_vcn != x->lowest_vcn)
		return NTFS_ERR_CORRUPT_ATTRLIST;
	end = a->highest_vcn + 1; /* an empty attribute's highest VCN is -1 */
	/* Keep every byte offset computed from a VCN inside 63 bits. */
	if (end > (UINT64_MAX >> (cluster_shift + 1)))
		return NTFS_ERR_CORRUPT_ATTR;
	if (next != NULL && end != next->lowest_vcn)
		return NTFS_ERR_CORRUPT_ATTRLIST;
	x->end_vcn = end;
	return NTFS_OK;
}

int ntfsi_runlist_map(struct ntfsi_runmap *m, uint64_t vcn, struct ntfs_run *run)
{
	uint32_t lo = 0, hi = m->n;
	int err;

	if (m->last.length != 0 && vcn >= m->last.vcn && vcn - m->last.vcn < m->last.length) {
		ntfsi_bytes_copy(run, &m->last, sizeof *run);
		return 1;
	}
	if (hi == 0)
		return 0;
	/* The last extent starting at or before vcn. */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (m->extents[mid].lowest_vcn <= vcn)
			lo = mid;
		else
			hi = mid;
	}
	if (lo != m->cur_extent || vcn < m->cur.vcn) {
		const struct ntfsi_extent *x = &m->extents[lo];
		if (lo != m->cur_extent && m->load != NULL) {
			m->cur_extent = UINT32_MAX;
			err = m->load(m->load_ctx, lo);
			if (err)
				return err;
		}
		ntfsi_runlist_init(&m->cur, m->mp + x->mp_off, x->mp_len, x->lowest_vcn, x->end_vcn,
		                   m->clusters);
		m->cur_extent = lo;
	}
	for (;;) {
		err = ntfsi_runlist_next(&m->cur, run);
		if (err <= 0) {
			m->cur_extent = UINT32_MAX;
			return err;
		}
		if (vcn < run->vcn + run->length) {
			ntfsi_bytes_copy(&m->last, run, sizeof *run);
			return 1;
		}
	}
}

int ntfsi_runlist_read(ntfs_volume *vol, struct ntfsi_runmap *m, uint64_t init, uint64_t offset,
                       uint8_t *buf, size_t len)
{
	const uint8_t cshift = vol->boot.cluster_shift;
	size_t done = 0, n;

	while (done < len) {
		uint64_t pos = offset + done, run_end;
		struct ntfs_run run;
		int err;

		if (pos >= init) {
			/* Past the initialized size the value reads as zeros. */
			ntfsi_bytes_zero(buf + done, len - done);
			break;
		}
		err = ntfsi_runlist_map(m, ntfsi_bytes_shr(pos, cshift), &run);
		if (err < 0)
			return err;
		if (err == 0 || (run.lcn == NTFS_LCN_HOLE && m->hole_err != 0))
			return m->hole_err != 0 ? m->hole_err : NTFS_ERR_CORRUPT_RUNLIST;
		run_end = ntfsi_bytes_shl(run.vcn + run.length, cshift);
		n = (size_t)ntfsi_min64(ntfsi_min64(len - done, run_end - pos), init - pos);
		if (run.lcn == NTFS_LCN_HOLE) {
			ntfsi_bytes_zero(buf + done, n);
		} else {
			/* (lcn << shift) + pos - (vcn << shift), modulo 2^64. */
			err = ntfsi_io_read(vol, ntfsi_bytes_shl(run.lcn - run.vcn, cshift) + pos,
			                    buf + done, n);
			if (err)
				return err;
		}
		done += n;
	}
	return NTFS_OK;
}
