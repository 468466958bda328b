/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * MBR partition tables: the four primary entries of sector 0, and the
 * logical partitions of one extended partition, a chain of extended boot
 * records (EBRs).
 *
 * An entry is 16 bytes at 446 + 16 * i: boot flag (0 or 0x80), CHS (not
 * used), type, CHS, first LBA (le32), sector count (le32). A type of 0 or a
 * count of 0 is an empty slot. In an EBR, entry 0 is a logical partition
 * relative to that EBR and entry 1 the link to the next EBR, relative to
 * the start of the extended partition.
 */
#include "blockdev.h"

#define MBR_ENTRY(i) (446u + 16u * (i))
#define MBR_E_BOOT 0u
#define MBR_E_TYPE 4u
#define MBR_E_LBA 8u
#define MBR_E_COUNT 12u

static bool mbr_is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0F || type == 0x85;
}

/* An entry in use: a type and a length. Its boot flag must be 0 or 0x80 (a
 * FAT or NTFS boot sector has code here, not a table). */
static int mbr_entry(const uint8_t *e, bool *used)
{
	if ((e[MBR_E_BOOT] & 0x7Fu) != 0)
		return NTFS_ERR_CORRUPT_PARTITION;
	*used = e[MBR_E_TYPE] != 0 && ntfsi_blockdev_le32(e + MBR_E_COUNT) != 0;
	return NTFS_OK;
}

static void mbr_out(const struct ntfs_part_iter *it, struct ntfs_part *out, uint32_t index,
                    uint8_t type, uint8_t boot, uint64_t lba, uint64_t count)
{
	uint8_t *z = (uint8_t *)out;
	size_t i;

	for (i = 0; i < sizeof *out; i++)
		z[i] = 0;
	out->index = index;
	out->scheme = NTFS_PART_MBR;
	out->type = type;
	out->attributes = boot;
	out->start = lba << it->shift;
	out->length = count << it->shift;
}

int ntfsi_mbr_open(struct ntfs_part_iter *it)
{
	unsigned i;

	for (i = 0; i < 4; i++) {
		const uint8_t *e = it->buf + MBR_ENTRY(i);
		uint32_t lba = ntfsi_blockdev_le32(e + MBR_E_LBA);
		uint32_t count = ntfsi_blockdev_le32(e + MBR_E_COUNT);
		bool used;
		int err = mbr_entry(e, &used);

		if (err != NTFS_OK)
			return err;
		it->prim[i].type = used ? e[MBR_E_TYPE] : 0;
		it->prim[i].boot = e[MBR_E_BOOT];
		it->prim[i].lba = lba;
		it->prim[i].count = count;
		if (!used)
			continue;
		/* Not over sector 0, and inside the disk: never clipped. */
		if (lba == 0 || !ntfsi_blockdev_range_ok(it->dev->sector_count, lba, count))
			return NTFS_ERR_CORRUPT_PARTITION;
		if (mbr_is_extended(e[MBR_E_TYPE])) {
			if (it->ebr_lba != 0)
				return NTFS_ERR_CORRUPT_PARTITION; /* a second one */
			it->ext_lba = lba;
			it->ext_end = (uint64_t)lba + count;
			it->ebr_lba = lba;
		}
	}
	return NTFS_OK;
}

int ntfsi_mbr_next(struct ntfs_part_iter *it, struct ntfs_part *out)
{
	while (it->next < 4) {
		unsigned i = it->next++;
		if (it->prim[i].type != 0) {
			mbr_out(it, out, i + 1, it->prim[i].type, it->prim[i].boot, it->prim[i].lba,
			        it->prim[i].count);
			return 1;
		}
	}
	/* Each pass reads one EBR further along; the links only go forward and
	 * at most NTFS_PART_MAX_LOGICAL are read. */
	while (it->ebr_lba != 0) {
		uint64_t ebr = it->ebr_lba;
		const uint8_t *data = it->buf + MBR_ENTRY(0);
		const uint8_t *link = it->buf + MBR_ENTRY(1);
		bool used;
		int err;

		if (it->n_logical >= NTFS_PART_MAX_LOGICAL)
			return NTFS_ERR_LIMIT;
		it->n_logical++;
		it->ebr_lba = 0;
		err = ntfsi_blockdev_sector(it->dev, ebr, it->buf);
		if (err != NTFS_OK)
			return err;
		if (it->buf[510] != 0x55 || it->buf[511] != 0xAA)
			return NTFS_ERR_CORRUPT_PARTITION;
		err = mbr_entry(link, &used);
		if (err != NTFS_OK)
			return err;
		if (used) {
			uint64_t next = it->ext_lba + ntfsi_blockdev_le32(link + MBR_E_LBA);
			/* Forward only (no loop, no revisit), inside the container. */
			if (!mbr_is_extended(link[MBR_E_TYPE]) || next <= ebr ||
			    next >= it->ext_end)
				return NTFS_ERR_CORRUPT_PARTITION;
			it->ebr_lba = next;
		}
		err = mbr_entry(data, &used);
		if (err != NTFS_OK)
			return err;
		if (used) {
			uint32_t rel = ntfsi_blockdev_le32(data + MBR_E_LBA);
			uint32_t count = ntfsi_blockdev_le32(data + MBR_E_COUNT);
			/* After its EBR, inside the extended partition, before the
			 * next EBR (which it would otherwise cover). */
			if (mbr_is_extended(data[MBR_E_TYPE]) || rel == 0 ||
			    !ntfsi_blockdev_range_ok(it->ext_end, ebr + rel, count) ||
			    (it->ebr_lba != 0 && ebr + rel + count > it->ebr_lba))
				return NTFS_ERR_CORRUPT_PARTITION;
			mbr_out(it, out, it->index++, data[MBR_E_TYPE], data[MBR_E_BOOT], ebr + rel,
			        count);
			return 1;
		}
	}
	return 0;
}
