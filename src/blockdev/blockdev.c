/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A sector device as the core's byte-addressed read callback: a byte range
 * of the device (a partition) becomes one ntfs_config.
 */
#include "blockdev.h"

unsigned ntfsi_blockdev_shift(const struct ntfs_blockdev *dev)
{
	unsigned shift;

	if (dev == NULL || dev->read_sectors == NULL || dev->sector_count == 0)
		return 0;
	for (shift = 9; shift <= 12; shift++) {
		if (dev->sector_size == 1u << shift)
			return dev->sector_count <= UINT64_MAX >> shift ? shift : 0;
	}
	return 0;
}

/* A table that points past the device is corrupt; the callback is never
 * asked for a sector the device does not have. */
int ntfsi_blockdev_sector(const struct ntfs_blockdev *dev, uint64_t lba, uint8_t *buf)
{
	if (lba >= dev->sector_count)
		return NTFS_ERR_CORRUPT_PARTITION;
	return dev->read_sectors(dev->ctx, lba, 1, buf) == 0 ? NTFS_OK : NTFS_ERR_IO;
}

int ntfs_blockdev_config(const struct ntfs_blockdev *dev, uint64_t offset, uint64_t length,
                         struct ntfs_blockdev_range *range, struct ntfs_config *cfg)
{
	unsigned shift = ntfsi_blockdev_shift(dev);
	uint64_t mask;

	if (shift == 0 || range == NULL || cfg == NULL)
		return NTFS_ERR_INVALID;
	mask = ((uint64_t)1 << shift) - 1;
	if (((offset | length) & mask) != 0 || length == 0 ||
	    !ntfsi_blockdev_range_ok(dev->sector_count, offset >> shift, length >> shift))
		return NTFS_ERR_INVALID;
	range->dev = dev;
	range->first_lba = offset >> shift;
	range->sectors = length >> shift;
	cfg->read = ntfs_blockdev_read;
	cfg->read_ctx = range;
	cfg->read_align = dev->sector_size;
	cfg->volume_size = length;
	return NTFS_OK;
}

/* Sectors per call to the callback: count x sector size stays below 4 GiB,
 * so a callback may compute it in 32 bits. */
#define BLOCKDEV_CHUNK ((1u << 20) - 1)

int ntfs_blockdev_read(void *ctx, uint64_t offset, void *buf, size_t len)
{
	const struct ntfs_blockdev_range *r = ctx;
	unsigned shift = ntfsi_blockdev_shift(r->dev);
	uint8_t *p = buf;
	uint64_t lba, n;

	if (shift == 0 || ((offset | len) & ((1u << shift) - 1)) != 0 ||
	    !ntfsi_blockdev_range_ok(r->sectors, offset >> shift, len >> shift))
		return NTFS_ERR_INVALID;
	lba = r->first_lba + (offset >> shift);
	for (n = len >> shift; n > 0;) {
		uint32_t count = n < BLOCKDEV_CHUNK ? (uint32_t)n : BLOCKDEV_CHUNK;
		if (r->dev->read_sectors(r->dev->ctx, lba, count, p) != 0)
			return NTFS_ERR_IO;
		p += (size_t)count << shift;
		lba += count;
		n -= count;
	}
	return NTFS_OK;
}
