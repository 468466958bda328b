/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GPT (src/blockdev/gpt.c, part.c): ntfs_part_open(), ntfs_part_next() and
 * ntfs_part_next_ntfs() over the input as a disk (see part_common.h for
 * the flags byte). Sector 0 is made a protective MBR (an 0xEE entry in
 * slot 0) if it has none, so every input is read as GPT.
 *
 * With flag bit 2 the harness re-signs, in its copy, the headers at LBA 1
 * and at the input's last whole sector: the array CRC (when the array lies
 * in the input) and the header CRC (when the header size is 92..sector
 * size), so the fuzzer gets past both checksums to the fields and entries.
 *
 * Every partition must lie on the disk, be numbered upwards, at most
 * NTFS_PART_GPT_MAX_ENTRIES are listed, and the sectors read stay within
 * both headers and both arrays, twice, plus a boot sector per partition.
 */
#include "harness.h"
#include "part_common.h"

#include <stdlib.h>

#include "blockdev.h"

static uint64_t ld(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void st32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void resign(uint8_t *disk, size_t len, uint32_t ss, uint64_t lba)
{
	uint8_t *h;
	uint32_t hs;
	uint64_t elba, bytes;

	if (lba == 0 || lba >= len / ss)
		return;
	h = disk + lba * ss;
	hs = (uint32_t)ld(h + 12, 4);
	elba = ld(h + 72, 8);
	bytes = ld(h + 80, 4) * ld(h + 84, 4);
	if (elba < len / ss && bytes <= len - elba * ss)
		st32(h + 88, ntfsi_gpt_crc32(0, disk + elba * ss, (size_t)bytes));
	if (hs >= 92 && hs <= ss) {
		st32(h + 16, 0);
		st32(h + 16, ntfsi_gpt_crc32(0, h, hs));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_disk d;
	struct ntfs_blockdev dev;
	uint8_t *disk;
	size_t len;
	bool ee = false;
	unsigned n;

	if (size < 1 || size > (1u << 20))
		return 0;
	len = size - 1;
	disk = malloc(len > 512 ? len : 512);
	TS_CHECK(disk != NULL);
	memset(disk, 0, len > 512 ? len : 512);
	memcpy(disk, data + 1, len);
	if (len < 512)
		len = 512;
	for (int i = 0; i < 4; i++)
		ee |= disk[446 + 16 * i + 4] == 0xEE;
	if (!ee) {
		disk[446 + 4] = 0xEE;
		disk[510] = 0x55;
		disk[511] = 0xAA;
	}
	/* Not an NTFS boot sector either: that is "no partition table". */
	disk[3] = 0;
	fz_disk_init(&d, &dev, data[0], disk, len);
	if (data[0] & 4) {
		resign(disk, len, d.ss, 1);
		if (len / d.ss >= 2)
			resign(disk, len, d.ss, len / d.ss - 1);
	}
	n = fz_part_walk(&dev, NTFS_PART_GPT, NTFS_PART_GPT_MAX_ENTRIES);
	{
		/* Per header: itself and its array (at most 4096 entries of at
		 * most a sector: 4096 sectors); open runs twice. */
		uint64_t arr = NTFS_PART_GPT_MAX_ENTRIES;
		TS_CHECK(d.reads <= 2 * (1 + 2 * (1 + arr)) + 2 * arr + 2 * n);
	}
	free(disk);
	return 0;
}
