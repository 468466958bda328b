/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The partition cursor: sector 0 decides the scheme (a protective 0xEE
 * entry means GPT), mbr.c and gpt.c do the rest; and the NTFS finder.
 */
#include "blockdev.h"

/* Microsoft Basic Data, EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, as stored. */
static const uint8_t part_basic_data[16] = {0xA2, 0xA0, 0xD0, 0xEB, 0xE5, 0xB9, 0x33, 0x44,
                                            0x87, 0xC0, 0x68, 0xB6, 0xB7, 0x26, 0x99, 0xC7};

/* An NTFS boot sector: OEM id "NTFS    " at 3 and 0x55AA at 510. */
static bool part_is_ntfs_boot(const uint8_t *s)
{
	static const char oem[8] = {'N', 'T', 'F', 'S', ' ', ' ', ' ', ' '};
	unsigned i;

	for (i = 0; i < 8; i++) {
		if (s[3 + i] != (uint8_t)oem[i])
			return false;
	}
	return s[510] == 0x55 && s[511] == 0xAA;
}

int ntfs_part_open(struct ntfs_part_iter *it, const struct ntfs_blockdev *dev, void *scratch)
{
	unsigned shift = ntfsi_blockdev_shift(dev), i;
	uint8_t *z = (uint8_t *)it;
	bool gpt = false;
	int err;

	if (it == NULL)
		return NTFS_ERR_INVALID;
	for (i = 0; i < sizeof *it; i++)
		z[i] = 0;
	it->err = NTFS_ERR_INVALID;
	if (shift == 0 || scratch == NULL)
		return NTFS_ERR_INVALID;
	it->dev = dev;
	it->buf = scratch;
	it->shift = (uint8_t)shift;
	it->index = 5;
	it->buf_lba = UINT64_MAX;
	err = ntfsi_blockdev_sector(dev, 0, it->buf);
	if (err == NTFS_OK &&
	    (it->buf[510] != 0x55 || it->buf[511] != 0xAA || part_is_ntfs_boot(it->buf)))
		err = NTFS_ERR_NOT_FOUND;
	if (err == NTFS_OK) {
		/* A protective entry starts at LBA 1 (UEFI; Linux checks the
		 * same); its size is free, as disks over 2 TiB need. */
		for (i = 0; i < 4; i++) {
			const uint8_t *e = it->buf + 446 + 16 * i;
			if (e[4] == 0xEE && ntfsi_blockdev_le32(e + 8) != 1)
				err = NTFS_ERR_CORRUPT_PARTITION;
			gpt |= e[4] == 0xEE;
		}
	}
	if (err == NTFS_OK) {
		it->scheme = gpt ? NTFS_PART_GPT : NTFS_PART_MBR;
		err = gpt ? ntfsi_gpt_open(it) : ntfsi_mbr_open(it);
	}
	it->err = err;
	return err;
}

int ntfs_part_next(struct ntfs_part_iter *it, struct ntfs_part *out)
{
	int r;

	if (it->err != NTFS_OK)
		return it->err;
	r = it->scheme == NTFS_PART_GPT ? ntfsi_gpt_next(it, out) : ntfsi_mbr_next(it, out);
	if (r < 0)
		it->err = r;
	return r;
}

int ntfs_part_next_ntfs(struct ntfs_part_iter *it, struct ntfs_part *out)
{
	for (;;) {
		int r = ntfs_part_next(it, out);
		bool typed = true;
		unsigned k;

		if (r <= 0)
			return r;
		if (out->scheme == NTFS_PART_MBR) {
			typed = out->type == 0x07;
		} else {
			for (k = 0; k < 16; k++)
				typed &= out->type_guid[k] == part_basic_data[k];
		}
		if (!typed)
			continue;
		it->buf_lba = UINT64_MAX;
		/* A boot sector that does not read is no volume to mount: the
		 * search goes on, so the only errors are the table's (kept). */
		r = ntfsi_blockdev_sector(it->dev, out->start >> it->shift, it->buf);
		if (r == NTFS_OK && part_is_ntfs_boot(it->buf))
			return 1;
	}
}
