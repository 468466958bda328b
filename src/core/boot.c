/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The boot sector: geometry of the volume. The negative "clusters per"
 * encodings mean 2^-n (sectors per cluster: 2^-n sectors, with 0xF4 giving
 * 4096 sectors; record and index block sizes: 2^-n bytes).
 */
#include "boot.h"

#include "ntfs/ntfs.h"

#define BS_OEM 3
#define BS_BYTES_PER_SECTOR 11
#define BS_SECTORS_PER_CLUSTER 13
#define BS_TOTAL_SECTORS 40
#define BS_MFT_LCN 48
#define BS_MFTMIRR_LCN 56
#define BS_CLUSTERS_PER_RECORD 64
#define BS_CLUSTERS_PER_INDEX 68
#define BS_SERIAL 72
#define BS_SIGNATURE 510

#define MAX_CLUSTER_SHIFT 21 /* 2 MiB, the largest Windows formats */

static int log2_exact(uint32_t v)
{
	int s = 0;
	if (v == 0 || (v & (v - 1)) != 0)
		return -1;
	while ((v >> s) != 1)
		s++;
	return s;
}

/* Decode a "clusters per record/index block" byte into a byte-size shift. */
static int size_shift(uint8_t raw, int cluster_shift)
{
	int8_t v = (int8_t)raw;
	if (v > 0) {
		int s = log2_exact((uint32_t)v);
		return s < 0 ? -1 : s + cluster_shift;
	}
	if (v < 0 && v >= -31)
		return -v;
	return -1;
}

int ntfsi_boot_parse(const uint8_t *bs, size_t len, struct ntfsi_boot *boot)
{
	static const uint8_t oem[8] = {'N', 'T', 'F', 'S', ' ', ' ', ' ', ' '};
	int sector_shift, spc_shift, cluster_shift, rec_shift, idx_shift;
	uint8_t spc;
	uint64_t clusters;
	size_t i;

	if (len < 512)
		return NTFS_ERR_CORRUPT_BOOT;
	for (i = 0; i < sizeof oem; i++)
		if (bs[BS_OEM + i] != oem[i])
			return NTFS_ERR_CORRUPT_BOOT;
	if (bs[BS_SIGNATURE] != 0x55 || bs[BS_SIGNATURE + 1] != 0xAA)
		return NTFS_ERR_CORRUPT_BOOT;

	sector_shift = log2_exact(ntfsi_le16(bs + BS_BYTES_PER_SECTOR));
	if (sector_shift < 8 || sector_shift > 12)
		return NTFS_ERR_CORRUPT_BOOT;

	spc = bs[BS_SECTORS_PER_CLUSTER];
	if (spc == 0)
		return NTFS_ERR_CORRUPT_BOOT;
	if (spc <= 0x80)
		spc_shift = log2_exact(spc);
	else
		spc_shift = 256 - spc; /* 0xF4 means 2^12 sectors */
	if (spc_shift < 0 || spc_shift > MAX_CLUSTER_SHIFT)
		return NTFS_ERR_CORRUPT_BOOT;
	cluster_shift = sector_shift + spc_shift;
	if (cluster_shift > MAX_CLUSTER_SHIFT)
		return NTFS_ERR_CORRUPT_BOOT;

	rec_shift = size_shift(bs[BS_CLUSTERS_PER_RECORD], cluster_shift);
	idx_shift = size_shift(bs[BS_CLUSTERS_PER_INDEX], cluster_shift);
	/* Records are 1 KiB or 4 KiB in practice; accept 512 B..64 KiB. Records
	 * need at least one 512-byte fixup stride and are never smaller than a
	 * sector. Index blocks likewise. */
	if (rec_shift < 9 || rec_shift > 16 || rec_shift < sector_shift)
		return NTFS_ERR_CORRUPT_BOOT;
	if (idx_shift < 9 || idx_shift > 16)
		return NTFS_ERR_CORRUPT_BOOT;

	boot->total_sectors = ntfsi_le64(bs + BS_TOTAL_SECTORS);
	clusters = ntfsi_bytes_shr(boot->total_sectors, (unsigned)spc_shift);
	if (clusters == 0 ||
	    boot->total_sectors > ntfsi_bytes_shr(UINT64_MAX, (unsigned)sector_shift))
		return NTFS_ERR_CORRUPT_BOOT;
	boot->mft_lcn = ntfsi_le64(bs + BS_MFT_LCN);
	boot->mftmirr_lcn = ntfsi_le64(bs + BS_MFTMIRR_LCN);
	if (boot->mft_lcn >= clusters || boot->mftmirr_lcn >= clusters)
		return NTFS_ERR_CORRUPT_BOOT;

	boot->sector_size = 1u << sector_shift;
	boot->cluster_shift = (uint8_t)cluster_shift;
	boot->cluster_size = 1u << cluster_shift;
	boot->record_shift = (uint8_t)rec_shift;
	boot->record_size = 1u << rec_shift;
	boot->index_block_shift = (uint8_t)idx_shift;
	boot->index_block_size = 1u << idx_shift;
	boot->total_clusters = clusters;
	boot->serial = ntfsi_le64(bs + BS_SERIAL);
	return NTFS_OK;
}
