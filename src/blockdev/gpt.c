/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GPT (UEFI 2.x, chapter 5.3): the header at LBA 1, or its backup in the
 * disk's last sector, and the partition entry array it describes.
 *
 * Header: "EFI PART" (0), revision (8), header size (12), header CRC32 (16,
 * computed with itself zeroed), its own LBA (24), the other header's LBA
 * (32), first and last usable LBA (40, 48), disk GUID (56), array LBA (72),
 * entry count (80), entry size (84), array CRC32 (88).
 * Entry: type GUID (0, all zero: unused), unique GUID (16), first and last
 * LBA (32, 40, inclusive), attributes (48), name (56, 36 UTF-16LE units).
 */
#include "blockdev.h"

#define GPT_HDR_MIN 92u
#define GPT_REVISION 0x00010000u

uint32_t ntfsi_gpt_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	unsigned k;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

/* Check the header in sector @lba (1, or the backup's last sector) and
 * the CRC of its array; keep what ntfsi_gpt_next() needs. */
static int gpt_header(struct ntfs_part_iter *it, uint64_t lba)
{
	static const uint8_t zero4[4] = {0, 0, 0, 0};
	static const char magic[8] = {'E', 'F', 'I', ' ', 'P', 'A', 'R', 'T'};
	const uint8_t *h = it->buf;
	uint32_t ss = it->dev->sector_size, hsize, count, esize, crc, sum, i;
	uint64_t n = it->dev->sector_count, first, last, alt, elba, bytes, sectors, s;
	int err = ntfsi_blockdev_sector(it->dev, lba, it->buf);

	it->buf_lba = UINT64_MAX;
	if (err != NTFS_OK)
		return err;
	for (i = 0; i < 8; i++) {
		if (h[i] != (uint8_t)magic[i])
			return NTFS_ERR_CORRUPT_PARTITION;
	}
	hsize = ntfsi_blockdev_le32(h + 12);
	if (ntfsi_blockdev_le32(h + 8) != GPT_REVISION || hsize < GPT_HDR_MIN || hsize > ss)
		return NTFS_ERR_CORRUPT_PARTITION;
	crc = ntfsi_gpt_crc32(0, h, 16);
	crc = ntfsi_gpt_crc32(crc, zero4, 4);
	crc = ntfsi_gpt_crc32(crc, h + 20, hsize - 20);
	if (crc != ntfsi_blockdev_le32(h + 16) || ntfsi_blockdev_le64(h + 24) != lba)
		return NTFS_ERR_CORRUPT_PARTITION;
	alt = ntfsi_blockdev_le64(h + 32);
	first = ntfsi_blockdev_le64(h + 40);
	last = ntfsi_blockdev_le64(h + 48);
	elba = ntfsi_blockdev_le64(h + 72);
	count = ntfsi_blockdev_le32(h + 80);
	esize = ntfsi_blockdev_le32(h + 84);
	crc = ntfsi_blockdev_le32(h + 88);
	if (first > last || last >= n)
		return NTFS_ERR_CORRUPT_PARTITION;
	/* 128 x 2^n, and no entry straddles two sectors. */
	if (esize < 128 || esize > ss || esize > NTFS_PART_GPT_MAX_ENTRY_SIZE ||
	    (esize & (esize - 1)) != 0)
		return NTFS_ERR_CORRUPT_PARTITION;
	/* Capped before the product is formed (EDK2's CVE-2022-36763 trusted
	 * count x size in 32 bits): at most 2^12 x 2^12 here. */
	if (count > NTFS_PART_GPT_MAX_ENTRIES)
		return NTFS_ERR_LIMIT;
	bytes = (uint64_t)count * esize;
	sectors = (bytes + ss - 1) >> it->shift;
	/* UEFI's layout: the primary header, its array, the usable area, then
	 * the backup's array and header, each copy naming the other's header.
	 * Partitions inside the usable area then miss sector 0, both headers
	 * and this array. */
	if (!ntfsi_blockdev_range_ok(n, elba, sectors))
		return NTFS_ERR_CORRUPT_PARTITION;
	if (lba == 1 ? elba < 2 || elba + sectors > first || alt <= last || alt >= n
	             : alt != 1 || first < 2 || elba <= last || elba + sectors > lba)
		return NTFS_ERR_CORRUPT_PARTITION;
	/* Its CRC, streamed through the one sector buffer. */
	for (s = 0, sum = 0; s < sectors; s++) {
		uint32_t take =
		        bytes - (s << it->shift) < ss ? (uint32_t)(bytes - (s << it->shift)) : ss;
		err = ntfsi_blockdev_sector(it->dev, elba + s, it->buf);
		if (err != NTFS_OK)
			return err;
		sum = ntfsi_gpt_crc32(sum, it->buf, take);
	}
	if (sum != crc)
		return NTFS_ERR_CORRUPT_PARTITION;
	it->entry_lba = elba;
	it->entry_count = count;
	it->entry_size = esize;
	it->first_usable = first;
	it->last_usable = last;
	return NTFS_OK;
}

int ntfsi_gpt_open(struct ntfs_part_iter *it)
{
	int err = gpt_header(it, 1);

	/* A bad primary (unreadable, damaged, or its array's CRC wrong): the
	 * backup in the last sector, else the primary's error. */
	if (err != NTFS_OK && it->dev->sector_count > 2 &&
	    gpt_header(it, it->dev->sector_count - 1) == NTFS_OK)
		err = NTFS_OK;
	return err;
}

/* 36 UTF-16LE units, up to the first NUL, as UTF-8 (a lone surrogate
 * becomes U+FFFD): at most 3 bytes per unit, so 109 with the NUL. */
static void gpt_name(const uint8_t *p, char *out)
{
	unsigned i = 0, o = 0;

	while (i < 36) {
		uint32_t c = ntfsi_blockdev_le16(p + 2 * i++);
		if (c == 0)
			break;
		if (c >= 0xD800 && c < 0xE000) {
			uint32_t d = i < 36 ? ntfsi_blockdev_le16(p + 2 * i) : 0;
			if (c < 0xDC00 && d >= 0xDC00 && d < 0xE000) {
				c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
				i++;
			} else {
				c = 0xFFFD;
			}
		}
		if (c < 0x80) {
			out[o++] = (char)c;
		} else {
			unsigned n = c < 0x800 ? 1 : c < 0x10000 ? 2 : 3;
			out[o++] = (char)((uint8_t)(0xFF80u >> n) | (c >> (6 * n)));
			while (n--)
				out[o++] = (char)(0x80u | ((c >> (6 * n)) & 0x3Fu));
		}
	}
	out[o] = 0;
}

int ntfsi_gpt_next(struct ntfs_part_iter *it, struct ntfs_part *out)
{
	while (it->next < it->entry_count) {
		uint32_t i = it->next++;
		uint64_t off = (uint64_t)i * it->entry_size;
		uint64_t lba = it->entry_lba + (off >> it->shift);
		const uint8_t *e = it->buf + (off & (it->dev->sector_size - 1));
		uint64_t first, last;
		uint8_t any = 0;
		unsigned k;

		if (lba != it->buf_lba) {
			int err = ntfsi_blockdev_sector(it->dev, lba, it->buf);
			if (err != NTFS_OK)
				return err;
			it->buf_lba = lba;
		}
		for (k = 0; k < 16; k++)
			any |= e[k];
		if (any == 0)
			continue;
		first = ntfsi_blockdev_le64(e + 32);
		last = ntfsi_blockdev_le64(e + 40);
		if (first > last || first < it->first_usable || last > it->last_usable)
			return NTFS_ERR_CORRUPT_PARTITION;
		out->index = i + 1;
		out->scheme = NTFS_PART_GPT;
		out->type = 0;
		for (k = 0; k < 16; k++) {
			out->type_guid[k] = e[k];
			out->unique_guid[k] = e[16 + k];
		}
		out->attributes = ntfsi_blockdev_le64(e + 48);
		out->start = first << it->shift;
		out->length = (last - first + 1) << it->shift;
		gpt_name(e + 56, out->name);
		return 1;
	}
	return 0;
}
