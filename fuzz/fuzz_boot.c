/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot sector: ntfsi_boot_parse() over the input, then ntfs_mount() with
 * the input as a whole (tiny) disk, its size given so the backup boot
 * sector in the last sector is tried too.
 *
 * Input: a boot sector (512 bytes or more; shorter inputs are padded with
 * zeros for the first parse). As a disk: the input's bytes, then zeros up
 * to the next 4 KiB; reads past that fail.
 */
#include "harness.h"

#include <string.h>

static void check_geometry(const struct ntfsi_boot *b)
{
	TS_CHECK(b->sector_size >= 256 && b->sector_size <= 4096);
	TS_CHECK((b->sector_size & (b->sector_size - 1)) == 0);
	TS_CHECK(b->cluster_size == 1u << b->cluster_shift && b->cluster_shift <= 21);
	TS_CHECK(b->cluster_size >= b->sector_size);
	TS_CHECK(b->record_size == 1u << b->record_shift);
	TS_CHECK(b->record_size >= 512 && b->record_size <= 65536);
	TS_CHECK(b->index_block_size == 1u << b->index_block_shift);
	TS_CHECK(b->index_block_size >= 512 && b->index_block_size <= 65536);
	TS_CHECK(b->total_clusters > 0);
	TS_CHECK(b->mft_lcn < b->total_clusters && b->mftmirr_lcn < b->total_clusters);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t sector[512];
	struct ntfsi_boot b;
	struct ntfs_config cfg;
	struct memalloc a;
	struct memdev dev;
	ntfs_volume *vol;
	int err;

	memset(sector, 0, sizeof sector);
	memcpy(sector, data, size < sizeof sector ? size : sizeof sector);
	err = ntfsi_boot_parse(sector, sizeof sector, &b);
	TS_CHECK(err == NTFS_OK || err == NTFS_ERR_CORRUPT_BOOT);
	if (err == NTFS_OK)
		check_geometry(&b);
	if (size >= 512) {
		/* The exact buffer, so any read past it is caught. */
		err = ntfsi_boot_parse(data, size, &b);
		TS_CHECK(err == NTFS_OK || err == NTFS_ERR_CORRUPT_BOOT);
	}

	if (size > 1u << 20)
		return 0;
	memalloc_init(&a);
	a.cap = FUZZ_ALLOC_CAP;
	/* The input, then zeros to a whole 4 KiB. */
	memdev_init(&dev, data, (size + 4095u) & ~(size_t)4095u, 512);
	dev.data_len = size;
	memdev_config(&cfg, &dev, &a);
	cfg.volume_size = dev.size;
	err = ntfs_mount(&cfg, &vol);
	EXERCISE_CHECK_ERR(err);
	if (err == NTFS_OK) {
		struct ntfs_volume_info info;
		TS_CHECK(ntfs_volume_info(vol, &info) == NTFS_OK);
		ntfs_unmount(vol);
	}
	memalloc_expect(&a, 0, 0);
	return 0;
}
