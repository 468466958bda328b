/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Runlists (mapping pairs), decoded lazily: a cursor yields one run at a
 * time, so a file with a million runs costs no more memory than one with
 * one. Each pair is a header byte (low nibble: bytes of length, high
 * nibble: bytes of signed LCN delta, 0 for a sparse run), then the fields.
 */
#include "internal.h"

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
