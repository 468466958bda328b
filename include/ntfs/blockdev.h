/* SPDX-License-Identifier: BSD-2-Clause */
/**
 * @file blockdev.h
 * @brief Sector devices and partition tables: find the NTFS volumes of a
 * disk (MBR with extended partitions, or GPT) and mount one through the
 * core.
 *
 * Freestanding like the core: no C library, no allocation, no globals. The
 * caller describes the disk (::ntfs_blockdev: a sector read callback, the
 * sector size and count) and hands in one sector-sized scratch buffer.
 *
 * Every byte of the disk is treated as hostile: every table field is
 * checked before use, with overflow-safe arithmetic; the extended-partition
 * chain is followed forward only and at most ::NTFS_PART_MAX_LOGICAL
 * links; the GPT partition array is checksummed one sector at a time,
 * never loaded whole. A partition that does not fit the disk (or its
 * container) is not clipped: the table is reported as
 * ::NTFS_ERR_CORRUPT_PARTITION.
 *
 * Typical use:
 * @code
 * struct ntfs_part_iter it;
 * struct ntfs_part p;
 * static struct ntfs_blockdev_range range; // lives as long as the mount
 * int r = ntfs_part_open(&it, &disk, scratch);
 * if (r == NTFS_OK && (r = ntfs_part_next_ntfs(&it, &p)) == 1)
 *         r = ntfs_blockdev_config(&disk, p.start, p.length, &range, &cfg);
 * // then set cfg.alloc, cfg.free, cfg.alloc_ctx and ntfs_mount(&cfg, &vol)
 * @endcode
 */
#ifndef NTFS_BLOCKDEV_H
#define NTFS_BLOCKDEV_H

#include <ntfs/ntfs.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Sector read callback.
 * @param ctx ::ntfs_blockdev::ctx.
 * @param lba first sector (in units of ::ntfs_blockdev::sector_size).
 * @param count sectors to read, at least 1; all must be read.
 * @param buf destination, @p count × sector size bytes.
 * @return 0 on success, anything else on failure (reported as ::NTFS_ERR_IO).
 */
typedef int (*ntfs_sector_read_fn)(void *ctx, uint64_t lba, uint32_t count, void *buf);

/** A sector device (a whole disk). Fill in every field. */
struct ntfs_blockdev {
	ntfs_sector_read_fn read_sectors; /**< Required. */
	void *ctx;                        /**< Passed to read_sectors. */
	uint32_t sector_size;             /**< Bytes per sector: 512, 1024, 2048 or 4096. */
	uint64_t sector_count;            /**< Sectors on the device, at least 1. */
};

/** A byte range of a device (a partition), read through ntfs_blockdev_read().
 *  Fields are private; the struct is public only so it can be static. */
struct ntfs_blockdev_range {
	const struct ntfs_blockdev *dev; /**< private */
	uint64_t first_lba;              /**< private: first sector of the range */
	uint64_t sectors;                /**< private: sectors in the range */
};

/**
 * @brief Point a mount configuration at a byte range of a device.
 *
 * Sets ::ntfs_config::read to ntfs_blockdev_read() with @p range as its
 * context, ::ntfs_config::read_align to the sector size and
 * ::ntfs_config::volume_size to @p length; the allocator fields are left
 * as they are. Reads through it outside the range fail.
 *
 * @param dev the device; it must outlive @p range.
 * @param offset first byte of the range (a multiple of the sector size).
 * @param length bytes in the range (a multiple of the sector size, not 0).
 * @param[out] range filled in; it must outlive every use of @p cfg.
 * @param[out] cfg the configuration to fill in.
 * @return ::NTFS_OK; ::NTFS_ERR_INVALID (no callback, a sector size other
 *   than 512, 1024, 2048 or 4096, no sectors or 2^64 bytes or more, an
 *   unaligned or empty range, or one that runs past the device).
 */
NTFS_API int ntfs_blockdev_config(const struct ntfs_blockdev *dev, uint64_t offset, uint64_t length,
                                  struct ntfs_blockdev_range *range, struct ntfs_config *cfg);

/**
 * @brief ::ntfs_read_fn over a ::ntfs_blockdev_range.
 *
 * Calls ::ntfs_blockdev::read_sectors with at most 2^20 − 1 sectors at a
 * time, so count × sector size fits in 32 bits.
 *
 * @param range a ::ntfs_blockdev_range set up by ntfs_blockdev_config()
 *   (not NULL).
 * @param offset byte offset in the range (a multiple of the sector size).
 * @param buf destination.
 * @param len bytes (a multiple of the sector size).
 * @return ::NTFS_OK; ::NTFS_ERR_INVALID (unaligned, or outside the range);
 *   ::NTFS_ERR_IO (the sector callback failed).
 */
NTFS_API int ntfs_blockdev_read(void *range, uint64_t offset, void *buf, size_t len);

/** @name Partitions */
/**@{*/
/** Partition table scheme: MBR (with extended partitions). */
#define NTFS_PART_MBR 1u
/** Partition table scheme: GPT. */
#define NTFS_PART_GPT 2u
/** Most logical partitions (extended boot records) followed. */
#define NTFS_PART_MAX_LOGICAL 128u
/** Most GPT entries accepted (::NTFS_ERR_LIMIT beyond). */
#define NTFS_PART_GPT_MAX_ENTRIES 4096u
/** Largest GPT entry accepted, in bytes (and at most the sector size). */
#define NTFS_PART_GPT_MAX_ENTRY_SIZE 4096u
/** A GPT name as UTF-8 with its NUL: 36 UTF-16 units, at most 3 bytes each. */
#define NTFS_PART_NAME_MAX (36 * 3 + 1)
/**@}*/

/** One partition. */
struct ntfs_part {
	uint32_t index;          /**< As Linux numbers it: MBR primaries 1-4, logicals from 5;
	                      GPT: the entry's slot + 1. */
	uint8_t scheme;          /**< ::NTFS_PART_MBR or ::NTFS_PART_GPT. */
	uint8_t type;            /**< MBR: the partition type byte (0x07, 0x05...); GPT: 0. */
	uint8_t type_guid[16];   /**< GPT: the type GUID as stored (mixed-endian). */
	uint8_t unique_guid[16]; /**< GPT: the partition's GUID as stored. */
	uint64_t attributes;     /**< GPT: attribute bits; MBR: the boot flag (0 or 0x80). */
	uint64_t start;          /**< First byte on the device. */
	uint64_t length;         /**< Bytes (not 0). */
	char name
	        [NTFS_PART_NAME_MAX]; /**< GPT: the name as UTF-8 (bad UTF-16 as U+FFFD); MBR: "". */
};

/** A partition cursor. Fields are private; the struct is public only so the
 *  caller can allocate it. */
struct ntfs_part_iter {
	const struct ntfs_blockdev *dev; /**< private */
	uint8_t *buf;                    /**< private: the caller's sector buffer */
	int err;                         /**< private: sticky error */
	uint8_t scheme;                  /**< private */
	uint8_t shift;                   /**< private: log2 of the sector size */
	uint8_t n_logical;               /**< private: EBRs read */
	uint32_t next;                   /**< private: next MBR slot or GPT entry */
	uint32_t index;                  /**< private: next logical's number */
	uint64_t buf_lba;                /**< private: sector held in buf, or ~0 */
	/** private: MBR primaries (type, boot flag, start, count) */
	struct {
		uint8_t type, boot;
		uint32_t lba, count;
	} prim[4];
	uint64_t ext_lba;      /**< private: extended partition start */
	uint64_t ext_end;      /**< private: extended partition end */
	uint64_t ebr_lba;      /**< private: next EBR to read, 0 when none */
	uint64_t entry_lba;    /**< private: GPT array start */
	uint64_t first_usable; /**< private */
	uint64_t last_usable;  /**< private */
	uint32_t entry_count;  /**< private */
	uint32_t entry_size;   /**< private */
};

/**
 * @brief Read a disk's partition table and start a cursor over it.
 *
 * Reads sector 0. A protective MBR entry (type 0xEE, which must start at
 * LBA 1; its size is not checked, as disks over 2 TiB cannot give it)
 * means GPT, also in a hybrid MBR, whose other entries are then ignored
 * (as Linux does). The header at LBA 1 is checked (signature "EFI PART",
 * revision 1.0 exactly, 92 ≤ header size ≤ sector size, CRC32, its own
 * LBA, entry size 128 × 2^n ≤ the sector size) and so is UEFI's layout:
 * the array after the header and before the usable area, first ≤ last
 * usable LBA, and the other header's LBA after the usable area and on the
 * disk; the array's CRC32 is computed a sector at a time. If anything is
 * wrong with it, the backup header in the disk's last sector (on disks of
 * 3 sectors or more) is checked the same way, mirrored: its array after
 * the usable area and before it, the other header's LBA 1; a backup found
 * elsewhere (a disk that grew) is not looked for. Otherwise the four MBR
 * entries are checked (boot flag 0 or 0x80, none starting at LBA 0, each
 * inside the disk, at most one extended partition). Overlaps between
 * partitions are not checked. The CRC is only as good as the device: one
 * that answers differently when the array is read again is not caught.
 *
 * @param[out] it the cursor.
 * @param dev the disk; it must outlive @p it.
 * @param scratch ::ntfs_blockdev::sector_size bytes the cursor uses until
 *   it is dropped (its contents are not part of the result).
 * @return ::NTFS_OK; ::NTFS_ERR_INVALID (@p it or @p scratch NULL, or a
 *   bad @p dev, see ntfs_blockdev_config()); ::NTFS_ERR_IO;
 *   ::NTFS_ERR_NOT_FOUND (no 0x55AA signature in sector 0, or sector 0 is
 *   an NTFS boot sector: no partition table; a bare volume is mounted with
 *   ntfs_blockdev_config() over the whole disk); ::NTFS_ERR_LIMIT (a GPT
 *   with more than ::NTFS_PART_GPT_MAX_ENTRIES entries);
 *   ::NTFS_ERR_CORRUPT_PARTITION (an MBR entry that fails a check, or a
 *   table that points past the disk). When both GPT headers fail, the
 *   primary's error (::NTFS_ERR_CORRUPT_PARTITION, ::NTFS_ERR_IO or
 *   ::NTFS_ERR_LIMIT) is returned.
 */
NTFS_API int ntfs_part_open(struct ntfs_part_iter *it, const struct ntfs_blockdev *dev,
                            void *scratch);

/**
 * @brief Get the next partition, in table order (MBR: primaries, the
 * extended partition included, then the logical partitions along the
 * chain; GPT: used entries by slot).
 *
 * A logical partition's entry is relative to its extended boot record
 * (EBR), which must carry 0x55AA; the link to the next EBR is relative to
 * the extended partition and must point forward (so the chain cannot
 * loop) and stay inside it, as must every logical partition, which must
 * also end before the next EBR. An EBR's first entry is its logical
 * partition and its second the link, as Windows and fdisk write them (an
 * EBR in another order is ::NTFS_ERR_CORRUPT_PARTITION); an entry of type
 * 0 or size 0 is empty. A GPT entry must have first ≤ last LBA inside the
 * usable area.
 *
 * @param it the cursor.
 * @param[out] out the partition.
 * @return 1 (a partition), 0 (no more), or a negative error, which every
 *   later call returns again: ::NTFS_ERR_IO; ::NTFS_ERR_LIMIT (more than
 *   ::NTFS_PART_MAX_LOGICAL EBRs); ::NTFS_ERR_CORRUPT_PARTITION.
 */
NTFS_API int ntfs_part_next(struct ntfs_part_iter *it, struct ntfs_part *out);

/**
 * @brief Get the next NTFS volume: the next partition of type 0x07 (MBR)
 * or Microsoft Basic Data (GPT EBD0A0A2-B9E5-4433-87C0-68B6B72699C7)
 * whose first sector says "NTFS    " at byte 3 and ends in 0x55AA (type
 * 0x07 and Basic Data are also exFAT's and FAT's, which are skipped).
 *
 * @param it the cursor (its scratch buffer is used for the boot sectors).
 * @param[out] out the partition.
 * @return 1, 0 or an error as ntfs_part_next(), which is kept; a partition
 *   whose first sector does not read is skipped, not an error (so a caller
 *   that loops while the result is 1 always ends).
 */
NTFS_API int ntfs_part_next_ntfs(struct ntfs_part_iter *it, struct ntfs_part *out);

#ifdef __cplusplus
}
#endif
#endif /* NTFS_BLOCKDEV_H */
