/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * MFT records ("FILE"): the header, validated once after the fixups, and
 * a parsed view of it for the files that use records.
 */
#include "record.h"

#include "ntfs/ntfs.h"

#include "fixup.h"

#define REC_USA_OFFSET 4
#define REC_USA_COUNT 6
#define REC_SEQUENCE 16
#define REC_LINKS 18
#define REC_ATTRS_OFFSET 20
#define REC_FLAGS 22
#define REC_BYTES_IN_USE 24
#define REC_BYTES_ALLOC 28
#define REC_BASE_REF 32
#define REC_HEADER_MIN 42 /* through the next-attribute-id field (NTFS 3.0) */

int ntfsi_record_check(uint8_t *buf, size_t size)
{
	uint32_t used, alloc, first;
	int err;

	if (buf[0] == 'B' && buf[1] == 'A' && buf[2] == 'A' && buf[3] == 'D')
		return NTFS_ERR_CORRUPT_RECORD;
	if (buf[0] != 'F' || buf[1] != 'I' || buf[2] != 'L' || buf[3] != 'E')
		return NTFS_ERR_CORRUPT_RECORD;
	err = ntfsi_fixup_apply(buf, size);
	if (err)
		return err;
	used = ntfsi_le32(buf + REC_BYTES_IN_USE);
	alloc = ntfsi_le32(buf + REC_BYTES_ALLOC);
	first = ntfsi_le16(buf + REC_ATTRS_OFFSET);
	if (alloc != size || used > alloc || (used & 7) != 0)
		return NTFS_ERR_CORRUPT_RECORD;
	/* The first attribute follows the header and the update sequence array
	 * and leaves room at least for the end marker. */
	if (first < REC_HEADER_MIN || (first & 7) != 0 || !ntfsi_range_ok(used, first, 4))
		return NTFS_ERR_CORRUPT_RECORD;
	if (first < ntfsi_le16(buf + REC_USA_OFFSET) + 2u * ntfsi_le16(buf + REC_USA_COUNT))
		return NTFS_ERR_CORRUPT_RECORD;
	return NTFS_OK;
}

void ntfsi_record_view(const uint8_t *buf, struct ntfsi_record *r)
{
	r->seq = ntfsi_le16(buf + REC_SEQUENCE);
	r->links = ntfsi_le16(buf + REC_LINKS);
	r->flags = ntfsi_le16(buf + REC_FLAGS);
	r->base_ref = ntfsi_le64(buf + REC_BASE_REF);
	r->first_attr = ntfsi_le16(buf + REC_ATTRS_OFFSET);
	r->used = ntfsi_le32(buf + REC_BYTES_IN_USE);
}
