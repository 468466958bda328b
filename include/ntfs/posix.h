/* SPDX-License-Identifier: BSD-2-Clause */
/**
 * @file posix.h
 * @brief POSIX host adapter: an image file or block device read with
 * pread() through a block cache, and a malloc()-based allocator that counts
 * its bytes.
 *
 * ntfs_posix_open() puts an ::ntfs_cache of ::NTFS_POSIX_CACHE_SLOTS
 * blocks of ::NTFS_POSIX_CACHE_BLOCK bytes (or the device's sector size if
 * larger) between pread() and the core: MFT records, index blocks and the
 * other small reads come from it, reads of two blocks or more go straight
 * to the caller's buffer. Its memory (::NTFS_CACHE_MEM, 197,968 bytes for
 * 48 slots of 4 KiB) comes from malloc() at open and is not counted in
 * ::ntfs_posix_dev::heap_peak, which is the core's alone.
 */
#ifndef NTFS_POSIX_H
#define NTFS_POSIX_H

#include <ntfs/cache.h>
#include <ntfs/ntfs.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Slots in the adapter's cache (see bench/RESULTS.md for the choice). */
#define NTFS_POSIX_CACHE_SLOTS 48u
/** Bytes per slot of the adapter's cache, unless the sector is larger. */
#define NTFS_POSIX_CACHE_BLOCK 4096u

/** An opened image or device. Fields are read-only for the caller. */
struct ntfs_posix_dev {
	int fd;                  /**< Opened O_RDONLY. */
	uint64_t offset;         /**< Byte offset of the volume in the file. */
	uint64_t size;           /**< Bytes from offset to the end of the file/device. */
	uint32_t read_align;     /**< 512, or a block device\'s logical sector size. */
	size_t heap_in_use;      /**< Bytes the library holds now. */
	size_t heap_peak;        /**< Most bytes the library ever held at once. */
	uint64_t reads;          /**< Device reads: calls that reached pread(). */
	uint64_t bytes_read;     /**< Bytes pread() returned. */
	struct ntfs_cache cache; /**< The block cache; its stats count hits and misses. */
	void *cache_mem;         /**< The cache's memory (malloc()). */
	size_t cache_mem_size;   /**< Bytes in cache_mem. */
};

/**
 * @brief Open an image file or block device read-only.
 * @param dev the device to fill in.
 * @param path file or device path.
 * @param offset byte offset of the NTFS volume (a partition) in it.
 * @return ::NTFS_OK; ::NTFS_ERR_IO (open or size query failed; errno is set);
 *   ::NTFS_ERR_INVALID (@p offset past the end of the file);
 *   ::NTFS_ERR_NOMEM (no memory for the cache).
 */
NTFS_API int ntfs_posix_open(struct ntfs_posix_dev *dev, const char *path, uint64_t offset);

/** @brief Close the device. Safe to call again on a closed device. */
NTFS_API void ntfs_posix_close(struct ntfs_posix_dev *dev);

/**
 * @brief Fill a config that reads @p dev through its cache and pread(),
 * and allocates with malloc(): read, alloc, free, their contexts,
 * read_align (the device's) and volume_size.
 */
NTFS_API void ntfs_posix_config(struct ntfs_posix_dev *dev, struct ntfs_config *cfg);

/**
 * @brief A whole image file or disk read in sectors, for the partition
 * tables and the block-device adapter (`include/ntfs/blockdev.h`): the
 * context of ntfs_posix_read_sectors(). Fields are read-only for the
 * caller but sector_size, which it may set (a disk image of 4 KiB sectors
 * copied to a file says 512).
 */
struct ntfs_posix_disk {
	int fd;               /**< Opened O_RDONLY. */
	uint32_t sector_size; /**< 512, or a block device's logical sector size. */
	uint64_t size;        /**< Bytes in the file or device. */
};

/**
 * @brief Open an image file or disk read-only as a sector device.
 * @return ::NTFS_OK; ::NTFS_ERR_IO (open or size query failed; errno is set).
 */
NTFS_API int ntfs_posix_disk_open(struct ntfs_posix_disk *disk, const char *path);

/** @brief Close the disk. Safe to call again on a closed disk. */
NTFS_API void ntfs_posix_disk_close(struct ntfs_posix_disk *disk);

/**
 * @brief The ::ntfs_blockdev read_sectors callback over pread(): @p count
 * sectors of sector_size bytes from sector @p lba of @p disk, a
 * ::ntfs_posix_disk.
 * @return ::NTFS_OK; ::NTFS_ERR_IO (pread() failed, the file ended first,
 *   or the range overflows an offset; errno says which).
 */
NTFS_API int ntfs_posix_read_sectors(void *disk, uint64_t lba, uint32_t count, void *buf);

/**
 * @brief Open @p path at @p offset and mount it.
 * @return ntfs_posix_open()'s and ntfs_mount()'s errors. On failure the
 *   device is closed.
 */
NTFS_API int ntfs_posix_mount(struct ntfs_posix_dev *dev, const char *path, uint64_t offset,
                              ntfs_volume **vol);

#ifdef __cplusplus
}
#endif
#endif /* NTFS_POSIX_H */
