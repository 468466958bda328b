/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * MBR partition tables (src/blockdev/mbr.c, part.c): ntfs_part_open(),
 * ntfs_part_next() and ntfs_part_next_ntfs() over the input as a disk
 * (see part_common.h for the flags byte). Every partition must lie on the
 * disk, be numbered upwards, and at most 4 + NTFS_PART_MAX_LOGICAL are
 * listed, with at most one sector read per EBR besides sector 0.
 * An input whose sector 0 has a 0xEE entry is a GPT disk: fuzz_gpt's.
 */
#include "harness.h"
#include "part_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_disk d;
	struct ntfs_blockdev dev;
	unsigned n;

	if (size < 1 || size > (1u << 20))
		return 0;
	fz_disk_init(&d, &dev, data[0], data + 1, size - 1);
	for (size_t i = 0; i < 4 && size - 1 >= 512; i++) {
		if (data[1 + 446 + 16 * i + 4] == 0xEE)
			return 0;
	}
	n = fz_part_walk(&dev, NTFS_PART_MBR, 4 + NTFS_PART_MAX_LOGICAL);
	/* Sector 0 and the EBRs, twice (list, then NTFS), plus a boot sector
	 * per partition. */
	TS_CHECK(d.reads <= 2 * (1 + NTFS_PART_MAX_LOGICAL) + n);
	return 0;
}
