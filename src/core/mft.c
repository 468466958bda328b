/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The $MFT's own $DATA, mapped once at mount: every extent's mapping pairs
 * stay in one buffer, capped by NTFS_MAX_MFT_MAPPING, and records are read
 * through it. While mount builds the map, only the extents kept so far are
 * used, so extent k must be reachable through extents 0..k-1 (Windows and
 * ntfs-3g place them so).
 */
#include "mft.h"

#include "io.h"
#include "record.h"
#include "volume.h"

void ntfsi_mft_init(ntfs_volume *vol, struct ntfsi_extent *x, uint32_t n, uint64_t records)
{
	struct ntfsi_mft *m = &vol->mft;

	ntfsi_bytes_zero(m, sizeof *m);
	m->map.extents = x;
	m->map.clusters = vol->boot.total_clusters;
	m->map.cur_extent = UINT32_MAX;
	m->map.hole_err = NTFS_ERR_CORRUPT_MFT;
	m->n_extents = n;
	m->records = records;
}

int ntfsi_mft_extend(ntfs_volume *vol, const struct ntfsi_attr *a)
{
	struct ntfsi_mft *mft = &vol->mft;
	struct ntfsi_runmap *m = &mft->map;
	const uint32_t k = m->n, used = k ? m->extents[k - 1].mp_off + m->extents[k - 1].mp_len : 0;
	int err;

	NTFSI_ASSERT(k < mft->n_extents);
	err = ntfsi_runlist_extent(&m->extents[k], a,
	                           k + 1 < mft->n_extents ? &m->extents[k + 1] : NULL,
	                           vol->boot.cluster_shift);
	if (err)
		return err;
	/* Each extent adds up to a record: cap the sum. */
	if (a->mapping_len > NTFS_MAX_MFT_MAPPING - used)
		return NTFS_ERR_LIMIT;
	/* The pool grows by doubling, from empty, so that every multi-extent
	 * $MFT takes the growth path. */
	if (a->mapping_len > mft->pool_cap - used) {
		uint32_t cap = mft->pool_cap ? mft->pool_cap : a->mapping_len;
		uint8_t *mp;
		while (cap - used < a->mapping_len)
			cap *= 2;
		if (cap > NTFS_MAX_MFT_MAPPING)
			cap = NTFS_MAX_MFT_MAPPING;
		mp = ntfsi_io_alloc(vol, cap);
		if (mp == NULL)
			return NTFS_ERR_NOMEM;
		ntfsi_bytes_copy(mp, mft->pool, used);
		ntfsi_io_free(vol, mft->pool, mft->pool_cap);
		mft->pool = mp;
		mft->pool_cap = cap;
		m->mp = mp;
		/* The cursor pointed into the old pool. */
		m->cur_extent = UINT32_MAX;
	}
	ntfsi_bytes_copy(mft->pool + used, a->mapping, a->mapping_len);
	m->extents[k].mp_off = used;
	m->extents[k].mp_len = a->mapping_len;
	m->n = k + 1;
	return NTFS_OK;
}

void ntfsi_mft_free(ntfs_volume *vol)
{
	struct ntfsi_mft *m = &vol->mft;

	ntfsi_io_free(vol, m->pool, m->pool_cap);
	ntfsi_io_free(vol, m->map.extents, m->n_extents * sizeof *m->map.extents);
	ntfsi_bytes_zero(m, sizeof *m);
}

int ntfsi_mft_read(ntfs_volume *vol, uint64_t recno, uint8_t *buf)
{
	const uint32_t rsize = vol->boot.record_size;
	int err;

	if (recno >= vol->mft.records)
		return NTFS_ERR_NOT_FOUND;
	/* A record spans several clusters, possibly in several runs, when
	 * clusters are smaller than records. */
	err = ntfsi_runlist_read(vol, &vol->mft.map, UINT64_MAX,
	                         ntfsi_bytes_shl(recno, vol->boot.record_shift), buf, rsize);
	return err ? err : ntfsi_record_check(buf, rsize);
}
