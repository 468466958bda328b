/* SPDX-License-Identifier: BSD-2-Clause */
/* The boot sector: the volume's geometry (boot.c). */
#ifndef NTFS_BOOT_H
#define NTFS_BOOT_H

#include "bytes.h"

struct ntfsi_boot {
	uint32_t sector_size;
	uint32_t cluster_size;
	uint32_t record_size;
	uint32_t index_block_size;
	uint8_t cluster_shift;
	uint8_t record_shift;
	uint8_t index_block_shift;
	uint64_t total_sectors;
	uint64_t total_clusters;
	uint64_t mft_lcn;
	uint64_t mftmirr_lcn;
	uint64_t serial;
};

/* Parse and validate one boot sector (at least 512 bytes). */
int ntfsi_boot_parse(const uint8_t *sector, size_t len, struct ntfsi_boot *boot);

#endif /* NTFS_BOOT_H */
