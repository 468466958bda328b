/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * MFT records ("FILE"): header validation and reading a record by number
 * through the $MFT's own runlist.
 */
#include "internal.h"

#define REC_HEADER_MIN 42 /* through the next-attribute-id field (NTFS 3.0) */

int ntfsi_record_check(uint8_t *buf, size_t size)
{
	uint32_t used, alloc, first;
	int err;

	if (buf[0] == 'B' && buf[1] == 'A' && buf[2] == 'A' && buf[3] == 'D')
		return NTFS_ERR_CORRUPT_RECORD;
	if (buf[0] != 'F' || buf[1] != 'I' || buf[2] != 'L' || buf[3] != 'E')
		return NTFS_ERR_CORRUPT_RECORD;
	err = ntfsi_fixup(buf, size);
	if (err)
		return err;
	used = ntfsi_le32(buf + NTFSI_REC_BYTES_IN_USE);
	alloc = ntfsi_le32(buf + NTFSI_REC_BYTES_ALLOC);
	first = ntfsi_le16(buf + NTFSI_REC_ATTRS_OFFSET);
	if (alloc != size || used > alloc || (used & 7) != 0)
		return NTFS_ERR_CORRUPT_RECORD;
	/* The first attribute follows the header and the update sequence array
	 * and leaves room at least for the end marker. */
	if (first < REC_HEADER_MIN || (first & 7) != 0 || !ntfsi_range_ok(used, first, 4))
		return NTFS_ERR_CORRUPT_RECORD;
	if (first < ntfsi_le16(buf + 4) + 2u * ntfsi_le16(buf + 6))
		return NTFS_ERR_CORRUPT_RECORD;
	return NTFS_OK;
}

int ntfsi_record_read(ntfs_volume *vol, uint64_t recno, uint8_t *buf)
{
	const uint32_t rsize = vol->boot.record_size;
	const uint8_t cshift = vol->boot.cluster_shift;
	uint64_t pos, done = 0;
	int err;

	if (recno >= vol->mft_records)
		return NTFS_ERR_NOT_FOUND;
	pos = recno << vol->boot.record_shift;
	/* A record spans several clusters, possibly in several runs, when
	 * clusters are smaller than records. */
	while (done < rsize) {
		struct ntfs_run run;
		uint64_t vcn = (pos + done) >> cshift, in_run, n;
		err = ntfs_stream_map(vol->mft, vcn, &run);
		if (err < 0)
			return err;
		if (err == 0 || run.lcn == NTFS_LCN_HOLE)
			return NTFS_ERR_CORRUPT_MFT;
		in_run = ((run.vcn + run.length) << cshift) - (pos + done);
		n = ntfsi_min64(in_run, rsize - done);
		err = ntfsi_dev_read(vol,
		                     (run.lcn << cshift) + ((pos + done) - (run.vcn << cshift)),
		                     buf + done, (size_t)n);
		if (err)
			return err;
		done += n;
	}
	return ntfsi_record_check(buf, rsize);
}
