/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internal to src/blockdev: little-endian loaders (byte by byte, so
 * unaligned and big-endian safe), the one range gateway, and what the
 * partition parsers share. Nothing here depends on the core's internals.
 */
#ifndef NTFS_BLOCKDEV_INTERNAL_H
#define NTFS_BLOCKDEV_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ntfs/blockdev.h>

static inline uint32_t ntfsi_blockdev_le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static inline uint32_t ntfsi_blockdev_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t ntfsi_blockdev_le64(const uint8_t *p)
{
	return (uint64_t)ntfsi_blockdev_le32(p) | (uint64_t)ntfsi_blockdev_le32(p + 4) << 32;
}

/* True when [off, off + len) lies inside [0, size); no operand can overflow. */
static inline bool ntfsi_blockdev_range_ok(uint64_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

/* log2 of the device's sector size (9..12), or 0 if the device is unusable:
 * no callback, another sector size, no sectors, or more than 2^64 bytes. */
unsigned ntfsi_blockdev_shift(const struct ntfs_blockdev *dev);

/* Read sector @lba of @dev into @buf: NTFS_OK or NTFS_ERR_IO. */
int ntfsi_blockdev_sector(const struct ntfs_blockdev *dev, uint64_t lba, uint8_t *buf);

/* The MBR in it->buf (signed, no 0xEE entry): check and keep its entries. */
int ntfsi_mbr_open(struct ntfs_part_iter *it);
/* ntfs_part_next() for an MBR disk. */
int ntfsi_mbr_next(struct ntfs_part_iter *it, struct ntfs_part *out);

/* Find a good GPT header (primary, else backup) and checksum its array. */
int ntfsi_gpt_open(struct ntfs_part_iter *it);
/* ntfs_part_next() for a GPT disk. */
int ntfsi_gpt_next(struct ntfs_part_iter *it, struct ntfs_part *out);
/* CRC-32 (IEEE 802.3, reflected 0xEDB88320) of @len bytes, continuing
 * @crc (0 to start), as zlib's crc32(). */
uint32_t ntfsi_gpt_crc32(uint32_t crc, const void *buf, size_t len);

#endif /* NTFS_BLOCKDEV_INTERNAL_H */
