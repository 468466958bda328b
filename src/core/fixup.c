/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Update sequence fixups. NTFS writes a sequence number over the last two
 * bytes of every 512-byte stride of a multi-sector record (FILE, INDX) and
 * keeps the displaced bytes in the update sequence array; a stride whose
 * last two bytes do not hold the sequence number was torn by a crash.
 */
#include "fixup.h"

#include "ntfs/ntfs.h"

#define USA_OFFSET 4
#define USA_COUNT 6

int ntfsi_fixup_apply(uint8_t *buf, size_t size)
{
	uint32_t usa_off, usa_count, i;
	uint16_t seq;

	if (size < NTFSI_FIXUP_STRIDE || size % NTFSI_FIXUP_STRIDE != 0)
		return NTFS_ERR_CORRUPT_FIXUP;
	usa_off = ntfsi_le16(buf + USA_OFFSET);
	usa_count = ntfsi_le16(buf + USA_COUNT);
	/* One sequence number plus one saved pair per stride, all inside the
	 * first stride (it must be readable before any fixup is applied). */
	if (usa_count != size / NTFSI_FIXUP_STRIDE + 1 || (usa_off & 1) != 0 || usa_off < 8 ||
	    !ntfsi_range_ok(NTFSI_FIXUP_STRIDE - 2, usa_off, 2u * usa_count))
		return NTFS_ERR_CORRUPT_FIXUP;
	seq = ntfsi_le16(buf + usa_off);
	for (i = 1; i < usa_count; i++) {
		uint8_t *tail = buf + i * NTFSI_FIXUP_STRIDE - 2;
		if (ntfsi_le16(tail) != seq)
			return NTFS_ERR_CORRUPT_FIXUP;
	}
	for (i = 1; i < usa_count; i++) {
		uint8_t *tail = buf + i * NTFSI_FIXUP_STRIDE - 2;
		tail[0] = buf[usa_off + 2 * i];
		tail[1] = buf[usa_off + 2 * i + 1];
	}
	return NTFS_OK;
}
